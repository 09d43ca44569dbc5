package dev.waymark.http;

import dev.waymark.ops.Metrics;
import dev.waymark.ops.RequestLoad;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The outermost step: one access-log line and the request metrics for every request, whatever became of it. The
 * line names the operation, status, latency, request id and access key id — never a secret or a signature.
 */
final class RecordingStep implements Step {
    private static final Logger ACCESS = LoggerFactory.getLogger("dev.waymark.access");

    private final Metrics metrics;

    RecordingStep(Metrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public ApiResponse apply(Exchange exchange, Chain next) throws Exception {
        long started = System.nanoTime();
        long cpuStarted = RequestLoad.threadCpuNanos();
        ApiResponse response = next.proceed(exchange);
        long nanos = System.nanoTime() - started;
        metrics.requestLoad().served(RequestLoad.threadCpuNanos() - cpuStarted);
        String operation = exchange.operationName();
        metrics.request(operation, response.status(), nanos);
        if (response.status() == 429) {
            metrics.throttled(exchange.throttleReason());
        }
        String key = exchange.caller().accessKeyId().orElse("-");
        ACCESS.atInfo()
                .addKeyValue("operation", operation)
                .addKeyValue("status", response.status())
                .addKeyValue("latency_ms", nanos / 1_000_000d)
                .addKeyValue("request_id", exchange.requestId())
                .addKeyValue("access_key_id", key)
                .log("{} {} {}ms request_id={} access_key_id={}", operation, response.status(),
                        tenthsOfMillis(nanos), exchange.requestId(), key);
        return response;
    }

    /**
     * The latency in milliseconds with one decimal, rounded half up: what {@code String.format("%.1f")} wrote, without
     * parsing a format and building a Formatter on every request.
     */
    static String tenthsOfMillis(long nanos) {
        if (nanos < 0) {
            return String.format(java.util.Locale.ROOT, "%.1f", nanos / 1_000_000d);
        }
        long tenths = (nanos + 50_000) / 100_000;
        return Long.toString(tenths / 10) + '.' + (char) ('0' + tenths % 10);
    }
}
