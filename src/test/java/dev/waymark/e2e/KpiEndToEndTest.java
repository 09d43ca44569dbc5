package dev.waymark.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.http.HttpResponse;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.pinpoint.model.ApplicationDateRangeKpiResponse;
import software.amazon.awssdk.services.pinpoint.model.BadRequestException;
import software.amazon.awssdk.services.pinpoint.model.Event;
import software.amazon.awssdk.services.pinpoint.model.EventsBatch;
import software.amazon.awssdk.services.pinpoint.model.JourneyDateRangeKpiResponse;
import software.amazon.awssdk.services.pinpoint.model.NotFoundException;
import software.amazon.awssdk.services.pinpoint.model.PublicEndpoint;
import software.amazon.awssdk.services.pinpoint.model.ResultRow;
import software.amazon.awssdk.services.pinpoint.model.ResultRowValue;

/**
 * GetJourneyDateRangeKpi and GetApplicationDateRangeKpi through the Java SDK, counted from events put with PutEvents
 * (the same rows the outbox will write): totals, per activity, per day, empty results, the date-range rules.
 */
class KpiEndToEndTest extends EndToEndTest {
    private final Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    private int eventNumber;

    /** Puts events of one endpoint: each {type, journey id or null, activity id or null, timestamp}. */
    private void put(String app, List<List<Object>> events) {
        Map<String, Event> byId = new HashMap<>();
        for (List<Object> event : events) {
            Map<String, String> attributes = new HashMap<>();
            if (event.get(1) != null) {
                attributes.put("journey_id", (String) event.get(1));
                attributes.put("journey_run_id", "run-1");
            }
            if (event.get(2) != null) {
                attributes.put("journey_activity_id", (String) event.get(2));
            }
            byId.put("e" + eventNumber++, Event.builder().eventType((String) event.get(0))
                    .timestamp(event.get(3).toString()).attributes(attributes).build());
        }
        client.putEvents(r -> r.applicationId(app).eventsRequest(e -> e.batchItem(Map.of("endpoint-1",
                EventsBatch.builder().endpoint(PublicEndpoint.builder().channelType("EMAIL")
                        .address("one@example.com").build()).events(byId).build()))));
    }

    private JourneyDateRangeKpiResponse journeyKpi(String app, String journey, String kpi) {
        return client.getJourneyDateRangeKpi(r -> r.applicationId(app).journeyId(journey).kpiName(kpi))
                .journeyDateRangeKpiResponse();
    }

    private static Map<String, String> grouped(List<ResultRow> rows) {
        Map<String, String> values = new HashMap<>();
        for (ResultRow row : rows) {
            assertThat(row.groupedBys()).hasSize(1);
            assertThat(row.values()).hasSize(1);
            values.put(row.groupedBys().get(0).value(), row.values().get(0).value());
        }
        return values;
    }

    private String journey(String app) {
        return client.createJourney(r -> r.applicationId(app).writeJourneyRequest(SampleJourneys.simple("kpis")))
                .journeyResponse().id();
    }

    @Test
    void journeyEmailKpisCountTheJourneysEventsInTheRange() {
        String app = createApp("kpis");
        String journey = journey(app);
        Instant recent = now.minus(1, ChronoUnit.HOURS);
        put(app, List.of(
                List.of("_email.send", journey, "email1", recent),
                List.of("_email.send", journey, "email1", recent.plusSeconds(1)),
                List.of("_email.send", journey, "email2", recent.plusSeconds(2)),
                List.of("_email.open", journey, "email1", recent.plusSeconds(3)),
                List.of("_email.send", "another-journey", "email1", recent),
                Arrays.of("_email.send", null, null, recent),
                // Older than the default range (the preceding 31 calendar days): not counted.
                List.of("_email.send", journey, "email1", now.minus(40, ChronoUnit.DAYS))));

        JourneyDateRangeKpiResponse sent = journeyKpi(app, journey, "journey-emails-sent");
        assertThat(sent.applicationId()).isEqualTo(app);
        assertThat(sent.journeyId()).isEqualTo(journey);
        assertThat(sent.kpiName()).isEqualTo("journey-emails-sent");
        assertThat(sent.nextToken()).isNull();
        assertThat(sent.endTime()).isBetween(now, Instant.now());
        assertThat(sent.startTime()).isEqualTo(sent.endTime().truncatedTo(ChronoUnit.DAYS).minus(30, ChronoUnit.DAYS));
        assertThat(sent.kpiResult().rows()).hasSize(1);
        ResultRowValue value = sent.kpiResult().rows().get(0).values().get(0);
        assertThat(value.key()).isEqualTo("EmailsSent");
        assertThat(value.type()).isEqualTo("Double");
        assertThat(value.value()).isEqualTo("3.0");
        assertThat(sent.kpiResult().rows().get(0).groupedBys()).isEmpty();

        assertThat(journeyKpi(app, journey, "journey-emails-opened").kpiResult().rows().get(0).values().get(0).value())
                .isEqualTo("1.0");
        assertThat(journeyKpi(app, journey, "journey-emails-clicked").kpiResult().rows()).isEmpty();

        JourneyDateRangeKpiResponse perActivity = journeyKpi(app, journey, "emails-sent-grouped-by-journey-activity");
        assertThat(perActivity.kpiResult().rows().get(0).groupedBys().get(0).key()).isEqualTo("JourneyActivityId");
        assertThat(grouped(perActivity.kpiResult().rows())).isEqualTo(Map.of("email1", "2.0", "email2", "1.0"));

        // An explicit range that leaves out the first two sends.
        JourneyDateRangeKpiResponse narrow = client.getJourneyDateRangeKpi(r -> r.applicationId(app).journeyId(journey)
                .kpiName("journey-emails-sent").startTime(recent.plusSeconds(2)).endTime(recent.plusSeconds(10))
                .pageSize("10").nextToken("ignored")).journeyDateRangeKpiResponse();
        assertThat(narrow.startTime()).isEqualTo(recent.plusSeconds(2));
        assertThat(narrow.endTime()).isEqualTo(recent.plusSeconds(10));
        assertThat(narrow.kpiResult().rows().get(0).values().get(0).value()).isEqualTo("1.0");
    }

    @Test
    void applicationKpisCountTransactionalEmailsInAllAndPerDay() {
        String app = createApp("kpis");
        String journey = journey(app);
        Instant today = now.minusSeconds(5);
        Instant yesterday = now.minus(1, ChronoUnit.DAYS);
        put(app, List.of(
                Arrays.of("_email.send", null, null, today),
                Arrays.of("_email.send", null, null, yesterday),
                Arrays.of("_email.send", null, null, yesterday.plusSeconds(1)),
                Arrays.of("_email.delivered", null, null, today),
                List.of("_email.send", journey, "email1", today)));

        ApplicationDateRangeKpiResponse sent = client.getApplicationDateRangeKpi(r -> r.applicationId(app)
                .kpiName("txn-emails-sent")).applicationDateRangeKpiResponse();
        assertThat(sent.applicationId()).isEqualTo(app);
        assertThat(sent.kpiResult().rows().get(0).values().get(0).key()).isEqualTo("TxnEmailsSent");
        assertThat(sent.kpiResult().rows().get(0).values().get(0).value()).isEqualTo("3.0");

        ApplicationDateRangeKpiResponse perDay = client.getApplicationDateRangeKpi(r -> r.applicationId(app)
                .kpiName("txn-emails-sent-grouped-by-date")).applicationDateRangeKpiResponse();
        assertThat(perDay.kpiResult().rows().get(0).groupedBys().get(0).key()).isEqualTo("Date");
        Map<String, String> expected = new HashMap<>();
        expected.merge(today.toString().substring(0, 10), "1.0", (a, b) -> "2.0");
        expected.merge(yesterday.toString().substring(0, 10), "2.0", (a, b) -> "3.0");
        assertThat(grouped(perDay.kpiResult().rows())).isEqualTo(expected);

        assertThat(client.getApplicationDateRangeKpi(r -> r.applicationId(app).kpiName("txn-emails-delivered"))
                .applicationDateRangeKpiResponse().kpiResult().rows().get(0).values().get(0).value()).isEqualTo("1.0");
        assertThat(client.getApplicationDateRangeKpi(r -> r.applicationId(app).kpiName("txn-emails-clicked"))
                .applicationDateRangeKpiResponse().kpiResult().rows()).isEmpty();
    }

    @Test
    void badDatesUnknownKpisAndAbsentJourneysAreRefused() throws Exception {
        String app = createApp("kpis");
        String journey = journey(app);
        assertThatThrownBy(() -> client.getJourneyDateRangeKpi(r -> r.applicationId(app).journeyId(journey)
                .kpiName("journey-emails-sent").startTime(now.minus(100, ChronoUnit.DAYS))
                .endTime(now.minus(95, ChronoUnit.DAYS))))
                .isInstanceOf(BadRequestException.class).hasMessageContaining("start-time").hasMessageContaining("90");
        assertThatThrownBy(() -> client.getJourneyDateRangeKpi(r -> r.applicationId(app).journeyId(journey)
                .kpiName("journey-emails-sent").startTime(now.minus(1, ChronoUnit.DAYS))
                .endTime(now.minus(2, ChronoUnit.DAYS))))
                .isInstanceOf(BadRequestException.class).hasMessageContaining("end-time");
        assertThatThrownBy(() -> client.getApplicationDateRangeKpi(r -> r.applicationId(app)
                .kpiName("txn-emails-sent").startTime(now.minus(40, ChronoUnit.DAYS)).endTime(now)))
                .isInstanceOf(BadRequestException.class).hasMessageContaining("31");
        assertThatThrownBy(() -> client.getJourneyDateRangeKpi(r -> r.applicationId(app).journeyId(journey)
                .kpiName("journey-emails-forwarded")))
                .isInstanceOf(BadRequestException.class).hasMessageContaining("journey-emails-forwarded");
        assertThatThrownBy(() -> client.getApplicationDateRangeKpi(r -> r.applicationId(app)
                .kpiName("journey-emails-sent")))
                .isInstanceOf(BadRequestException.class).hasMessageContaining("journey-emails-sent");
        assertThatThrownBy(() -> client.getJourneyDateRangeKpi(r -> r.applicationId(app).journeyId("nope")
                .kpiName("journey-emails-sent"))).isInstanceOf(NotFoundException.class).hasMessageContaining("nope");
        assertThatThrownBy(() -> client.getApplicationDateRangeKpi(r -> r.applicationId("noapp")
                .kpiName("txn-emails-sent"))).isInstanceOf(NotFoundException.class).hasMessageContaining("noapp");

        HttpResponse<String> notADate = SignedHttp.send(waymark.server().url(), "GET", "/v1/apps/" + app
                + "/journeys/" + journey + "/kpis/daterange/journey-emails-sent?start-time=yesterday", null);
        assertThat(notADate.statusCode()).isEqualTo(400);
        assertThat(notADate.body()).contains("start-time").contains("yesterday");
        HttpResponse<String> badEnd = SignedHttp.send(waymark.server().url(), "GET", "/v1/apps/" + app
                + "/kpis/daterange/txn-emails-sent?end-time=2026-13-01T00:00:00Z", null);
        assertThat(badEnd.statusCode()).isEqualTo(400);
        assertThat(badEnd.body()).contains("end-time");
    }

    /** List.of refuses nulls; an event without journey attributes needs them. */
    private static final class Arrays {
        static List<Object> of(Object... values) {
            return java.util.Arrays.asList(values);
        }
    }
}
