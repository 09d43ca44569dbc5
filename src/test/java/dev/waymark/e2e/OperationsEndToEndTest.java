package dev.waymark.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.waymark.CapturedLogs;
import dev.waymark.auth.SecuritySettings;
import dev.waymark.server.ServerConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.pinpoint.PinpointClient;
import software.amazon.awssdk.services.pinpoint.model.NotFoundException;
import software.amazon.awssdk.services.pinpoint.model.TooManyRequestsException;

/** /metrics, /health and the access log, as an operator sees them. */
class OperationsEndToEndTest {
    @RegisterExtension
    final CapturedLogs logs = new CapturedLogs();
    @TempDir
    Path dir;

    @Test
    void metricsCountExactlyWhatWasSent() throws Exception {
        try (WaymarkTestServer waymark = WaymarkTestServer.start(ServerConfig.defaults(dir, 0))) {
            PinpointClient client = waymark.client();
            String before = scrape(waymark);
            for (int i = 0; i < 3; i++) {
                client.createApp(r -> r.createApplicationRequest(a -> a.name("counted")));
            }
            for (int i = 0; i < 2; i++) {
                assertThatThrownBy(() -> client.getApp(r -> r.applicationId("0".repeat(32))))
                        .isInstanceOf(NotFoundException.class);
            }
            String app = client.getApps(r -> { }).applicationsResponse().item().get(0).id();
            String segment = EndToEndTest.everyone(client, app);
            client.createJourney(r -> r.applicationId(app).writeJourneyRequest(SampleJourneys.simple("once", segment)
                    .toBuilder().state("ACTIVE").build()));
            Thread.sleep(1500);
            String after = scrape(waymark);

            assertThat(value(after, "waymark_requests_total{operation=\"CreateApp\",status=\"201\"}")
                    - value(before, "waymark_requests_total{operation=\"CreateApp\",status=\"201\"}")).isEqualTo(3);
            assertThat(value(after, "waymark_requests_total{operation=\"GetApp\",status=\"404\"}")).isEqualTo(2);
            assertThat(value(after, "waymark_requests_total{operation=\"GetApps\",status=\"200\"}")).isEqualTo(1);
            assertThat(value(after, "waymark_request_duration_seconds_count{operation=\"CreateApp\"}")).isEqualTo(3);
            assertThat(value(after, "waymark_run_transitions_total{status=\"RUNNING\"}")).isEqualTo(1);
            assertThat(value(after, "waymark_run_transitions_total{status=\"COMPLETED\"}")).isEqualTo(1);
            assertThat(value(after, "waymark_scheduler_start_lag_seconds_count")).isEqualTo(1);
            assertThat(value(after, "waymark_requests_in_flight")).isEqualTo(0);
            assertThat(after).contains("hikaricp_connections_active{pool=\"waymark-store\"}").contains("jvm_memory_used_bytes");
        }
    }

    @Test
    void throttledRequestsAreCounted() throws Exception {
        try (WaymarkTestServer waymark = WaymarkTestServer.start(ServerConfig.defaults(dir, 0)
                .withSecurity(SecuritySettings.DEFAULTS.withThrottle(0.01, 1)))) {
            waymark.client().getApps(r -> { });
            assertThatThrownBy(() -> waymark.client().getApps(r -> { })).isInstanceOf(TooManyRequestsException.class);
            assertThat(value(scrape(waymark), "waymark_requests_throttled_total{reason=\"rate\"}")).isEqualTo(1);
        }
    }

    @Test
    void healthIs503WhileTheStoreIsUnreachable() throws Exception {
        String database = TestDatabases.newPostgresDatabase();
        try (WaymarkTestServer waymark = WaymarkTestServer.start(ServerConfig.defaults(dir, 0).withDbUrl(database))) {
            HttpResponse<String> healthy = get(waymark, "/health");
            assertThat(healthy.statusCode()).isEqualTo(200);
            assertThat(healthy.body()).isEqualTo("{\"status\":\"ok\",\"store\":\"ok\",\"scheduler\":\"ok\"}");

            String name = database.substring(database.lastIndexOf('/') + 1, database.indexOf('?'));
            try (Connection admin = DriverManager.getConnection(database.replace("/" + name + "?", "/postgres?"))) {
                admin.createStatement().execute("DROP DATABASE " + name + " WITH (FORCE)");
            }
            long started = System.nanoTime();
            HttpResponse<String> down = get(waymark, "/health");
            assertThat(java.time.Duration.ofNanos(System.nanoTime() - started)).isLessThan(java.time.Duration.ofSeconds(5));
            assertThat(down.statusCode()).isEqualTo(503);
            assertThat(down.body()).contains("\"status\":\"unavailable\"").contains("\"store\":\"down\"");
            // The pool finds its connections dead when /health asks for one; the scheduler's retries while the
            // database is gone, and the pool's shutdown, log as many errors as the timing makes. So do the server's
            // own pollers: each says its first failure, then again as its back-off and the timing make.
            logs.expect(Level.WARN, "com.zaxxer.hikari", "waymark-store");
            logs.expect(Level.WARN, "messaging.OutboxSender", "Claiming EMAIL messages failed (1 in a row)");
            logs.expect(Level.WARN, "engine.JourneyEngine", "The engine's entry and state work failed (1 in a row)");
            logs.expect(Level.WARN, "analytics.EventStreamDeliverer", "event-stream delivery pass failed");
            logs.expect(Level.WARN, "audience.JobRunner", "Looking for import and export jobs failed (1 in a row)");
            logs.allow("com.zaxxer.hikari");
            logs.allow("com.github.kagkarlsson");
            logs.allow("dev.waymark.messaging.OutboxSender");
            logs.allow("dev.waymark.engine.JourneyEngine");
            logs.allow("dev.waymark.analytics.EventStreamDeliverer");
            logs.allow("dev.waymark.audience.JobRunner");
        }
    }

    @Test
    void oneAccessLogLinePerRequestWithoutSecrets() throws Exception {
        Logger access = (Logger) LoggerFactory.getLogger("dev.waymark.access");
        ListAppender<ILoggingEvent> lines = new ListAppender<>();
        lines.start();
        access.addAppender(lines);
        try (WaymarkTestServer waymark = WaymarkTestServer.start(ServerConfig.defaults(dir, 0))) {
            waymark.client().getApps(r -> r.pageSize("5"));
            assertThat(lines.list).hasSize(1);
            String line = lines.list.get(0).getFormattedMessage();
            assertThat(line).startsWith("GetApps 200 ").contains("request_id=")
                    .contains("access_key_id=" + WaymarkTestServer.ACCESS_KEY)
                    .doesNotContain(WaymarkTestServer.SECRET_KEY).doesNotContain("Signature");
            assertThat(lines.list.get(0).getKeyValuePairs()).extracting(pair -> pair.key)
                    .containsExactly("operation", "status", "latency_ms", "request_id", "access_key_id");
        } finally {
            access.detachAppender(lines);
        }
    }

    private static String scrape(WaymarkTestServer waymark) throws Exception {
        HttpResponse<String> metrics = get(waymark, "/metrics");
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
        return metrics.body();
    }

    /** A sample's value in Prometheus text (0 when absent). */
    private static double value(String scrape, String sample) {
        Matcher matcher = Pattern.compile("(?m)^" + Pattern.quote(sample) + " (\\S+)$").matcher(scrape);
        return matcher.find() ? Double.parseDouble(matcher.group(1)) : 0;
    }

    private static HttpResponse<String> get(WaymarkTestServer waymark, String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(waymark.server().url() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
