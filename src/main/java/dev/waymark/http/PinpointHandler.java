package dev.waymark.http;

import dev.waymark.auth.AuthenticationStep;
import dev.waymark.auth.RequestAuthenticator;
import dev.waymark.auth.SecuritySettings;
import dev.waymark.auth.ThrottleStep;
import dev.waymark.ops.Metrics;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The Jetty handler for every request: request id, then the chain of steps (access log and metrics, error mapping,
 * in-flight bound, size limit, authentication, throttling, routing with authorization, and the operation), then
 * the response.
 */
public final class PinpointHandler extends Handler.Abstract {
    private final Step.Chain chain;

    public PinpointHandler(Router router, long maxBodyBytes, SecuritySettings security,
                           RequestAuthenticator authenticator, Metrics metrics) {
        super(InvocationType.BLOCKING);
        InFlightStep inFlight = new InFlightStep(security.maxInFlight());
        metrics.inFlight(inFlight::inFlight);
        List<Step> steps = new ArrayList<>(List.of(
                new RecordingStep(metrics),
                new ErrorMappingStep(),
                inFlight,
                new BodyLimitStep(maxBodyBytes),
                new AuthenticationStep(security.signaturesRequired() ? authenticator : null)));
        if (security.throttleRate() > 0) {
            steps.add(new ThrottleStep(security.throttleRate(), security.throttleBurst()));
        }
        steps.add(new RoutingStep(router));
        this.chain = Step.chain(steps);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String requestId = UUID.randomUUID().toString();
        ApiResponse apiResponse = chain.proceed(new Exchange(request, requestId));
        ResponseWriter.write(apiResponse, requestId, response, callback);
        return true;
    }
}
