package dev.waymark.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.waymark.runs.JourneyRun;
import dev.waymark.runs.RunStatus;
import dev.waymark.runs.StoredRuns;
import dev.waymark.wire.Ids;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.pinpoint.model.ApplicationResponse;
import software.amazon.awssdk.services.pinpoint.model.ApplicationsResponse;
import software.amazon.awssdk.services.pinpoint.model.BadRequestException;
import software.amazon.awssdk.services.pinpoint.model.JourneyRunResponse;
import software.amazon.awssdk.services.pinpoint.model.JourneyRunsResponse;
import software.amazon.awssdk.services.pinpoint.model.JourneysResponse;
import software.amazon.awssdk.services.pinpoint.model.NotFoundException;

/** GetApps, ListJourneys and GetJourneyRuns across pages, and what a bad page-size or token gets. */
class PagingEndToEndTest extends EndToEndTest {

    @Test
    void walkingAppsReturnsEachOnceEvenWhileAppsAreAdded() {
        List<String> created = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            created.add(createApp("app" + i));
        }
        List<String> seen = new ArrayList<>();
        String token = null;
        int pages = 0;
        do {
            String current = token;
            ApplicationsResponse page = client.getApps(r -> r.pageSize("3").token(current)).applicationsResponse();
            page.item().stream().map(ApplicationResponse::id).forEach(seen::add);
            token = page.nextToken();
            if (pages++ == 0) {
                created.add(createApp("added-while-walking"));
            }
        } while (token != null);

        assertThat(seen).containsExactlyElementsOf(created);
        assertThat(pages).isEqualTo(3);
    }

    @Test
    void journeysPageWithinTheirApp() {
        String appId = createApp("paged");
        List<String> created = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            int n = i;
            created.add(client.createJourney(r -> r.applicationId(appId)
                    .writeJourneyRequest(SampleJourneys.simple("j" + n))).journeyResponse().id());
        }
        JourneysResponse first = client.listJourneys(r -> r.applicationId(appId).pageSize("2")).journeysResponse();
        JourneysResponse second = client.listJourneys(r -> r.applicationId(appId).pageSize("2")
                .token(first.nextToken())).journeysResponse();
        JourneysResponse third = client.listJourneys(r -> r.applicationId(appId).pageSize("2")
                .token(second.nextToken())).journeysResponse();
        List<String> seen = new ArrayList<>();
        for (JourneysResponse page : List.of(first, second, third)) {
            page.item().forEach(journey -> seen.add(journey.id()));
        }
        assertThat(seen).containsExactlyElementsOf(created);
        assertThat(third.nextToken()).isNull();

        String otherApp = createApp("other");
        assertThatThrownBy(() -> client.listJourneys(r -> r.applicationId(otherApp).token(first.nextToken())))
                .isInstanceOf(BadRequestException.class)
                .hasMessageContaining("issued for another listing");
    }

    @Test
    void journeyRunsPageOldestFirst() {
        String appId = createApp("runs");
        String journeyId = client.createJourney(r -> r.applicationId(appId)
                .writeJourneyRequest(SampleJourneys.simple("refresh"))).journeyResponse().id();
        Instant base = Instant.parse("2026-01-01T00:00:00Z");
        List<String> runIds = new ArrayList<>();
        List<JourneyRun> history = new ArrayList<>();
        for (int i = 1; i <= 250; i++) {
            // Pairs of runs share a creation time, so the run id decides their order.
            Instant created = base.plusSeconds(i / 2);
            JourneyRun run = new JourneyRun(journeyId, Ids.newId(), i, i == 250 ? RunStatus.SCHEDULED : RunStatus.COMPLETED,
                    created, created, created.plusMillis(5), null);
            history.add(run);
            runIds.add(run.runId());
        }
        StoredRuns.insert(waymark.jdbcUrl(), history);

        List<JourneyRunsResponse> pages = RunPages.walk(client, appId, journeyId, null);
        List<JourneyRunResponse> seen = pages.stream().flatMap(page -> page.item().stream()).toList();

        assertThat(pages).hasSize(3);
        assertThat(seen).extracting(JourneyRunResponse::runId)
                .containsExactlyInAnyOrderElementsOf(runIds)
                .doesNotHaveDuplicates();
        for (int i = 1; i < seen.size(); i++) {
            JourneyRunResponse before = seen.get(i - 1);
            JourneyRunResponse after = seen.get(i);
            int byTime = before.creationTime().compareTo(after.creationTime());
            assertThat(byTime < 0 || (byTime == 0 && before.runId().compareTo(after.runId()) < 0))
                    .as("run %d is after run %d", i, i - 1).isTrue();
        }
        JourneyRunResponse last = seen.get(seen.size() - 1);
        assertThat(last.statusAsString()).isEqualTo("SCHEDULED");
        assertThat(last.creationTime()).isEqualTo("2026-01-01T00:02:05.000Z");
        assertThat(last.lastUpdateTime()).isEqualTo("2026-01-01T00:02:05.005Z");
    }

    @Test
    void badPageSizesAndTokens() {
        createApp("a");
        createApp("b");
        for (String bad : List.of("0", "-1", "abc", "1.5", "99999999999")) {
            assertThatThrownBy(() -> client.getApps(r -> r.pageSize(bad)))
                    .as("page-size %s", bad)
                    .isInstanceOf(BadRequestException.class)
                    .hasMessageContaining("page-size must be a positive integer");
        }
        assertThat(client.getApps(r -> r.pageSize("5000")).applicationsResponse().item()).hasSize(2);

        String token = client.getApps(r -> r.pageSize("1")).applicationsResponse().nextToken();
        String tampered = token.substring(0, 3) + (token.charAt(3) == 'A' ? 'B' : 'A') + token.substring(4);
        for (String bad : List.of(tampered, "garbage", token + "x", "a.b")) {
            assertThatThrownBy(() -> client.getApps(r -> r.token(bad)))
                    .as("token %s", bad)
                    .isInstanceOf(BadRequestException.class)
                    .hasMessageContaining("token");
        }
    }


    @Test
    void getJourneyRunsTellsAMissingAppFromAMissingJourney() {
        String appId = createApp("runs-here");
        String otherAppId = createApp("runs-elsewhere");
        String journeyId = client.createJourney(r -> r.applicationId(otherAppId)
                .writeJourneyRequest(SampleJourneys.simple("elsewhere"))).journeyResponse().id();
        String missingApp = "0".repeat(32);
        assertThatThrownBy(() -> client.getJourneyRuns(r -> r.applicationId(missingApp).journeyId(journeyId)))
                .isInstanceOf(NotFoundException.class)
                .hasMessageContaining("Application '" + missingApp + "' not found");
        assertThatThrownBy(() -> client.getJourneyRuns(r -> r.applicationId(appId).journeyId("nope")))
                .isInstanceOf(NotFoundException.class)
                .hasMessageContaining("Journey 'nope' not found");
        // A journey of another app is not found in this one, and none of its runs leak into the answer.
        assertThatThrownBy(() -> client.getJourneyRuns(r -> r.applicationId(appId).journeyId(journeyId)))
                .isInstanceOf(NotFoundException.class)
                .hasMessageContaining("Journey '" + journeyId + "' not found");
        assertThat(client.getJourneyRuns(r -> r.applicationId(otherAppId).journeyId(journeyId))
                .journeyRunsResponse().item()).isNotNull();
    }
}
