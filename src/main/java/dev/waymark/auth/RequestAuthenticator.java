package dev.waymark.auth;

import dev.waymark.error.ApiException;
import dev.waymark.error.ErrorType;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

import java.util.List;
import java.util.function.Function;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.server.Request;

/**
 * Verifies the SigV4 signature of a request, as the AWS SDKs and the CLI sign it, and says which key signed it.
 * Every refusal is a ForbiddenException whose message says what was wrong: missing, malformed, unknown key, revoked
 * key, bad signature, or outside the clock-skew window.
 */
public final class RequestAuthenticator {
    private static final String SERVICE = "mobiletargeting";
    private static final DateTimeFormatter AMZ_DATE = DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss'Z'");

    private final KeyRing keys;
    private final SignatureV4 signatures = new SignatureV4();
    private final Clock clock;
    private final Duration maxSkew;

    public RequestAuthenticator(KeyRing keys, Clock clock, Duration maxSkew) {
        this.keys = keys;
        this.clock = clock;
        this.maxSkew = maxSkew;
    }

    /** Authenticates a request as Jetty received it. */
    public Caller authenticate(Request request, byte[] body) {
        HttpFields headers = request.getHeaders();
        return authenticate(request.getMethod(), request.getHttpURI().getPath(), request.getHttpURI().getQuery(),
                headers::getValuesList, body);
    }

    /**
     * Authenticates a request given by its parts as they came over the wire; {@code headers} gives every value of
     * a header, by name in any case.
     */
    public Caller authenticate(String method, String rawPath, String rawQuery,
                               Function<String, List<String>> headers, byte[] body) {
        String authorization = first(headers, "Authorization");
        if (authorization == null) {
            throw forbidden("Missing authentication: the request is not signed; sign it with AWS Signature "
                    + "Version 4 (any AWS SDK or the AWS CLI does) using a Waymark access key");
        }
        CredentialScope scope;
        try {
            scope = CredentialScope.parse(authorization);
        } catch (IllegalArgumentException e) {
            throw forbidden("Malformed Authorization header: " + e.getMessage());
        }
        if (!SERVICE.equals(scope.service())) {
            throw forbidden("Malformed Authorization header: the credential scope names the service '"
                    + scope.service() + "'; Pinpoint requests are signed for '" + SERVICE + "'");
        }
        if (!scope.signedHeaders().contains("host")) {
            throw forbidden("Malformed Authorization header: SignedHeaders must include host");
        }
        for (String name : scope.signedHeaders()) {
            List<String> values = headers.apply(name);
            if (values == null || values.isEmpty()) {
                throw forbidden("Malformed request: the signed header " + name + " is not in the request");
            }
        }
        String amzDate = first(headers, "X-Amz-Date");
        if (amzDate == null) {
            throw forbidden("Malformed request: the X-Amz-Date header is missing");
        }
        checkTime(amzDate, scope);
        AccessKey key = keys.find(scope.accessKeyId()).orElseThrow(() -> forbidden(
                "Unknown access key: " + scope.accessKeyId() + " is not an access key of this Waymark"));
        if (key.revoked()) {
            throw forbidden("Revoked access key: " + key.id() + " was revoked");
        }
        String canonical = SignatureV4.canonicalRequest(method, rawPath, rawQuery, headers, scope.signedHeaders(),
                payloadHash(first(headers, "x-amz-content-sha256"), body));
        String credentialScope = scope.date() + "/" + scope.region() + "/" + scope.service() + "/aws4_request";
        String expected = signatures.sign(key.secret(), scope.date(), scope.region(), scope.service(),
                SignatureV4.stringToSign(amzDate, credentialScope, canonical));
        if (!SignatureV4.sameSignature(expected, scope.signature())) {
            throw forbidden("Bad signature: the signature Waymark calculated does not match the one the request "
                    + "carries; check the secret access key and that nothing changed the request after signing");
        }
        return Caller.of(key);
    }

    private void checkTime(String amzDate, CredentialScope scope) {
        Instant signedAt;
        try {
            signedAt = LocalDateTime.parse(amzDate, AMZ_DATE).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            throw forbidden("Malformed request: X-Amz-Date must look like 20261123T071750Z, not '" + amzDate + "'");
        }
        if (!amzDate.startsWith(scope.date())) {
            throw forbidden("Malformed Authorization header: the credential scope date " + scope.date()
                    + " is not the date of X-Amz-Date " + amzDate);
        }
        Duration skew = Duration.between(clock.instant(), signedAt).abs();
        if (skew.compareTo(maxSkew) > 0) {
            throw forbidden("Signature expired: the request was signed at " + amzDate + ", more than " + maxSkew
                    .toMinutes() + " minutes from Waymark's clock (" + AMZ_DATE.format(clock.instant()
                    .atOffset(ZoneOffset.UTC)) + "); check the client's clock");
        }
    }

    /** The hash the client signed: its x-amz-content-sha256 header, which must match the body, or the body's. */
    private static String payloadHash(String declared, byte[] body) {
        String actual = SignatureV4.sha256Hex(body);
        if (declared != null && !declared.equals(actual)) {
            throw forbidden("Bad signature: x-amz-content-sha256 is not the SHA-256 of the request body");
        }
        return actual;
    }

    private static String first(Function<String, List<String>> headers, String name) {
        List<String> values = headers.apply(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    static ApiException forbidden(String message) {
        return new ApiException(ErrorType.FORBIDDEN, message);
    }
}
