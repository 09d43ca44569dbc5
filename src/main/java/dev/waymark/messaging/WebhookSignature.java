package dev.waymark.messaging;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The {@code Waymark-Signature} header of every webhook request: {@code t=<unix seconds>,v1=<hex HMAC-SHA256 of
 * "<t>.<body>">} keyed with the {@code --webhook-secret} (its UTF-8 bytes). The time inside the signed text lets a
 * receiver refuse an old request replayed by someone who recorded it.
 */
public final class WebhookSignature {
    /** The header's name. */
    public static final String HEADER = "Waymark-Signature";

    private WebhookSignature() {}

    /** The header's value for {@code body} sent at {@code unixSeconds}. */
    public static String header(String secret, long unixSeconds, byte[] body) {
        return new Signer(secret).header(unixSeconds, body);
    }

    /**
     * Whether {@code header} is a signature of {@code body} with {@code secret}, made no more than
     * {@code toleranceSeconds} from {@code nowSeconds} (either way: clocks differ).
     */
    public static boolean verify(String secret, String header, byte[] body, long nowSeconds, long toleranceSeconds) {
        long timestamp = -1;
        byte[] given = null;
        for (String part : header.split(",", 8)) {
            String item = part.strip();
            try {
                if (item.startsWith("t=")) {
                    timestamp = Long.parseLong(item.substring(2));
                } else if (item.startsWith("v1=")) {
                    given = HexFormat.of().parseHex(item.substring(3));
                }
            } catch (IllegalArgumentException e) {
                return false;
            }
        }
        if (timestamp < 0 || given == null || Math.abs(nowSeconds - timestamp) > toleranceSeconds) {
            return false;
        }
        // Constant time: an early mismatch must not tell a forger how many bytes were right.
        return MessageDigest.isEqual(given, hmac(secret, timestamp, body));
    }

    private static byte[] hmac(String secret, long unixSeconds, byte[] body) {
        return new Signer(secret).hmac(unixSeconds, body);
    }

    /**
     * Signs with one secret many times: the keyed MAC is made once and copied for each request, which saves a
     * provider look-up and the key schedule on every message.
     */
    static final class Signer {
        private final Mac keyed;

        Signer(String secret) {
            try {
                keyed = Mac.getInstance("HmacSHA256");
                keyed.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            } catch (NoSuchAlgorithmException | InvalidKeyException e) {
                throw new IllegalStateException("HmacSHA256 is always available", e);
            }
        }

        String header(long unixSeconds, byte[] body) {
            return "t=" + unixSeconds + ",v1=" + HexFormat.of().formatHex(hmac(unixSeconds, body));
        }

        byte[] hmac(long unixSeconds, byte[] body) {
            Mac mac;
            try {
                mac = (Mac) keyed.clone();
            } catch (CloneNotSupportedException e) {
                throw new IllegalStateException("the JDK's HmacSHA256 can be cloned", e);
            }
            mac.update((unixSeconds + ".").getBytes(StandardCharsets.US_ASCII));
            return mac.doFinal(body);
        }
    }
}
