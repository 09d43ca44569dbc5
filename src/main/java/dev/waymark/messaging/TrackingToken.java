package dev.waymark.messaging;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The signed token of a tracking URL: what it is for (open, click, unsubscribe), the app, message, endpoint, the
 * journey origin when there is one, and for a click the original link. Everything needed is inside, so a GET looks
 * nothing up to know what it means; the HMAC-SHA256 over it (keyed with a secret kept in the store) makes it
 * impossible to forge or to enumerate. Base64url without padding, at most {@link #MAX_CHARACTERS}.
 */
public final class TrackingToken {
    /** Longer tokens are refused before any decoding; links that would need one are left untracked. */
    public static final int MAX_CHARACTERS = 2048;
    private static final int VERSION = 1;
    private static final int MAC_BYTES = 32;

    /** What a token is for; its letter is the path segment of its URL ({@code /t/o/...}). */
    public enum Kind {
        OPEN("o"), CLICK("c"), UNSUBSCRIBE("u");

        private final String letter;

        Kind(String letter) {
            this.letter = letter;
        }

        public String letter() {
            return letter;
        }
    }

    /** The fields a token carries; {@code link} only for a click. */
    public record Fields(Kind kind, String appId, String messageId, String endpointId, Origin origin,
                         Optional<String> link) {}

    private final byte[] key;

    public TrackingToken(byte[] key) {
        if (key.length < 16) {
            throw new IllegalArgumentException("the tracking key must have at least 16 bytes");
        }
        this.key = key.clone();
    }

    /** The token for these fields, or empty when it would be longer than {@link #MAX_CHARACTERS}. */
    public Optional<String> sign(Fields fields) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(VERSION);
            out.writeByte(fields.kind().ordinal());
            for (String text : new String[] {fields.appId(), fields.messageId(), fields.endpointId(),
                    fields.origin().journeyId().orElse(""), fields.origin().runId().orElse(""),
                    fields.origin().activityId().orElse(""), fields.link().orElse("")}) {
                byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
                if (utf8.length > MAX_CHARACTERS) {
                    return Optional.empty();
                }
                out.writeShort(utf8.length);
                out.write(utf8);
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        byte[] payload = bytes.toByteArray();
        byte[] signed = Arrays.copyOf(payload, payload.length + MAC_BYTES);
        System.arraycopy(mac(payload, payload.length), 0, signed, payload.length, MAC_BYTES);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(signed);
        return token.length() <= MAX_CHARACTERS ? Optional.of(token) : Optional.empty();
    }

    /**
     * The fields of a token of this kind, or empty when it is too long, not base64url, not signed with our key, or
     * of another kind: the caller answers all of these the same way, so nothing tells a prober which it was.
     */
    public Optional<Fields> verify(String token, Kind expected) {
        if (token == null || token.length() > MAX_CHARACTERS || token.length() < 8) {
            return Optional.empty();
        }
        byte[] signed;
        try {
            signed = Base64.getUrlDecoder().decode(token);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        if (signed.length <= MAC_BYTES + 2) {
            return Optional.empty();
        }
        int length = signed.length - MAC_BYTES;
        byte[] given = Arrays.copyOfRange(signed, length, signed.length);
        if (!MessageDigest.isEqual(given, mac(signed, length))) {
            return Optional.empty();
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(signed, 0, length))) {
            if (in.readUnsignedByte() != VERSION) {
                return Optional.empty();
            }
            int kind = in.readUnsignedByte();
            if (kind != expected.ordinal()) {
                return Optional.empty();
            }
            String[] texts = new String[7];
            for (int i = 0; i < texts.length; i++) {
                byte[] utf8 = new byte[in.readUnsignedShort()];
                in.readFully(utf8);
                texts[i] = new String(utf8, StandardCharsets.UTF_8);
            }
            Origin origin = new Origin(present(texts[3]), present(texts[4]), present(texts[5]), Optional.empty());
            return Optional.of(new Fields(expected, texts[0], texts[1], texts[2], origin, present(texts[6])));
        } catch (IOException e) {
            // Signed by us yet unreadable: only a token of another format version could be; treat it as unknown.
            return Optional.empty();
        }
    }

    private byte[] mac(byte[] payload, int length) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            mac.update(payload, 0, length);
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    private static Optional<String> present(String text) {
        return text.isEmpty() ? Optional.empty() : Optional.of(text);
    }
}
