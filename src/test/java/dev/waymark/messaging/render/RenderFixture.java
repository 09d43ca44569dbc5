package dev.waymark.messaging.render;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.waymark.wire.Json;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** An endpoint as GetEndpoint returns it, a fixed clock, and short ways to render one text or HTML part. */
final class RenderFixture {
    static final Instant NOW = Instant.parse("2020-09-19T17:30:00Z");
    static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    static final String ENDPOINT = """
            {"Address": "jane@example.com", "ApplicationId": "app-1", "ChannelType": "EMAIL",
             "CreationDate": "2020-09-01T10:00:00.000Z", "EffectiveDate": "2020-09-02T11:00:00.000Z",
             "EndpointStatus": "ACTIVE", "Id": "ep-1", "OptOut": "NONE", "RequestId": "req-1",
             "Demographic": {"AppVersion": "1.2", "Locale": "en_US", "Make": "Apple", "Model": "iPhone",
                             "ModelVersion": "14", "Platform": "ios", "PlatformVersion": "17.1",
                             "Timezone": "America/Los_Angeles"},
             "Location": {"City": "Los Angeles", "Country": "US", "Latitude": 34.05, "Longitude": -118.24,
                          "PostalCode": "90001", "Region": "CA"},
             "Metrics": {"score": 3.5, "visits": 12},
             "Attributes": {"FavoriteColors": ["red", "blue", "yellow"], "Plan": ["Gold"],
                            "description": ["my first post"], "IsUserSubscribed": ["true"], "Empty": []},
             "User": {"UserId": "user-1",
                      "UserAttributes": {"FirstName": ["Jane"], "LastName": ["Santos"], "Last Name": ["Doe"],
                                         "UserAge": ["22"], "StartDate": ["09/19/2020"],
                                         "interests": ["<h1>Art</h1>"]}}}
            """;

    final HandlebarsRenderer renderer;

    RenderFixture() {
        this(new HandlebarsRenderer(CLOCK));
    }

    RenderFixture(HandlebarsRenderer renderer) {
        this.renderer = renderer;
    }

    static ObjectNode endpoint() {
        return (ObjectNode) readTree(ENDPOINT);
    }

    static com.fasterxml.jackson.databind.JsonNode readTree(String json) {
        try {
            return Json.MAPPER.readTree(json);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A text part (never escaped) rendered for the fixture's endpoint. */
    String text(String template) {
        return render("TextPart", template, endpoint(), Optional.empty(), Map.of());
    }

    /** An HtmlPart rendered for the fixture's endpoint. */
    String html(String template) {
        return render("HtmlPart", template, endpoint(), Optional.empty(), Map.of());
    }

    String render(String part, String template, ObjectNode variables, Optional<String> defaults,
                  Map<String, List<String>> substitutions) {
        ObjectNode parts = Json.MAPPER.createObjectNode().put(part, template);
        return renderer.render(parts, variables, defaults, substitutions).get(part).asText();
    }
}
