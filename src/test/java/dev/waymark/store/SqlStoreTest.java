package dev.waymark.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.waymark.domain.App;
import dev.waymark.domain.Journey;
import dev.waymark.domain.JourneyRun;
import dev.waymark.domain.JourneyState;
import dev.waymark.domain.RunChange;
import dev.waymark.domain.RunPlan;
import dev.waymark.domain.RunStatus;
import dev.waymark.store.sql.SqlStore;
import java.nio.file.Path;
import java.time.Instant;
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
        assertThat(store.runs().list("j", Optional.empty(), 10).items()).hasSize(1);
    }

    @Test
    void aFailedPlanChangesNothing() {
        JourneyRun first = JourneyRun.scheduled("j", 1, T0, T0);
        StoredRuns.insert(url(), first);
        RunPlan duplicate = new RunPlan(T0, List.of(new RunChange.Create(JourneyRun.scheduled("j", 2, T0, T0)),
                new RunChange.Create(JourneyRun.scheduled("j", 2, T0, T0))), Optional.of(JourneyState.CLOSED),
                Optional.of(T0));
        assertThatThrownBy(() -> store.runs().reconcile("j", runs -> duplicate)).isNotNull();
        assertThat(store.runs().list("j", Optional.empty(), 10).items()).containsExactly(first.summary());
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
}
