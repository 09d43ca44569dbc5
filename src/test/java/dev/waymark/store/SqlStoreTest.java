package dev.waymark.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.waymark.apps.App;
import dev.waymark.apps.TaggedApp;
import dev.waymark.journeys.Journey;
import dev.waymark.journeys.JourneyState;
import dev.waymark.runs.JourneyRun;
import dev.waymark.runs.RunChange;
import dev.waymark.runs.RunPageRead;
import dev.waymark.runs.RunPlan;
import dev.waymark.runs.RunRows;
import dev.waymark.runs.RunStatus;
import dev.waymark.runs.StoredRuns;
import dev.waymark.runs.Wake;
import dev.waymark.store.sql.SqlStore;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The SQLite store's guarantees that the code above it relies on. */
class SqlStoreTest {
    private static final Instant T0 = Instant.parse("2027-01-01T00:00:00Z");

    @TempDir
    Path dir;
    SqlStore store;

    @BeforeEach
    void open() {
        store = SqlStore.open("jdbc:sqlite:" + dir.resolve("test.db"));
        store.apps().insert(new App("a", "app", T0), Map.of());
        store.journeys().insert(new Journey("a", "j", "journey", JourneyState.ACTIVE, "{\"Name\":\"journey\"}",
                T0, T0, 1));
    }

    private String url() {
        return "jdbc:sqlite:" + dir.resolve("test.db");
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void aSchemaFromANewerWaymarkIsRefused() throws Exception {
        store.close();
        try (java.sql.Connection db = java.sql.DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("test.db"))) {
            // What a newer Waymark would leave: one more applied migration than this one knows.
            db.createStatement().execute("INSERT INTO flyway_schema_history SELECT 99, '99', 'from the future', type, "
                    + "'V99__future.sql', checksum, installed_by, installed_on, execution_time, success "
                    + "FROM flyway_schema_history WHERE version = '1'");
        }
        assertThatThrownBy(() -> SqlStore.open("jdbc:sqlite:" + dir.resolve("test.db")))
                .hasMessageContaining("99");
        store = SqlStore.open("jdbc:sqlite:" + dir.resolve("other.db"));
    }

    @Test
    void theSchemaRefusesTheSameRunTwice() {
        StoredRuns.insert(url(), JourneyRun.scheduled("j", 1, T0, T0));
        assertThatThrownBy(() -> StoredRuns.insert(url(), JourneyRun.scheduled("j", 1, T0, T0)))
                .hasMessageContaining("UNIQUE constraint failed");
        assertThat(StoredRuns.read(store.runs(), "a", "j", 10)).hasSize(1);
    }

    @Test
    void aFailedPlanChangesNothing() {
        JourneyRun first = JourneyRun.scheduled("j", 1, T0, T0);
        StoredRuns.insert(url(), first);
        RunPlan duplicate = new RunPlan(T0, List.of(new RunChange.Create(JourneyRun.scheduled("j", 2, T0, T0)),
                new RunChange.Create(JourneyRun.scheduled("j", 2, T0, T0))), Optional.of(JourneyState.CLOSED),
                Optional.of(T0));
        assertThatThrownBy(() -> store.runs().reconcile("j", runs -> duplicate)).isNotNull();
        assertThat(StoredRuns.read(store.runs(), "a", "j", 10)).containsExactly(StoredRuns.Row.of(first));
        assertThat(store.journeys().find("a", "j").orElseThrow().state()).isEqualTo(JourneyState.ACTIVE);
    }

    @Test
    void reconcileReadsTheFirstAndOpenRunsAndRecordsTheWake() {
        for (int i = 1; i <= 3; i++) {
            StoredRuns.insert(url(), new JourneyRun("j", "r" + i, i, i < 3 ? RunStatus.COMPLETED : RunStatus.SCHEDULED, T0, T0.plusSeconds(i), T0, null));
        }
        store.runs().reconcile("j", runs -> {
            assertThat(runs.first().orElseThrow().runId()).isEqualTo("r1");
            assertThat(runs.open()).extracting(JourneyRun::runId).containsExactly("r3");
            return new RunPlan(T0, List.of(), Optional.empty(), Optional.of(T0.plusSeconds(60)));
        });
        assertThat(store.runs().due(T0.plusSeconds(59), 10)).isEmpty();
        assertThat(store.runs().due(T0.plusSeconds(60), 10)).containsExactly(new Wake("j", T0.plusSeconds(60)));
        assertThat(store.runs().reconcile("missing", runs -> RunPlan.nothing(T0))).isEmpty();
    }

    @Test
    void aParkedJourneyIsLeftOutOfTheSweepOnEveryNodeUntilItChanges() {
        Journey later = new Journey("a", "k", "later", JourneyState.ACTIVE, "{}", T0.plusSeconds(1),
                T0.plusSeconds(1), 1);
        store.journeys().insert(later);
        Instant now = T0.plusSeconds(10);
        assertThat(store.runs().due(now, 1)).extracting(Wake::journeyId).containsExactly("j");

        assertThat(store.runs().park("j", now)).isTrue();
        assertThat(store.runs().park("missing", now)).isFalse();
        assertThat(store.runs().parkedCount()).isEqualTo(1);
        assertThat(store.runs().due(now, 1)).as("the parked journey no longer hides the next one")
                .extracting(Wake::journeyId).containsExactly("k");
        try (SqlStore otherNode = SqlStore.open(url())) {
            assertThat(otherNode.runs().due(now, 10)).extracting(Wake::journeyId).containsExactly("k");
        }

        Journey parked = store.journeys().find("a", "j").orElseThrow();
        store.journeys().replace(parked, new Journey("a", "j", "changed", JourneyState.ACTIVE, "{}", T0, now, 1));
        assertThat(store.runs().parkedCount()).isZero();
        assertThat(store.runs().due(now, 10)).extracting(Wake::journeyId).contains("j", "k");
    }

    @Test
    void aPageOfRunsIsReadInOneStatementThatTellsWhatExists() {
        store.apps().insert(new App("b", "other", T0), Map.of());
        for (int i = 1; i <= 3; i++) {
            StoredRuns.insert(url(), new JourneyRun("j", "r" + i, i, i < 3 ? RunStatus.COMPLETED : RunStatus.RUNNING, T0,
                    T0.plusSeconds(i), T0.plusSeconds(i + 1), null));
        }
        List<String> rows = new ArrayList<>();
        RunRows collect = (id, status, created, updated) -> rows.add(id + " " + status + " " + created + " " + updated);

        RunPageRead first = store.runs().readPage("a", "j", Optional.empty(), 2, collect);
        assertThat(first.found()).isEqualTo(RunPageRead.Found.JOURNEY);
        long t1 = T0.plusSeconds(1).toEpochMilli();
        assertThat(first.next()).contains(new PageCursor(T0.plusSeconds(2).toEpochMilli(), "r2"));
        assertThat(first.following()).as("the first run of the next page").contains(RunStatus.RUNNING);
        assertThat(rows).containsExactly("r1 COMPLETED " + t1 + " " + (t1 + 1000),
                "r2 COMPLETED " + (t1 + 1000) + " " + (t1 + 2000));
        rows.clear();
        RunPageRead last = store.runs().readPage("a", "j", first.next(), 2, collect);
        assertThat(last).isEqualTo(new RunPageRead(RunPageRead.Found.JOURNEY, Optional.empty(), Optional.empty()));
        assertThat(rows).containsExactly("r3 RUNNING " + (t1 + 2000) + " " + (t1 + 3000));
        rows.clear();

        assertThat(store.runs().readPage("a", "missing", Optional.empty(), 2, collect).found())
                .isEqualTo(RunPageRead.Found.APP_ONLY);
        assertThat(store.runs().readPage("b", "j", Optional.empty(), 2, collect).found())
                .isEqualTo(RunPageRead.Found.APP_ONLY);
        assertThat(store.runs().readPage("missing", "j", Optional.empty(), 2, collect).found())
                .isEqualTo(RunPageRead.Found.NOTHING);
        assertThat(rows).as("runs are handed over only when the journey is in the app").isEmpty();
        store.journeys().insert(new Journey("a", "empty", "empty", JourneyState.ACTIVE, "{}", T0, T0, 1));
        assertThat(store.runs().readPage("a", "empty", Optional.empty(), 2, collect))
                .isEqualTo(new RunPageRead(RunPageRead.Found.JOURNEY, Optional.empty(), Optional.empty()));
    }

    @Test
    void anAppIsReadWithItsTagsInOneStatement() {
        store.apps().insert(new App("tagged", "tagged", T0), Map.of("b", "2", "a", "1"));
        TaggedApp tagged = store.apps().findWithTags("tagged").orElseThrow();
        assertThat(tagged.app()).isEqualTo(new App("tagged", "tagged", T0));
        assertThat(tagged.tags()).containsExactly(Map.entry("a", "1"), Map.entry("b", "2"));
        assertThat(store.apps().findWithTags("a").orElseThrow().tags()).isEmpty();
        assertThat(store.apps().findWithTags("missing")).isEmpty();
    }
}
