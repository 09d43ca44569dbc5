package dev.waymark.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.pinpoint.model.ApplicationResponse;
import software.amazon.awssdk.services.pinpoint.model.BadRequestException;
import software.amazon.awssdk.services.pinpoint.model.JourneyResponse;
import software.amazon.awssdk.services.pinpoint.model.NotFoundException;

/** CreateApp, GetApp, GetApps, DeleteApp and the tag operations over HTTP. */
class AppsAndTagsEndToEndTest extends EndToEndTest {

    @Test
    void createGetListDelete() {
        ApplicationResponse created = client.createApp(r -> r.createApplicationRequest(a -> a.name("demo")
                .tags(Map.of("team", "growth")))).applicationResponse();
        assertThat(created.id()).matches("[0-9a-f]{32}");
        assertThat(created.arn()).isEqualTo("arn:aws:mobiletargeting:us-east-1:000000000000:apps/" + created.id());
        assertThat(created.tags()).containsExactly(Map.entry("team", "growth"));
        assertThat(created.creationDate()).endsWith("Z");

        assertThat(client.getApp(r -> r.applicationId(created.id())).applicationResponse()).isEqualTo(created);
        assertThat(client.getApps(r -> { }).applicationsResponse().item()).containsExactly(created);

        String journeyId = client.createJourney(r -> r.applicationId(created.id())
                .writeJourneyRequest(SampleJourneys.simple("j"))).journeyResponse().id();
        assertThat(client.deleteApp(r -> r.applicationId(created.id())).applicationResponse()).isEqualTo(created);

        assertThatThrownBy(() -> client.getApp(r -> r.applicationId(created.id())))
                .isInstanceOf(NotFoundException.class)
                .hasMessageContaining("Application '" + created.id() + "' not found");
        assertThatThrownBy(() -> client.getJourneyRuns(r -> r.applicationId(created.id()).journeyId(journeyId)))
                .isInstanceOf(NotFoundException.class);
        assertThat(client.getApps(r -> { }).applicationsResponse().item()).isEmpty();
        assertThat(waymark.server().store().tags().get(created.id())).isEmpty();
    }

    @Test
    void createAppNeedsAName() {
        assertThatThrownBy(() -> client.createApp(r -> r.createApplicationRequest(a -> a.tags(Map.of()))))
                .isInstanceOf(BadRequestException.class)
                .hasMessageContaining("Name is required");
    }

    @Test
    void tagsOfAppsAndJourneys() {
        ApplicationResponse app = client.createApp(r -> r.createApplicationRequest(a -> a.name("tagged")))
                .applicationResponse();
        JourneyResponse journey = client.createJourney(r -> r.applicationId(app.id())
                .writeJourneyRequest(SampleJourneys.simple("j"))).journeyResponse();
        String journeyArn = app.arn() + "/journeys/" + journey.id();

        client.tagResource(r -> r.resourceArn(app.arn()).tagsModel(t -> t.tags(Map.of("a", "1", "b", "2"))));
        client.tagResource(r -> r.resourceArn(journeyArn).tagsModel(t -> t.tags(Map.of("j", "x"))));
        client.untagResource(r -> r.resourceArn(app.arn()).tagKeys("a", "missing"));

        assertThat(client.listTagsForResource(r -> r.resourceArn(app.arn())).tagsModel().tags())
                .containsExactly(Map.entry("b", "2"));
        assertThat(client.listTagsForResource(r -> r.resourceArn(journeyArn)).tagsModel().tags())
                .containsExactly(Map.entry("j", "x"));
        assertThat(client.getApp(r -> r.applicationId(app.id())).applicationResponse().tags())
                .containsExactly(Map.entry("b", "2"));
        assertThat(client.getJourney(r -> r.applicationId(app.id()).journeyId(journey.id())).journeyResponse().tags())
                .containsExactly(Map.entry("j", "x"));

        client.deleteJourney(r -> r.applicationId(app.id()).journeyId(journey.id()));
        assertThatThrownBy(() -> client.listTagsForResource(r -> r.resourceArn(journeyArn)))
                .isInstanceOf(NotFoundException.class);
        assertThat(waymark.server().store().tags().get(journey.id())).isEmpty();
    }

    @Test
    void tagLimitsAndUnknownResources() {
        ApplicationResponse app = client.createApp(r -> r.createApplicationRequest(a -> a.name("limits")))
                .applicationResponse();
        Map<String, String> fifty = new HashMap<>();
        for (int i = 0; i < 50; i++) {
            fifty.put("k" + i, "v");
        }
        client.tagResource(r -> r.resourceArn(app.arn()).tagsModel(t -> t.tags(fifty)));
        assertThatThrownBy(() -> client.tagResource(r -> r.resourceArn(app.arn())
                .tagsModel(t -> t.tags(Map.of("one-more", "v")))))
                .isInstanceOf(BadRequestException.class)
                .hasMessageContaining("at most 50 tags");
        assertThat(client.listTagsForResource(r -> r.resourceArn(app.arn())).tagsModel().tags()).hasSize(50);

        assertThatThrownBy(() -> client.tagResource(r -> r.resourceArn(app.arn())
                .tagsModel(t -> t.tags(Map.of("k0", "v".repeat(257))))))
                .isInstanceOf(BadRequestException.class)
                .hasMessageContaining("at most 256 characters");
        assertThatThrownBy(() -> client.listTagsForResource(r -> r.resourceArn(
                "arn:aws:mobiletargeting:eu-west-1:000000000000:apps/" + app.id())))
                .isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> client.listTagsForResource(r -> r.resourceArn("not-an-arn")))
                .isInstanceOf(NotFoundException.class);
    }
}
