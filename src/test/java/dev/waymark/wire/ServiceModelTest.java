package dev.waymark.wire;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Compares Waymark's hand-written request shapes and operation catalogue with the Pinpoint service model in
 * ../shared/reference. Skipped where that file is absent (it is never copied into the project).
 */
class ServiceModelTest {
    private static final Path MODEL = Path.of("..", "shared", "reference", "pinpoint-2016-12-01.smithy.json");
    private static final String NS = "com.amazonaws.pinpoint#";
    private static JsonNode shapes;

    @BeforeAll
    static void load() throws Exception {
        Assumptions.assumeTrue(Files.exists(MODEL), "the service model is not at " + MODEL.toAbsolutePath());
        shapes = Json.MAPPER.readTree(MODEL.toFile()).get("shapes");
    }

    @Test
    void requestShapesMatchTheModel() {
        Set<String> checked = new HashSet<>();
        for (Shape root : new Shape[] {PinpointShapes.WRITE_JOURNEY_REQUEST, PinpointShapes.CREATE_APPLICATION_REQUEST,
                PinpointShapes.TAGS_MODEL, PinpointShapes.JOURNEY_STATE_REQUEST, PinpointShapes.WRITE_SEGMENT_REQUEST,
                PinpointShapes.EMAIL_TEMPLATE_REQUEST, PinpointShapes.SMS_TEMPLATE_REQUEST,
                PinpointShapes.VOICE_TEMPLATE_REQUEST, PinpointShapes.PUSH_TEMPLATE_REQUEST,
                PinpointShapes.IN_APP_TEMPLATE_REQUEST, PinpointShapes.TEMPLATE_ACTIVE_VERSION_REQUEST,
                dev.waymark.apps.AppSettingsShapes.WRITE_APPLICATION_SETTINGS_REQUEST,
                dev.waymark.analytics.EventStreamShapes.WRITE_EVENT_STREAM}) {
            compare(root, checked);
        }
        dev.waymark.messaging.ChannelShapes.ALL.forEach(root -> compare(root, checked));
        assertThat(checked).hasSizeGreaterThan(60);
    }

    private void compare(Shape ours, Set<String> checked) {
        if (!checked.add(ours.name())) {
            return;
        }
        if (ours instanceof Shape.Scalar scalar) {
            String expected = switch (scalar.kind()) {
                case STRING -> "string";
                case INTEGER -> "integer";
                case BOOLEAN -> "boolean";
                case DOUBLE -> "double";
                case TIMESTAMP -> "timestamp";
            };
            assertThat(shapes.path(NS + ours.name()).path("type").asText(expected)).as(ours.name()).isEqualTo(expected);
            return;
        }
        JsonNode model = shapes.get(NS + ours.name());
        assertThat(model).as("the model has a shape %s", ours.name()).isNotNull();
        if (ours instanceof Shape.Structure structure) {
            assertThat(model.get("type").asText()).isEqualTo("structure");
            Set<String> modelMembers = new TreeSet<>();
            for (Map.Entry<String, JsonNode> member : model.path("members").properties()) {
                modelMembers.add(member.getKey());
                JsonNode traits = member.getValue().path("traits");
                String wireKey = traits.path("smithy.api#jsonName").asText(member.getKey());
                Shape.Member mine = structure.members().get(wireKey);
                assertThat(mine).as("%s.%s (wire key %s)", ours.name(), member.getKey(), wireKey).isNotNull();
                assertThat(mine.name()).isEqualTo(member.getKey());
                assertThat(mine.required()).as("%s.%s required", ours.name(), member.getKey())
                        .isEqualTo(traits.has("smithy.api#required"));
                assertThat(NS + mine.shape().name()).as("%s.%s target", ours.name(), member.getKey())
                        .isEqualTo(member.getValue().get("target").asText());
                compare(mine.shape(), checked);
            }
            assertThat(structure.members().values()).extracting(Shape.Member::name)
                    .containsExactlyInAnyOrderElementsOf(modelMembers);
        } else if (ours instanceof Shape.Enumeration enumeration) {
            Set<String> values = new TreeSet<>();
            model.path("members").forEach(value ->
                    values.add(value.path("traits").path("smithy.api#enumValue").asText()));
            assertThat(enumeration.values()).as(ours.name()).containsExactlyInAnyOrderElementsOf(values);
        } else if (ours instanceof Shape.ListOf list) {
            assertThat(model.at("/member/target").asText()).endsWith("#" + list.member().name());
            compare(list.member(), checked);
        } else if (ours instanceof Shape.MapOf map) {
            assertThat(model.at("/value/target").asText()).endsWith("#" + map.value().name());
            assertThat(model.at("/key/target").asText()).endsWith("#" + map.key().name());
            compare(map.key(), checked);
            compare(map.value(), checked);
        }
    }

    @Test
    void operationCatalogueMatchesTheModel() throws Exception {
        Set<String> model = new TreeSet<>();
        for (Map.Entry<String, JsonNode> shape : shapes.properties()) {
            if (shape.getValue().path("type").asText().equals("operation")) {
                JsonNode http = shape.getValue().at("/traits/smithy.api#http");
                model.add(http.get("method").asText() + " " + http.get("uri").asText() + " "
                        + shape.getKey().substring(NS.length()));
            }
        }
        Set<String> catalogue = new TreeSet<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(
                dev.waymark.http.Router.class.getResourceAsStream("pinpoint-operations.txt"), StandardCharsets.UTF_8))) {
            reader.lines().filter(line -> !line.isBlank() && !line.startsWith("#")).forEach(catalogue::add);
        }
        assertThat(catalogue).hasSize(122).isEqualTo(model);
    }
}
