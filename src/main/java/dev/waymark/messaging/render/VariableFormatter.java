package dev.waymark.messaging.render;

import com.github.jknack.handlebars.Formatter;
import java.math.BigDecimal;
import java.util.List;

/** How a value prints: an attribute's list as its first value, an object as nothing, a decimal without exponent. */
final class VariableFormatter implements Formatter {
    static final VariableFormatter INSTANCE = new VariableFormatter();

    private VariableFormatter() {
    }

    @Override
    public Object format(Object value, Formatter.Chain next) {
        if (value instanceof List<?> || value instanceof Variables) {
            return HelperArguments.text(value);
        }
        if (value instanceof BigDecimal decimal) {
            return decimal.toPlainString();
        }
        return next.format(value);
    }
}
