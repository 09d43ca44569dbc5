package dev.waymark.http;

import dev.waymark.auth.RequestAuthenticator;
import dev.waymark.auth.SecuritySettings;
import dev.waymark.error.ErrorType;
import dev.waymark.ops.Metrics;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Jetty handler for every request: request id, then the chain of steps (access log and metrics, error mapping,
 * Waymark's own paths aside, authentication from the headers, in-flight bound, the body within its bounds, the
 * signature over the body, throttling, routing with authorization, and the operation), then the response.
 */
public final class PinpointHandler extends Handler.Abstract {
    private static final Logger LOG = LoggerFactory.getLogger(PinpointHandler.class);

    private final Step.Chain chain;

    public PinpointHandler(Router router, BodySettings bodies, SecuritySettings security,
                           RequestAuthenticator authenticator, Metrics metrics) {
        super(InvocationType.BLOCKING);
        InFlightStep inFlight = new InFlightStep(security.maxInFlight());
        metrics.inFlight(inFlight::inFlight);
        BodyLimitStep bodyLimit = new BodyLimitStep(bodies, router);
        metrics.bodyBytes(bodyLimit::bytesInUse);
        RoutingStep routing = new RoutingStep(router);
        List<Step> steps = new ArrayList<>(List.of(
                new RecordingStep(metrics),
                new ErrorMappingStep(),
                new SystemPathStep(Step.chain(List.of(routing))),
                AuthenticationStep.headers(security.signaturesRequired() ? authenticator : null),
                inFlight,
                bodyLimit,
                AuthenticationStep.body(),
                inFlight.afterSignature()));
        if (security.throttleRate() > 0) {
            steps.add(new ThrottleStep(security.throttleRate(), security.throttleBurst()));
        }
        steps.add(routing);
        this.chain = Step.chain(steps);
    }

    /**
     * A random (version 4) UUID, as AWS request ids are. From the thread's own generator: an id names a request in
     * the log and is no secret, and {@code UUID.randomUUID} draws from one SecureRandom that every request shares.
     */
    static String requestId() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long high = (random.nextLong() & ~0xF000L) | 0x4000L;
        long low = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(high, low).toString();
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String requestId = requestId();
        try {
            ApiResponse apiResponse = chain.proceed(new Exchange(request, requestId));
            ResponseWriter.write(apiResponse, requestId, response, callback);
        } catch (Throwable e) {
            // Past the error mapping (writing the response failed, or the heap ran out): never let Jetty describe it.
            LOG.error("Internal error writing the response to {} {} (request id {})", request.getMethod(),
                    request.getHttpURI().getPath(), requestId, e);
            if (response.isCommitted()) {
                callback.failed(e);
            } else {
                response.reset();
                ResponseWriter.write(ErrorMappingStep.error(ErrorType.INTERNAL, "Internal server error; the server "
                        + "log has the details under request id " + requestId, requestId), requestId, response,
                        callback);
            }
        }
        return true;
    }
}
