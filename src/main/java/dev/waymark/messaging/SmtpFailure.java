package dev.waymark.messaging;

import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.MessagingException;
import java.io.IOException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;

/**
 * What an SMTP exception means for the message: the server's reply code when it gave one (a 4xx asks to try again
 * later, a 5xx refuses for good, at MAIL, RCPT or DATA alike), else a connection that failed or timed out, which is
 * worth another try.
 */
record SmtpFailure(int code, String message, Delivery.Outcome outcome) {
    /** How many exceptions of a chain are looked at: Angus chains one per refused recipient. */
    private static final int MAX_CHAIN = 16;
    private static final Pattern LEADING_CODE = Pattern.compile("^\\s*([2-5]\\d\\d)[ -]");

    static SmtpFailure of(MessagingException exception) {
        if (exception instanceof AuthenticationFailedException) {
            // The credentials are the server's configuration, not the message's fault: a permanent failure would
            // fail every queued message while the operator fixes the password.
            return new SmtpFailure(codeIn(exception.getMessage()), "SMTP authentication failed: "
                    + describe(exception), Delivery.Outcome.TRANSIENT_FAILURE);
        }
        Throwable current = exception;
        for (int i = 0; current != null && i < MAX_CHAIN; i++) {
            int code = 0;
            if (current instanceof SMTPSendFailedException sendFailed) {
                code = sendFailed.getReturnCode();
            } else if (current instanceof SMTPAddressFailedException addressFailed) {
                code = addressFailed.getReturnCode();
            }
            if (code >= 500 && code < 600) {
                return new SmtpFailure(code, describe(current), Delivery.Outcome.PERMANENT_FAILURE);
            }
            if (code >= 400 && code < 500) {
                return new SmtpFailure(code, describe(current), Delivery.Outcome.TRANSIENT_FAILURE);
            }
            current = next(current);
        }
        // No reply code: the connection failed, timed out, or TLS could not be set up; another try may do.
        return new SmtpFailure(0, "SMTP connection failed: " + describe(rootCause(exception)),
                Delivery.Outcome.TRANSIENT_FAILURE);
    }

    Delivery delivery() {
        return outcome == Delivery.Outcome.PERMANENT_FAILURE ? Delivery.permanentFailure(code, message)
                : Delivery.transientFailure(code, message);
    }

    private static Throwable next(Throwable current) {
        if (current instanceof MessagingException messaging && messaging.getNextException() != null) {
            return messaging.getNextException();
        }
        return current.getCause() == current ? null : current.getCause();
    }

    private static Throwable rootCause(Throwable exception) {
        Throwable current = exception;
        for (int i = 0; i < MAX_CHAIN; i++) {
            Throwable next = next(current);
            if (next == null) {
                return current;
            }
            // Keep the innermost I/O failure: it says what happened (refused, timed out, certificate).
            current = next;
            if (current instanceof IOException && next(current) == null) {
                return current;
            }
        }
        return current;
    }

    private static int codeIn(String message) {
        Matcher matcher = LEADING_CODE.matcher(message == null ? "" : message);
        return matcher.find() ? Integer.parseInt(matcher.group(1)) : 0;
    }

    private static String describe(Throwable exception) {
        String text = exception.getMessage() == null ? exception.getClass().getSimpleName()
                : exception.getClass().getSimpleName() + ": " + exception.getMessage().strip();
        return text.length() > 300 ? text.substring(0, 300) + "..." : text;
    }
}
