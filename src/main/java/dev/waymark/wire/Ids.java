package dev.waymark.wire;

import java.security.SecureRandom;
import java.util.HexFormat;

/** Makes identifiers shaped like Pinpoint's: 32 lowercase hex characters. */
public final class Ids {
    private static final SecureRandom RANDOM = new SecureRandom();

    private Ids() {}

    public static String newId() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
