package dev.waymark.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.waymark.apps.App;
import dev.waymark.journeys.Journey;
import dev.waymark.journeys.JourneyState;
import dev.waymark.messaging.SqlOutbox;
import dev.waymark.segments.SegmentAudience;
import dev.waymark.store.sql.SqlStore;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engine's state sync compares every journey with its own copy only when a journey changed (or a full pass is
 * due), and its looks for PAUSED and CANCELLED journeys search those journeys only, not every journey.
 */
class JourneyStateSyncTest {
    private static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");

    @TempDir
    Path dir;
    private SqlStore store;
    private JourneyStateSync sync;

    @BeforeEach
    void open() {
        store = SqlStore.open("jdbc:sqlite:" + dir.resolve("waymark.db"));
        store.apps().insert(new App("app", "app", Instant.EPOCH), Map.of());
        store.journeys().insert(new Journey("app", "j", "j", JourneyState.ACTIVE, "{\"Name\":\"j\"}", NOW, NOW, 1));
        Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
        MoveBatch.Sinks sinks = new MoveBatch.Sinks(store.journeyCounters(), new SqlOutbox(store.jdbi(),
                store.dialect(), store.events(), clock), store.events());
        SegmentAudience segments = new SegmentAudience(store.segments(), store.dialect(), store.endpoints(),
                store.events(), clock);
        sync = new JourneyStateSync(store.jdbi(), new SqlParticipants(store.dialect()), new PlanCache(store.dialect()),
                sinks, segments);
    }

    @AfterEach
    void close() throws Exception {
        store.close();
    }

    @Test
    void comparesEveryJourneyOnlyWhenAJourneyChanged() {
        sync.syncChanged(NOW);
        assertThat(seenState()).isEqualTo("ACTIVE");

        // A difference the journeys' fingerprint cannot show: the next pass skips the comparison...
        store.jdbi().useHandle(handle -> handle.execute("UPDATE engine_journeys SET seen_state = 'DRAFT'"));
        sync.syncChanged(NOW);
        assertThat(seenState()).as("no journey changed, so no journey was compared").isEqualTo("DRAFT");

        // ...until a journey changes,
        Journey current = store.journeys().find("app", "j").orElseThrow();
        store.journeys().replace(current, new Journey("app", "j", "j", JourneyState.PAUSED, current.definition(),
                NOW, NOW.plusSeconds(1), current.version()));
        sync.syncChanged(NOW);
        assertThat(seenState()).isEqualTo("PAUSED");

        // ...and a full pass compares every journey whatever the fingerprint says.
        store.jdbi().useHandle(handle -> handle.execute("UPDATE engine_journeys SET seen_state = 'DRAFT'"));
        sync.sync(NOW);
        assertThat(seenState()).isEqualTo("PAUSED");
    }

    @Test
    void aDeletedJourneyIsForgottenAtTheNextPass() {
        sync.syncChanged(NOW);
        store.journeys().delete("app", "j");
        sync.syncChanged(NOW);
        long rows = store.jdbi().withHandle(handle -> handle.createQuery("SELECT count(*) FROM engine_journeys")
                .mapTo(Long.class).one());
        assertThat(rows).isZero();
    }

    @Test
    void theChangeCheckAndTheLooksForPausedAndCancelledJourneysReadOnlyIndexes() {
        assertThat(plan(JourneyStateSync.FINGERPRINT))
                .anyMatch(step -> step.contains("COVERING INDEX journeys_changes"));
        for (String look : List.of(JourneyStateSync.PAUSED_WITH_MESSAGES, JourneyStateSync.CANCELLED_WITH_MESSAGES)) {
            assertThat(plan(look)).as(look).anyMatch(step -> step.contains("journeys_by_state"))
                    .noneMatch(step -> step.startsWith("SCAN j"));
        }
    }

    private String seenState() {
        return store.jdbi().withHandle(handle -> handle.createQuery("SELECT seen_state FROM engine_journeys WHERE "
                + "journey_id = 'j'").mapTo(String.class).one());
    }

    private List<String> plan(String sql) {
        return store.jdbi().withHandle(handle -> handle.createQuery("EXPLAIN QUERY PLAN " + sql)
                .map((rs, ctx) -> rs.getString("detail")).list());
    }
}
