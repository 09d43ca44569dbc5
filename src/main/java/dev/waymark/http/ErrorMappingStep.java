package dev.waymark.http;

import dev.waymark.error.ApiException;
import dev.waymark.error.ErrorType;
import dev.waymark.rules.RuleConflict;
import dev.waymark.rules.RuleViolation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where exceptions become AWS errors. An ApiException carries its own type and message; the rules'
 * own exceptions become BadRequestException (a {@link RuleViolation}) or ConflictException (a {@link RuleConflict});
 * any other Throwable is a bug: logged with its stack trace and request id, and answered with a message that reveals
 * nothing inside.
 */
final class ErrorMappingStep implements Step {
    private static final Logger LOG = LoggerFactory.getLogger(ErrorMappingStep.class);

    @Override
    public ApiResponse apply(Exchange exchange, Chain next) {
        try {
            return next.proceed(exchange);
        } catch (ApiException e) {
            return error(e.type(), e.getMessage(), exchange.requestId());
        } catch (RuleViolation e) {
            return error(ErrorType.BAD_REQUEST, e.getMessage(), exchange.requestId());
        } catch (RuleConflict e) {
            return error(ErrorType.CONFLICT, e.getMessage(), exchange.requestId());
        } catch (Throwable e) {
            // Anything at all, an OutOfMemoryError included: Jetty's own handling would describe it to the client.
            LOG.error("Internal error in {} {} (request id {})", exchange.request().getMethod(),
                    exchange.request().getHttpURI().getPath(), exchange.requestId(), e);
            return error(ErrorType.INTERNAL, "Internal server error; the server log has the details under request id "
                    + exchange.requestId(), exchange.requestId());
        }
    }

    static ApiResponse error(ErrorType type, String message, String requestId) {
        return new ApiResponse(type.status(), new ErrorBody(type, message, requestId));
    }
}
