package dev.waymark.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkField;
import software.amazon.awssdk.services.pinpoint.model.Activity;
import software.amazon.awssdk.services.pinpoint.model.BadRequestException;
import software.amazon.awssdk.services.pinpoint.model.ConflictException;
import software.amazon.awssdk.services.pinpoint.model.EmailMessageActivity;
import software.amazon.awssdk.services.pinpoint.model.JourneyResponse;
import software.amazon.awssdk.services.pinpoint.model.NotFoundException;
import software.amazon.awssdk.services.pinpoint.model.State;
import software.amazon.awssdk.services.pinpoint.model.WriteJourneyRequest;

/** CreateJourney, GetJourney, ListJourneys, UpdateJourney, UpdateJourneyState and DeleteJourney over HTTP. */
class JourneysEndToEndTest extends EndToEndTest {
    private static final Set<String> SERVER_OWNED = Set.of("CreationDate", "LastModifiedDate", "State");

    String appId;

    @BeforeEach
    void createTestApp() {
        appId = createApp("journeys");
    }

    @Test
    void everyMemberOfTheRequestComesBackUnchanged() {
        WriteJourneyRequest sent = SampleJourneys.everything("all-kinds");
        Instant before = Instant.now().minusSeconds(1);

        JourneyResponse created = client.createJourney(r -> r.applicationId(appId).writeJourneyRequest(sent))
                .journeyResponse();
        JourneyResponse read = client.getJourney(r -> r.applicationId(appId).journeyId(created.id())).journeyResponse();

        assertThat(read).isEqualTo(created);
        assertThat(read.id()).matches("[0-9a-f]{32}");
        assertThat(read.applicationId()).isEqualTo(appId);
        assertThat(read.state()).isEqualTo(State.DRAFT);
        assertThat(Instant.parse(read.creationDate())).isAfter(before);
        assertThat(read.lastModifiedDate()).isEqualTo(read.creationDate());
        assertThat(read.creationDate()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
        assertThat(sent.activities().values())
                .extracting(JourneysEndToEndTest::kindOf)
                .containsExactlyInAnyOrder("EMAIL", "SMS", "PUSH", "CUSTOM", "ConditionalSplit", "MultiCondition",
                        "RandomSplit", "Holdout", "Wait", "ContactCenter");
        int compared = 0;
        for (SdkField<?> field : sent.sdkFields()) {
            String member = field.memberName();
            if (SERVER_OWNED.contains(member)) {
                continue;
            }
            Object value = field.getValueOrDefault(sent);
            assertThat(value).as("the sample sets %s", member).isNotNull();
            assertThat(fieldValue(read, member)).as(member).isEqualTo(value);
            compared++;
        }
        assertThat(compared).isEqualTo(16);
    }

    @Test
    void publishingChecksTheActivityGraph() {
        WriteJourneyRequest broken = SampleJourneys.simple("broken").toBuilder()
                .activities(Map.of("send", Activity.builder()
                        .email(EmailMessageActivity.builder().nextActivity("missing").build()).build()))
                .state("ACTIVE").build();
        assertThatThrownBy(() -> client.createJourney(r -> r.applicationId(appId).writeJourneyRequest(broken)))
                .isInstanceOf(BadRequestException.class)
                .hasMessageContaining("Activities.send.EMAIL.NextActivity names 'missing'");

        JourneyResponse draft = create(SampleJourneys.everything("big"));
        JourneyResponse active = client.updateJourneyState(r -> r.applicationId(appId).journeyId(draft.id())
                .journeyStateRequest(s -> s.state(State.ACTIVE))).journeyResponse();
        assertThat(active.state()).isEqualTo(State.ACTIVE);
    }

    @Test
    void aPublishedJourneyKeepsItsActivitiesButAcceptsOtherChanges() {
        WriteJourneyRequest definition = SampleJourneys.startingTomorrow("frozen").toBuilder().state("ACTIVE").build();
        JourneyResponse active = create(definition);

        JourneyResponse renamed = client.updateJourney(r -> r.applicationId(appId).journeyId(active.id())
                .writeJourneyRequest(definition.toBuilder().name("renamed").build())).journeyResponse();
        assertThat(renamed.name()).isEqualTo("renamed");
        assertThat(renamed.state()).isEqualTo(State.ACTIVE);
        assertThat(renamed.creationDate()).isEqualTo(active.creationDate());

        WriteJourneyRequest changed = definition.toBuilder().startActivity("other").build();
        assertThatThrownBy(() -> client.updateJourney(r -> r.applicationId(appId).journeyId(active.id())
                .writeJourneyRequest(changed)))
                .isInstanceOf(ConflictException.class)
                .hasMessageContaining("StartActivity cannot change once a journey is ACTIVE");
    }

    @Test
    void stateChangesFollowTheRules() {
        JourneyResponse noRefresh = create(SampleJourneys.startingTomorrow("once").toBuilder().state("ACTIVE").build());
        assertThatThrownBy(() -> setState(noRefresh.id(), State.PAUSED))
                .isInstanceOf(BadRequestException.class)
                .hasMessageContaining("only a journey with a RefreshFrequency can be paused");

        JourneyResponse refreshing = create(SampleJourneys.simple("refreshing").toBuilder()
                .refreshFrequency("PT1H").state("ACTIVE").build());
        assertThat(setState(refreshing.id(), State.PAUSED).state()).isEqualTo(State.PAUSED);
        assertThat(setState(refreshing.id(), State.ACTIVE).state()).isEqualTo(State.ACTIVE);
        assertThat(setState(refreshing.id(), State.CANCELLED).state()).isEqualTo(State.CANCELLED);
        assertThatThrownBy(() -> setState(refreshing.id(), State.ACTIVE))
                .isInstanceOf(BadRequestException.class)
                .hasMessageContaining("from CANCELLED to ACTIVE");
        assertThatThrownBy(() -> setState(refreshing.id(), State.DRAFT))
                .isInstanceOf(BadRequestException.class)
                .hasMessageContaining("ACTIVE, PAUSED or CANCELLED");
        assertThatThrownBy(() -> client.updateJourney(r -> r.applicationId(appId).journeyId(refreshing.id())
                .writeJourneyRequest(SampleJourneys.simple("again"))))
                .isInstanceOf(ConflictException.class)
                .hasMessageContaining("A CANCELLED journey cannot be updated");
    }

    @Test
    void createAcceptsOnlyDraftOrActive() {
        assertThatThrownBy(() -> create(SampleJourneys.simple("paused").toBuilder().state("PAUSED").build()))
                .isInstanceOf(BadRequestException.class)
                .hasMessageContaining("State must be DRAFT or ACTIVE");
    }

    @Test
    void listAndDelete() {
        JourneyResponse first = create(SampleJourneys.simple("first"));
        JourneyResponse second = create(SampleJourneys.simple("second"));

        List<JourneyResponse> listed = client.listJourneys(r -> r.applicationId(appId)).journeysResponse().item();
        assertThat(listed).extracting(JourneyResponse::id).containsExactly(first.id(), second.id());

        JourneyResponse deleted = client.deleteJourney(r -> r.applicationId(appId).journeyId(first.id()))
                .journeyResponse();
        assertThat(deleted).isEqualTo(first);
        assertThatThrownBy(() -> client.getJourney(r -> r.applicationId(appId).journeyId(first.id())))
                .isInstanceOf(NotFoundException.class)
                .hasMessageContaining("Journey '" + first.id() + "' not found");
        assertThat(client.listJourneys(r -> r.applicationId(appId)).journeysResponse().item())
                .extracting(JourneyResponse::id).containsExactly(second.id());
        assertThat(client.getJourneyRuns(r -> r.applicationId(appId).journeyId(second.id()))
                .journeyRunsResponse().item()).isEmpty();
    }

    @Test
    void aJourneyBelongsToItsApp() {
        JourneyResponse journey = create(SampleJourneys.simple("mine"));
        String otherApp = client.createApp(r -> r.createApplicationRequest(a -> a.name("other")))
                .applicationResponse().id();
        assertThatThrownBy(() -> client.getJourney(r -> r.applicationId(otherApp).journeyId(journey.id())))
                .isInstanceOf(NotFoundException.class);
    }

    private JourneyResponse create(WriteJourneyRequest request) {
        return client.createJourney(r -> r.applicationId(appId).writeJourneyRequest(request)).journeyResponse();
    }

    private JourneyResponse setState(String journeyId, State state) {
        return client.updateJourneyState(r -> r.applicationId(appId).journeyId(journeyId)
                .journeyStateRequest(s -> s.state(state))).journeyResponse();
    }

    private static Object fieldValue(JourneyResponse response, String member) {
        return response.sdkFields().stream()
                .filter(field -> field.memberName().equals(member))
                .findFirst()
                .orElseThrow(() -> new AssertionError("JourneyResponse has no member " + member))
                .getValueOrDefault(response);
    }

    private static String kindOf(Activity activity) {
        List<String> kinds = activity.sdkFields().stream()
                .filter(field -> !field.memberName().equals("Description") && field.getValueOrDefault(activity) != null)
                .map(SdkField::memberName)
                .toList();
        assertThat(kinds).hasSize(1);
        return kinds.get(0);
    }
}
