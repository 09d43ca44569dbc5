package dev.waymark.http;

import dev.waymark.error.ApiException;
import dev.waymark.store.PageCursor;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Page size and page tokens of the listing operations. A token names the listing and scope it was issued for and
 * the keyset position to go on from, sealed with an HMAC whose key lives in the database, so a token survives
 * restarts and works on every node, and a tampered or foreign token is refused.
 */
public final class Paging {
    static final int DEFAULT_PAGE_SIZE = 100;
    static final int MAX_PAGE_SIZE = 1000;
    private static final int MAC_BYTES = 16;
    private static final Pattern DIGITS = Pattern.compile("[0-9]{1,10}");
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

    private final SecretKeySpec key;
    /** Each thread's own MAC, keyed once: looking the algorithm up and keying it cost more than the MAC itself. */
    private final ThreadLocal<Mac> macs = ThreadLocal.withInitial(this::keyedMac);

    public Paging(byte[] key) {
        this.key = new SecretKeySpec(key, "HmacSHA256");
    }

    /** The {@code page-size} query value: a positive integer, 100 when absent, at most 1000. */
    public static int pageSize(ApiRequest request) {
        Optional<String> value = request.queryValue("page-size");
        if (value.isEmpty()) {
            return DEFAULT_PAGE_SIZE;
        }
        String text = value.get().trim();
        if (!DIGITS.matcher(text).matches() || Long.parseLong(text) < 1) {
            throw ApiException.badRequest("page-size must be a positive integer, not '" + value.get() + "'");
        }
        return (int) Math.min(Long.parseLong(text), MAX_PAGE_SIZE);
    }

    /** The position to go on from, from the {@code token} query value of a listing of {@code scope}. */
    public Optional<PageCursor> after(ApiRequest request, String listing, String scope) {
        Optional<String> token = request.queryValue("token");
        if (token.isEmpty() || token.get().isEmpty()) {
            return Optional.empty();
        }
        String[] parts = token.get().split("\\.", -1);
        byte[] payload;
        byte[] mac;
        try {
            if (parts.length != 2) {
                throw new IllegalArgumentException();
            }
            payload = DECODER.decode(parts[0]);
            mac = DECODER.decode(parts[1]);
        } catch (IllegalArgumentException e) {
            throw invalid();
        }
        if (!MessageDigest.isEqual(mac, sign(payload))) {
            throw invalid();
        }
        String[] fields = new String(payload, StandardCharsets.UTF_8).split("\\|", -1);
        if (fields.length != 4 || !fields[0].equals(listing) || !fields[1].equals(scope)) {
            throw ApiException.badRequest("The token was issued for another listing; use the NextToken of this "
                    + "operation's previous page");
        }
        return Optional.of(new PageCursor(Long.parseLong(fields[2]), fields[3]));
    }

    /** The NextToken for a page, or null for the last page. */
    public String nextToken(Optional<PageCursor> next, String listing, String scope) {
        if (next.isEmpty()) {
            return null;
        }
        PageCursor cursor = next.get();
        byte[] payload = (listing + "|" + scope + "|" + cursor.position() + "|" + cursor.id())
                .getBytes(StandardCharsets.UTF_8);
        return ENCODER.encodeToString(payload) + "." + ENCODER.encodeToString(sign(payload));
    }

    private byte[] sign(byte[] payload) {
        // doFinal leaves the MAC reset and keyed for the next payload.
        return Arrays.copyOf(macs.get().doFinal(payload), MAC_BYTES);
    }

    private Mac keyedMac() {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    private static ApiException invalid() {
        return ApiException.badRequest("The token is not valid: pass the NextToken of a previous page unchanged");
    }
}
