package dev.waymark.auth;

import dev.waymark.error.ApiException;
import dev.waymark.error.ErrorType;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Verifies the SigV4 signature of a request, as the AWS SDKs and the CLI sign it, and says which key signed it.
 * Every refusal is a ForbiddenException whose message says what was wrong: missing, malformed, unknown key, revoked
 * key, bad signature, or outside the clock-skew window.
 *
 * <p>It works in two halves, so that a request costs no body buffer before its headers are shown to be from a
 * known key: {@link #checkHeaders} checks everything the headers carry (and the whole signature when the client
 * sent {@code x-amz-content-sha256}), then {@link HeadersChecked#complete} takes the hash of the body as read.
 * An address that keeps failing with malformed or unknown key ids is refused at once for key ids that have not
 * signed correctly lately; failures with a known key (a stale secret, a revoked key) slow that key from that address
 * only.
 */
public final class RequestAuthenticator {
    private static final String SERVICE = "mobiletargeting";
    private static final DateTimeFormatter AMZ_DATE = DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss'Z'");
    /** Region names as AWS forms them (us-east-1, us-gov-west-1), loosely: the region keys a cache. */
    private static final Pattern REGION = Pattern.compile("[a-z][a-z0-9-]{0,31}");
    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");

    private final KeyRing keys;
    private final SignatureV4 signatures = new SignatureV4();
    private final FailedAuthentications failures = new FailedAuthentications();
    private final Clock clock;
    private final Duration maxSkew;

    public RequestAuthenticator(KeyRing keys, Clock clock, Duration maxSkew) {
        this.keys = keys;
        this.clock = clock;
        this.maxSkew = maxSkew;
    }

    /**
     * Authenticates a whole request given by its parts as they came over the wire; {@code headers} gives every
     * value of a header, by name in any case.
     */
    public Caller authenticate(String method, String rawPath, String rawQuery,
                               Function<String, List<String>> headers, byte[] body) {
        return checkHeaders(method, rawPath, rawQuery, headers, "local").complete(SignatureV4.sha256Hex(body));
    }

    /**
     * The first half: everything the headers can prove, from {@code address}. Throws ForbiddenException, or
     * TooManyRequestsException for an address that keeps failing.
     */
    public HeadersChecked checkHeaders(String method, String rawPath, String rawQuery,
                                       Function<String, List<String>> headers, String address) {
        String[] failing = {address};
        try {
            return verifyHeaders(method, rawPath, rawQuery, headers, address, failing);
        } catch (ApiException e) {
            if (e.type() == ErrorType.FORBIDDEN) {
                failures.failed(failing[0]);
            }
            throw e;
        }
    }

    /** {@code failing[0]} is what a refusal counts against: the address, then the address with a known key. */
    private HeadersChecked verifyHeaders(String method, String rawPath, String rawQuery,
                                         Function<String, List<String>> headers, String address, String[] failing) {
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
        if (!KeyRing.wellFormed(scope.accessKeyId())) {
            throw forbidden("Malformed Authorization header: an access key id is 1 to 128 letters and digits");
        }
        if (!SERVICE.equals(scope.service())) {
            throw forbidden("Malformed Authorization header: the credential scope names the service '"
                    + shortened(scope.service()) + "'; Pinpoint requests are signed for '" + SERVICE + "'");
        }
        if (!REGION.matcher(scope.region()).matches()) {
            throw forbidden("Malformed Authorization header: the credential scope's region must be a region name "
                    + "such as us-east-1 (lowercase letters, digits and '-', at most 32 characters)");
        }
        if (!scope.signedHeaders().contains("host")) {
            throw forbidden("Malformed Authorization header: SignedHeaders must include host");
        }
        for (String name : scope.signedHeaders()) {
            List<String> values = headers.apply(name);
            if (values == null || values.isEmpty()) {
                throw forbidden("Malformed request: the signed header " + shortened(name) + " is not in the request");
            }
        }
        String amzDate = first(headers, "X-Amz-Date");
        if (amzDate == null) {
            throw forbidden("Malformed request: the X-Amz-Date header is missing");
        }
        checkTime(amzDate, scope);
        String declaredHash = first(headers, "x-amz-content-sha256");
        if (declaredHash != null && !SHA256_HEX.matcher(declaredHash).matches()) {
            throw forbidden("Bad signature: x-amz-content-sha256 is not the SHA-256 of the request body");
        }
        if (failures.penalised(address) && !keys.isProven(scope.accessKeyId())) {
            throw new ApiException(ErrorType.TOO_MANY_REQUESTS, "Too many failed authentications from " + address
                    + "; wait a few seconds before trying another access key");
        }
        AccessKey key = keys.find(scope.accessKeyId()).orElseThrow(() -> forbidden(
                "Unknown access key: " + scope.accessKeyId() + " is not an access key of this Waymark"));
        failing[0] = FailedAuthentications.withKey(address, key.id());
        if (failures.penalised(failing[0])) {
            throw new ApiException(ErrorType.TOO_MANY_REQUESTS, "Too many failed authentications with access key "
                    + key.id() + " from " + address + "; check its secret, and wait a few seconds");
        }
        if (key.revoked()) {
            throw forbidden("Revoked access key: " + key.id() + " was revoked");
        }
        HeadersChecked checked = new HeadersChecked(method, rawPath, rawQuery, headers, failing[0], scope, amzDate,
                declaredHash, key);
        if (declaredHash != null) {
            checked.verify(declaredHash);
        }
        return checked;
    }

    /** A request whose headers are from a known key; the body's hash completes the check. */
    public final class HeadersChecked {
        private final String method;
        private final String rawPath;
        private final String rawQuery;
        private final Function<String, List<String>> headers;
        /** What a bad signature on the body counts against: this address with this key. */
        private final String failing;
        private final CredentialScope scope;
        private final String amzDate;
        private final String declaredHash;
        private final AccessKey key;

        private HeadersChecked(String method, String rawPath, String rawQuery, Function<String, List<String>> headers,
                               String failing, CredentialScope scope, String amzDate, String declaredHash,
                               AccessKey key) {
            this.method = method;
            this.rawPath = rawPath;
            this.rawQuery = rawQuery;
            this.headers = headers;
            this.failing = failing;
            this.scope = scope;
            this.amzDate = amzDate;
            this.declaredHash = declaredHash;
            this.key = key;
        }

        /** Whether the whole signature is already verified (the client declared the body's hash). */
        public boolean signatureVerified() {
            return declaredHash != null;
        }

        /** The second half: with the SHA-256 (hex) of the body as read, the caller, or ForbiddenException. */
        public Caller complete(String bodyHash) {
            try {
                if (declaredHash != null) {
                    if (!declaredHash.equals(bodyHash)) {
                        throw forbidden("Bad signature: x-amz-content-sha256 is not the SHA-256 of the request body");
                    }
                } else {
                    verify(bodyHash);
                }
            } catch (ApiException e) {
                failures.failed(failing);
                throw e;
            }
            keys.proven(key.id());
            return Caller.of(key);
        }

        private void verify(String payloadHash) {
            String canonical = SignatureV4.canonicalRequest(method, rawPath, rawQuery, headers,
                    scope.signedHeaders(), payloadHash);
            String credentialScope = scope.date() + "/" + scope.region() + "/" + scope.service() + "/aws4_request";
            String expected = signatures.sign(key.secret(), scope.date(), scope.region(), scope.service(),
                    SignatureV4.stringToSign(amzDate, credentialScope, canonical));
            if (!SignatureV4.sameSignature(expected, scope.signature())) {
                throw forbidden("Bad signature: the signature Waymark calculated does not match the one the "
                        + "request carries; check the secret access key and that nothing changed the request after "
                        + "signing");
            }
        }
    }

    /**
     * X-Amz-Date's basic ISO form, 20261123T071750Z, read by hand: every signed request carries one, and a
     * DateTimeFormatter parse showed in the read path's profile. A date that does not exist is refused.
     */
    static Instant parseAmzDate(String amzDate) {
        if (amzDate.length() != 16 || amzDate.charAt(8) != 'T' || amzDate.charAt(15) != 'Z') {
            throw new DateTimeException("not of the form yyyyMMddTHHmmssZ");
        }
        return LocalDateTime.of(digits(amzDate, 0, 4), digits(amzDate, 4, 6), digits(amzDate, 6, 8),
                digits(amzDate, 9, 11), digits(amzDate, 11, 13), digits(amzDate, 13, 15)).toInstant(ZoneOffset.UTC);
    }

    private static int digits(String text, int from, int to) {
        int value = 0;
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                throw new DateTimeException("not a digit at " + i);
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    private void checkTime(String amzDate, CredentialScope scope) {
        Instant signedAt;
        try {
            signedAt = parseAmzDate(amzDate);
        } catch (DateTimeException e) {
            throw forbidden("Malformed request: X-Amz-Date must look like 20261123T071750Z, not '"
                    + shortened(amzDate) + "'");
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

    /** Client text echoed in a message, cut short: a refusal must not cost more than the request. */
    private static String shortened(String text) {
        return text.length() <= 64 ? text : text.substring(0, 64) + "…";
    }

    private static String first(Function<String, List<String>> headers, String name) {
        List<String> values = headers.apply(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    static ApiException forbidden(String message) {
        return new ApiException(ErrorType.FORBIDDEN, message);
    }
}
