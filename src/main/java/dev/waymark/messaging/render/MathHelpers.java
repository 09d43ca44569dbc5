package dev.waymark.messaging.render;

import static dev.waymark.messaging.render.HelperArguments.number;
import static dev.waymark.messaging.render.HelperArguments.text;

import com.github.jknack.handlebars.Helper;
import com.github.jknack.handlebars.Options;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;
import java.util.function.BinaryOperator;

/**
 * Pinpoint's math and encoding helpers. Arithmetic is decimal, so {@code {{multiply 5 2.3}}} is 11.5 as Pinpoint
 * documents (binary floating point says 11.499999999999998); a quotient keeps 8 decimal places, Pinpoint's
 * {@code {{divide 5 2.3}}} being 2.17391304. A value that is not a number, a division by zero or a result of more
 * than {@link HelperArguments#MAX_DIGITS} digits fails the part.
 */
final class MathHelpers {
    private static final int QUOTIENT_SCALE = 8;

    private MathHelpers() {
    }

    static Map<String, Helper<Object>> helpers() {
        Map<String, Helper<Object>> helpers = new HashMap<>();
        helpers.put("add", arithmetic("add", BigDecimal::add));
        helpers.put("subtract", arithmetic("subtract", BigDecimal::subtract));
        helpers.put("multiply", arithmetic("multiply", BigDecimal::multiply));
        helpers.put("divide", arithmetic("divide", (a, b) -> a.divide(nonZero(b, "divide"), QUOTIENT_SCALE,
                RoundingMode.HALF_UP)));
        helpers.put("modulo", arithmetic("modulo", (a, b) -> a.remainder(nonZero(b, "modulo"))));
        helpers.put("ceiling", rounding("ceiling", RoundingMode.CEILING));
        helpers.put("floor", rounding("floor", RoundingMode.FLOOR));
        helpers.put("round", rounding("round", RoundingMode.HALF_UP));
        helpers.put("encode64", (value, options) -> Base64.getEncoder().encodeToString(bytes(value)));
        helpers.put("decode64", MathHelpers::decode64);
        helpers.put("md5", digest("MD5"));
        helpers.put("sha256", digest("SHA-256"));
        helpers.put("sha512", digest("SHA-512"));
        helpers.put("uuid", (value, options) -> UUID.randomUUID().toString());
        return helpers;
    }

    private static Helper<Object> arithmetic(String name, BinaryOperator<BigDecimal> operation) {
        return (value, options) -> {
            BigDecimal result = operation.apply(number(value, name, "the first value"),
                    number(options.param(0, null), name, "the second value"));
            return printed(HelperArguments.bounded(result, name));
        };
    }

    private static Helper<Object> rounding(String name, RoundingMode mode) {
        return (value, options) -> printed(number(value, name, "the value").setScale(0, mode));
    }

    private static BigDecimal nonZero(BigDecimal divisor, String name) {
        if (divisor.signum() == 0) {
            throw new TemplateFault(name + ": division by zero");
        }
        return divisor;
    }

    /** 7.3 rather than 7.30, 5 rather than 5E+0. */
    private static String printed(BigDecimal number) {
        return number.signum() == 0 ? "0" : number.stripTrailingZeros().toPlainString();
    }

    private static Object decode64(Object value, Options options) {
        try {
            return new String(Base64.getDecoder().decode(text(value).strip()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new TemplateFault("decode64: the value is not Base64: " + e.getMessage());
        }
    }

    private static Helper<Object> digest(String algorithm) {
        return (value, options) -> {
            try {
                return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(bytes(value)));
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("every Java runtime has " + algorithm, e);
            }
        };
    }

    private static byte[] bytes(Object value) {
        return text(value).getBytes(StandardCharsets.UTF_8);
    }
}
