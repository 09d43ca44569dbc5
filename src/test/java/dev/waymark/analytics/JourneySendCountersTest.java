package dev.waymark.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.waymark.apps.App;
import dev.waymark.audience.EventRecord;
import dev.waymark.e2e.TestDatabases;
import dev.waymark.journeys.Journey;
import dev.waymark.journeys.JourneyState;
import dev.waymark.messaging.JourneySends;
import dev.waymark.store.sql.SqlStore;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The outbox's journey sends counted at their run and activity, inside the recording transaction, on SQLite and
 * PostgreSQL (where a failed statement would abort the whole transaction without the savepoint).
 */
class JourneySendCountersTest {
    private static final String APP = "app1";
    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
    @TempDir
    Path dir;
    private SqlStore store;

    private void open(String kind) throws Exception {
        store = kind.equals("sqlite") ? SqlStore.open("jdbc:sqlite:" + dir.resolve("waymark.db"))
                : SqlStore.open(TestDatabases.newPostgresDatabase());
        store.apps().insert(new App(APP, "app", Instant.EPOCH), Map.of());
        for (String id : List.of("j1", "j2", "gone")) {
            store.journeys().insert(new Journey(APP, id, id, JourneyState.ACTIVE, "{\"Name\":\"" + id + "\"}", T0, T0,
                    1));
        }
        store.journeys().delete(APP, "gone");
    }

    @AfterEach
    void close() throws Exception {
        if (store != null) {
            store.close();
        }
    }

    private static JourneySends.Send send(String journey, String run, String activity, String status) {
        return new JourneySends.Send(APP, journey, run, activity, status);
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void eachSendIsCountedAtItsRunAndActivityAndADeletedJourneyIsSkipped(String kind) throws Exception {
        open(kind);
        JourneySendCounters counters = new JourneySendCounters(store.journeyCounters(), store.dialect().skipLockedPolling());
        EventRecord marker = new EventRecord(APP, "e1", "after-the-counts", "_custom.marker", T0, T0, Map.of(),
                Map.of(), Optional.empty(), Optional.empty());
        store.jdbi().useTransaction(handle -> {
            counters.recorded(handle, List.of(send("j1", "r1", "email1", "FAILURE"),
                    send("gone", "r9", "email1", "SUCCESS"), send("j1", "r1", "email1", "SUCCESS"),
                    send("j2", "r2", "custom1", "CUSTOM_DELIVERY_FAILURE"), send("j1", "r1", "email1", "SUCCESS"),
                    send("j1", "r2", "email1", "FAILURE_PERMANENT")), T0);
            // The transaction goes on after the deleted journey's counts were dropped: the outcomes commit.
            store.events().append(handle, List.of(marker));
        });

        assertThat(store.journeyCounters().read(APP, "j1", Optional.of("r1"), "email1").values())
                .isEqualTo(Map.of("SUCCESS", 2L, "FAILURE", 1L));
        assertThat(store.journeyCounters().read(APP, "j1", Optional.empty(), "email1").values())
                .isEqualTo(Map.of("SUCCESS", 2L, "FAILURE", 1L, "FAILURE_PERMANENT", 1L));
        assertThat(store.journeyCounters().read(APP, "j1", Optional.of("r1"), "email1").lastChanged()).contains(T0);
        assertThat(store.journeyCounters().read(APP, "j2", Optional.empty(), "custom1").values())
                .isEqualTo(Map.of("CUSTOM_DELIVERY_FAILURE", 1L));
        assertThat(store.journeyCounters().read(APP, "j1", Optional.empty(), "").values())
                .as("activity counts only").isEmpty();
        assertThat(store.events().count(APP)).isEqualTo(1);
    }
}
