package dev.waymark.messaging.render;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.waymark.wire.Json;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every variable root of Pinpoint's endpoint, and the lookup order: substitutions, endpoint, defaults, empty. */
class VariablesTest {
    private final RenderFixture fixture = new RenderFixture();

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{{Address}}|jane@example.com",
            "{{Attributes.Plan}}|Gold",
            "{{Attributes.FavoriteColors}}|red",
            "{{Attributes.FavoriteColors.[1]}}|blue",
            "{{ChannelType}}|EMAIL",
            "{{CreationDate}}|2020-09-01T10:00:00.000Z",
            "{{Demographic.AppVersion}} {{Demographic.Locale}} {{Demographic.Make}} {{Demographic.Model}}|1.2 en_US Apple iPhone",
            "{{Demographic.ModelVersion}} {{Demographic.Platform}} {{Demographic.PlatformVersion}}|14 ios 17.1",
            "{{Demographic.Timezone}}|America/Los_Angeles",
            "{{EffectiveDate}}|2020-09-02T11:00:00.000Z",
            "{{EndpointStatus}}|ACTIVE",
            "{{Id}}|ep-1",
            "{{Location.City}}, {{Location.Country}} {{Location.PostalCode}} {{Location.Region}}|Los Angeles, US 90001 CA",
            "{{Location.Latitude}} {{Location.Longitude}}|34.05 -118.24",
            "{{Metrics.score}} {{Metrics.visits}}|3.5 12",
            "{{OptOut}}|NONE",
            "{{RequestId}}|req-1",
            "{{User.UserId}}|user-1",
            "{{User.UserAttributes.FirstName}}|Jane",
            "{{User.UserAttributes.FirstName.[0]}}|Jane",
            "{{User.UserAttributes.[Last Name]}}|Doe",
            "{{User.UserAttributes.[Last Name].[0]}}|Doe",
            "{{upper User.UserAttributes.LastName.[0]}}|SANTOS",
            "{{upper User.UserAttributes.LastName}}|SANTOS",
            "[{{Attributes.Missing}}][{{Attributes.Empty}}][{{Nope.Deeper.[0]}}]|[][][]",
            "{{Attributes.FavoriteColors.[7]}}|''",
    })
    void eachVariableRootReadsTheEndpoint(String template, String expected) {
        assertThat(fixture.text(template)).isEqualTo(expected);
    }

    @Test
    void anObjectPrintsAsNothingAndEachWalksAList() {
        assertThat(fixture.text("[{{User}}]")).isEqualTo("[]");
        assertThat(fixture.text("{{#each User.UserAttributes.FavoriteColors}}x{{else}}none{{/each}}"))
                .isEqualTo("none");
        assertThat(fixture.text("{{#each Attributes.FavoriteColors}}<li>{{@index}}:{{this}} {{Address}}</li>{{/each}}"))
                .isEqualTo("<li>0:red jane@example.com</li><li>1:blue jane@example.com</li>"
                        + "<li>2:yellow jane@example.com</li>");
        assertThat(fixture.text("{{#each Location}}{{@key}}={{this}};{{/each}}"))
                .isEqualTo("City=Los Angeles;Country=US;Latitude=34.05;Longitude=-118.24;PostalCode=90001;Region=CA;");
    }

    @Test
    void substitutionsComeFirstThenTheEndpointThenTheDefaults() {
        ObjectNode endpoint = RenderFixture.endpoint();
        String template = "{{User.UserAttributes.FirstName}}|{{User.UserAttributes.LastName}}|{{Attributes.Plan}}|"
                + "{{FirstName}}|{{User.UserAttributes.Nickname}}|{{Attributes.Empty}}|{{Unknown}}";
        Optional<String> defaults = Optional.of("""
                {"User.UserAttributes.FirstName": "there", "User.UserAttributes.Nickname": "pal",
                 "Attributes": {"Plan": "Free", "Empty": "nothing yet"}, "Unknown": ""}""");
        Map<String, List<String>> substitutions = Map.of(
                "User.UserAttributes.LastName", List.of("Override", "second"),
                "FirstName", List.of("Sub"));
        assertThat(fixture.render("TextPart", template, endpoint, defaults, substitutions))
                .isEqualTo("Jane|Override|Gold|Sub|pal|nothing yet|");
        // A send to a bare address has no endpoint: the defaults speak.
        assertThat(fixture.render("TextPart", template, Json.MAPPER.createObjectNode(), defaults, substitutions))
                .isEqualTo("there|Override|Free|Sub|pal|nothing yet|");
    }

    @Test
    void defaultSubstitutionsMayBeDottedNestedOrBoth() {
        ObjectNode empty = Json.MAPPER.createObjectNode();
        String template = "Hello {{User.UserAttributes.FirstName}} {{User.UserAttributes.[Last Name].[0]}} "
                + "{{Attributes.Purchase}}";
        assertThat(fixture.render("TextPart", template, empty,
                Optional.of("{\"User.UserAttributes.FirstName\":\"there\",\"User.UserAttributes.[Last Name]\":\"X\"}"),
                Map.of())).isEqualTo("Hello there X ");
        assertThat(fixture.render("TextPart", template, empty,
                Optional.of("{\"User\":{\"UserAttributes\":{\"FirstName\":\"there\"}},\"Attributes\":{\"Purchase\":\"Test\"}}"),
                Map.of())).isEqualTo("Hello there  Test");
        assertThat(fixture.render("TextPart", template, empty,
                Optional.of("{\"User\":{\"UserAttributes.FirstName\":\"mixed\"},\"User.UserAttributes\":{\"Last Name\":[\"L\"]}}"),
                Map.of())).isEqualTo("Hello mixed L ");
    }

    @Test
    void defaultsThatAreNotAJsonObjectAreNoDefaults() {
        ObjectNode empty = Json.MAPPER.createObjectNode();
        for (String bad : List.of("{not json", "[1,2]", "\"text\"", "", "   ", "null")) {
            assertThat(fixture.render("TextPart", "Hi {{User.UserAttributes.FirstName}}!", empty, Optional.of(bad),
                    Map.of())).as(bad).isEqualTo("Hi !");
        }
    }

    @Test
    void onlyHtmlPartIsEscaped() {
        ObjectNode endpoint = RenderFixture.endpoint();
        ObjectNode parts = Json.MAPPER.createObjectNode()
                .put("Subject", "{{User.UserAttributes.interests}}")
                .put("HtmlPart", "<p>{{User.UserAttributes.interests}} {{{User.UserAttributes.interests}}}</p>")
                .put("TextPart", "{{User.UserAttributes.interests}} & {{{User.UserAttributes.interests}}}");
        parts.putObject("APNS").put("Body", "{{Attributes.Plan}} <{{User.UserAttributes.interests}}>");
        parts.putArray("Content").addObject().putObject("BodyConfig").put("Body", "{{User.UserAttributes.interests}}");
        ObjectNode rendered = fixture.renderer.render(parts, endpoint, Optional.empty(), Map.of());
        assertThat(rendered.get("Subject").asText()).isEqualTo("<h1>Art</h1>");
        assertThat(rendered.get("HtmlPart").asText()).isEqualTo("<p>&lt;h1&gt;Art&lt;/h1&gt; <h1>Art</h1></p>");
        assertThat(rendered.get("TextPart").asText()).isEqualTo("<h1>Art</h1> & <h1>Art</h1>");
        assertThat(rendered.at("/APNS/Body").asText()).isEqualTo("Gold <<h1>Art</h1>>");
        assertThat(rendered.at("/Content/0/BodyConfig/Body").asText()).isEqualTo("<h1>Art</h1>");
        assertThat(fixture.render("HtmlPart", "{{Attributes.Q}}", endpoint, Optional.of("{\"Attributes.Q\":\"a\\\"b'c&d\"}"),
                Map.of())).isEqualTo("a&quot;b&#x27;c&amp;d");
    }

    @Test
    void partsThatAreNotTextAreCopiedAndPartsWithoutMustachesAreKept() {
        ObjectNode parts = Json.MAPPER.createObjectNode().put("TextPart", "plain").put("Count", 3);
        parts.putNull("Nothing");
        ObjectNode rendered = fixture.renderer.render(parts, RenderFixture.endpoint(), Optional.empty(), Map.of());
        assertThat(rendered.toString()).isEqualTo("{\"TextPart\":\"plain\",\"Count\":3,\"Nothing\":null}");
    }
}
