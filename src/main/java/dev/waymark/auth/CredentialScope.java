package dev.waymark.auth;

import java.util.List;
import java.util.regex.Pattern;

/**
 * The parts of a SigV4 {@code Authorization} header:
 * {@code AWS4-HMAC-SHA256 Credential=AKID/20261123/us-east-1/mobiletargeting/aws4_request,
 * SignedHeaders=host;x-amz-date, Signature=hex}.
 */
public record CredentialScope(String accessKeyId, String date, String region, String service,
                              List<String> signedHeaders, String signature) {
    private static final String ALGORITHM = "AWS4-HMAC-SHA256";
    // Compiled once: String.matches compiles its pattern on every call, and every signed request is parsed here.
    private static final Pattern DATE = Pattern.compile("[0-9]{8}");
    private static final Pattern SIGNATURE = Pattern.compile("[0-9a-f]{64}");

    /** Parses the header, or throws IllegalArgumentException saying what is wrong with it. */
    public static CredentialScope parse(String header) {
        String value = header.trim();
        if (!value.startsWith(ALGORITHM + " ")) {
            throw new IllegalArgumentException("the Authorization header must use " + ALGORITHM);
        }
        String credential = null;
        String signedHeaders = null;
        String signature = null;
        for (String part : value.substring(ALGORITHM.length()).split(",")) {
            String item = part.trim();
            int equals = item.indexOf('=');
            if (equals < 0) {
                throw new IllegalArgumentException("the Authorization header has a part without '=': " + item);
            }
            String key = item.substring(0, equals);
            String field = item.substring(equals + 1);
            switch (key) {
                case "Credential": credential = field; break;
                case "SignedHeaders": signedHeaders = field; break;
                case "Signature": signature = field; break;
                default: throw new IllegalArgumentException("the Authorization header has an unknown part " + key);
            }
        }
        if (credential == null || signedHeaders == null || signature == null) {
            throw new IllegalArgumentException("the Authorization header needs Credential, SignedHeaders and Signature");
        }
        String[] scope = credential.split("/", -1);
        if (scope.length != 5 || !"aws4_request".equals(scope[4]) || scope[0].isEmpty()
                || !DATE.matcher(scope[1]).matches() || scope[2].isEmpty() || scope[3].isEmpty()) {
            throw new IllegalArgumentException("the credential must be KEY/YYYYMMDD/REGION/SERVICE/aws4_request");
        }
        if (!SIGNATURE.matcher(signature).matches()) {
            throw new IllegalArgumentException("the signature must be 64 lowercase hex characters");
        }
        return new CredentialScope(scope[0], scope[1], scope[2], scope[3],
                List.of(signedHeaders.split(";")), signature);
    }
}
