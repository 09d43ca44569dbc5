package dev.waymark.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.waymark.store.sql.SqlStore;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the engine asks at every poll while nothing happens must not read every run: SQLite's plan of the look for
 * undiscovered runs goes through the partial index of open runs, not through the page index of all runs.
 */
class EngineIdleQueriesTest {
    @TempDir
    Path dir;
    private SqlStore store;

    @BeforeEach
    void open() {
        store = SqlStore.open("jdbc:sqlite:" + dir.resolve("waymark.db"));
    }

    @AfterEach
    void close() throws Exception {
        store.close();
    }

    @Test
    void theLookForUndiscoveredRunsSearchesOnlyOpenRuns() {
        List<String> plan = store.jdbi().withHandle(handle -> handle.createQuery("EXPLAIN QUERY PLAN "
                + SqlRunEntries.ANY_UNDISCOVERED).map((rs, ctx) -> rs.getString("detail")).list());
        assertThat(plan).as(String.join("\n", plan)).anyMatch(step -> step.contains("journey_runs_open"))
                .noneMatch(step -> step.contains("journey_runs_page"));
    }
}
