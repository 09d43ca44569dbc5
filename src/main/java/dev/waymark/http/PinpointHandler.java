package dev.waymark.http;

import dev.waymark.auth.AuthenticationStep;
import java.util.List;
import java.util.UUID;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The Jetty handler for every request: request id, then the chain of steps (error mapping, size limit,
 * authentication, routing and the operation), then the response.
 */
public final class PinpointHandler extends Handler.Abstract {
    private final Step.Chain chain;

    public PinpointHandler(Router router, long maxBodyBytes) {
        super(InvocationType.BLOCKING);
        this.chain = Step.chain(List.of(
                new ErrorMappingStep(),
                new BodyLimitStep(maxBodyBytes),
                new AuthenticationStep(),
                new RoutingStep(router)));
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String requestId = UUID.randomUUID().toString();
        ApiResponse apiResponse = chain.proceed(new Exchange(request, requestId));
        ResponseWriter.write(apiResponse, requestId, response, callback);
        return true;
    }
}
