package dev.waymark.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Function;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * AWS Signature Version 4 as the AWS SDKs sign non-S3 requests: the canonical request, the string to sign, the
 * derived signing key (cached per secret, date, region and service, the cache bounded by weight: the region comes
 * from the client), and the signature.
 *
 * <p>Paths and queries are taken as they arrived on the wire. The canonical URI is that path URI-encoded once
 * more (the SDKs sign a label {@code app%201} as {@code app%25201}); the canonical query is decoded and re-encoded
 * per RFC 3986, then sorted.
 */
public final class SignatureV4 {
    public static final String ALGORITHM = "AWS4-HMAC-SHA256";
    private static final HexFormat HEX = HexFormat.of();
    /** Bytes of cache key and derived key together: about 8,000 entries of a usual key, fewer of long ones. */
    private static final long MAX_CACHED_KEY_BYTES = 2_000_000;

    /**
     * One SHA-256 and one HMAC engine per thread: {@code getInstance} looks the algorithm up among the providers and
     * allocates on every call, which the profile of a signed GET showed as the largest part of SigV4's cost.
     */
    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> engine(() ->
            MessageDigest.getInstance("SHA-256")));
    private static final ThreadLocal<Mac> HMAC = ThreadLocal.withInitial(() -> engine(() ->
            Mac.getInstance("HmacSHA256")));

    private final Cache<String, byte[]> signingKeys = Caffeine.newBuilder().maximumWeight(MAX_CACHED_KEY_BYTES)
            .weigher((String cacheKey, byte[] key) -> 2 * cacheKey.length() + key.length + 96).build();

    /** The canonical request; {@code headers} gives every value of a lower-case header name, in order. */
    public static String canonicalRequest(String method, String rawPath, String rawQuery,
                                          Function<String, List<String>> headers, List<String> signedHeaders,
                                          String payloadHash) {
        StringBuilder request = new StringBuilder(256)
                .append(method).append('\n')
                .append(canonicalUri(rawPath)).append('\n')
                .append(canonicalQuery(rawQuery)).append('\n');
        for (String name : signedHeaders) {
            request.append(name).append(':').append(canonicalHeaderValue(headers.apply(name))).append('\n');
        }
        return request.append('\n').append(String.join(";", signedHeaders)).append('\n').append(payloadHash)
                .toString();
    }

    public static String stringToSign(String amzDate, String scope, String canonicalRequest) {
        return ALGORITHM + '\n' + amzDate + '\n' + scope + '\n' + sha256Hex(canonicalRequest.getBytes(StandardCharsets.UTF_8));
    }

    /** The hex signature of {@code stringToSign} with the key derived from {@code secret} for this scope. */
    public String sign(String secret, String date, String region, String service, String stringToSign) {
        return HEX.formatHex(hmac(signingKey(secret, date, region, service),
                stringToSign.getBytes(StandardCharsets.UTF_8)));
    }

    public static String sha256Hex(byte[] data) {
        // digest() resets the engine, so the thread's next call starts clean.
        return HEX.formatHex(SHA256.get().digest(data));
    }

    /** Compares two signatures in time that does not depend on where they differ. */
    public static boolean sameSignature(String expected, String actual) {
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
                actual.getBytes(StandardCharsets.US_ASCII));
    }

    /** How many derived keys are cached, for tests. */
    long cachedKeys() {
        signingKeys.cleanUp();
        return signingKeys.estimatedSize();
    }

    private byte[] signingKey(String secret, String date, String region, String service) {
        String cacheKey = date + '/' + region + '/' + service + '/' + secret;
        return signingKeys.get(cacheKey, k -> {
            byte[] dateKey = hmac(("AWS4" + secret).getBytes(StandardCharsets.UTF_8), utf8(date));
            return hmac(hmac(hmac(dateKey, utf8(region)), utf8(service)), utf8("aws4_request"));
        });
    }

    static String canonicalUri(String rawPath) {
        return rawPath == null || rawPath.isEmpty() ? "/" : encode(rawPath, true);
    }

    static String canonicalQuery(String rawQuery) {
        if (rawQuery == null || rawQuery.isEmpty()) {
            return "";
        }
        List<String> pairs = new ArrayList<>();
        for (String parameter : rawQuery.split("&")) {
            if (parameter.isEmpty()) {
                continue;
            }
            int equals = parameter.indexOf('=');
            String name = equals < 0 ? parameter : parameter.substring(0, equals);
            String value = equals < 0 ? "" : parameter.substring(equals + 1);
            pairs.add(encode(decode(name), false) + "=" + encode(decode(value), false));
        }
        pairs.sort(null);
        return String.join("&", pairs);
    }

    /** Values joined with commas, each trimmed, runs of spaces collapsed to one. */
    static String canonicalHeaderValue(List<String> values) {
        if (values.size() == 1) {
            return collapseSpaces(values.get(0).trim());
        }
        StringBuilder joined = new StringBuilder();
        for (String value : values) {
            if (joined.length() > 0) {
                joined.append(',');
            }
            joined.append(collapseSpaces(value.trim()));
        }
        return joined.toString();
    }

    /** Runs of spaces as one space; the text itself when it has no run (the usual case), with no regex compiled. */
    private static String collapseSpaces(String text) {
        if (!text.contains("  ")) {
            return text;
        }
        StringBuilder collapsed = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c != ' ' || collapsed.length() == 0 || collapsed.charAt(collapsed.length() - 1) != ' ') {
                collapsed.append(c);
            }
        }
        return collapsed.toString();
    }

    /** RFC 3986 encoding: unreserved characters stay, everything else is %XX of its UTF-8 bytes. */
    static String encode(String text, boolean keepSlash) {
        StringBuilder encoded = new StringBuilder(text.length() + 16);
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '_' || c == '.' || c == '~' || (keepSlash && c == '/')) {
                encoded.append(c);
            } else {
                encoded.append('%').append(Character.toUpperCase(Character.forDigit((c >> 4) & 0xf, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return encoded.toString();
    }

    /** Percent-decoding only: a '+' in a query is a plus, as the SDKs encode a space as %20. */
    static String decode(String text) {
        if (text.indexOf('%') < 0) {
            return text;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            int high = i + 2 < text.length() ? Character.digit(text.charAt(i + 1), 16) : -1;
            int low = i + 2 < text.length() ? Character.digit(text.charAt(i + 2), 16) : -1;
            if (c == '%' && high >= 0 && low >= 0) {
                bytes.write((high << 4) | low);
                i += 2;
            } else {
                bytes.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] hmac(byte[] key, byte[] data) {
        try {
            // init() replaces the key and resets the engine, and doFinal() resets it again.
            Mac mac = HMAC.get();
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    /** An engine of an algorithm every Java runtime has. */
    private static <T> T engine(Engine<T> factory) {
        try {
            return factory.get();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 or HmacSHA256 is not available", e);
        }
    }

    /** Makes a JCA engine. */
    @FunctionalInterface
    private interface Engine<T> {
        T get() throws GeneralSecurityException;
    }
}
