package dev.waymark.messaging.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.jknack.handlebars.HandlebarsException;
import com.github.jknack.handlebars.PathCompiler;
import java.lang.reflect.Field;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The compile step that saving and rendering share. */
class PinpointHandlebarsTest {
    private final PinpointHandlebars handlebars = new PinpointHandlebars(RenderFixture.CLOCK);

    @Test
    void pinpointsHelpersCompileInSubExpressionsAndUnknownOnesDoNot() throws Exception {
        for (String helper : PinpointHandlebars.PINPOINT_HELPERS) {
            handlebars.compile("{{upper (" + helper + " \"1\" \"2\")}}", false);
        }
        assertThatThrownBy(() -> handlebars.compile("{{upper (shout Attributes.Name)}}", false))
                .isInstanceOf(HandlebarsException.class).hasMessageContaining("shout");
    }

    @Test
    void blocksNestedBeyondTheStackAreRefusedNotACrash() {
        String deep = "{{#if a}}".repeat(50_000) + "x" + "{{/if}}".repeat(50_000);
        assertThatThrownBy(() -> handlebars.compile(deep, true))
                .isInstanceOfAny(IllegalArgumentException.class, HandlebarsException.class);
    }

    @Test
    void handlebarsCacheOfVariablePathsStaysBounded() throws Exception {
        Field field = PathCompiler.class.getDeclaredField("cache");
        field.setAccessible(true);
        Map<?, ?> cache = (Map<?, ?>) field.get(null);
        StringBuilder names = new StringBuilder();
        for (int template = 0; template < 30; template++) {
            names.setLength(0);
            for (int i = 0; i < 1_000; i++) {
                names.append("{{Attributes.n").append(template).append('_').append(i).append("}}");
            }
            handlebars.compile(names.toString(), false);
        }
        assertThat(cache.size()).isLessThanOrEqualTo(21_000);
    }
}
