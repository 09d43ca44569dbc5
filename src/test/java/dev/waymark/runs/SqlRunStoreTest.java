package dev.waymark.runs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.waymark.store.sql.Dialect;
import dev.waymark.store.sql.SqlStore;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** GetJourneyRuns's one statement reads the page the way the index lies, so the last page costs the first's. */
class SqlRunStoreTest {
    @TempDir
    Path dir;

    @Test
    void getJourneyRunsInOneStatementSeeksTheSameIndex() {
        try (SqlStore store = SqlStore.open("jdbc:sqlite:" + dir.resolve("plan.db"))) {
            for (boolean afterCursor : new boolean[] {false, true}) {
                List<String> plan = store.jdbi().withHandle(handle -> handle.createQuery("EXPLAIN QUERY PLAN "
                                + SqlRunStore.readPageSql(Dialect.SQLITE, afterCursor))
                        .bind("app", "a").bind("journey", "j").bind("afterCreated", 1L).bind("afterId", "r")
                        .bind("limit", 101)
                        .map((rs, ctx) -> rs.getString("detail")).list());
                assertThat(plan).containsExactly(
                        "SEARCH a USING COVERING INDEX sqlite_autoindex_apps_1 (id=?)",
                        "SEARCH j USING INDEX sqlite_autoindex_journeys_1 (id=?) LEFT-JOIN",
                        // In index order from the cursor on, with no sort after it, and no lookup of the table.
                        "SEARCH r USING COVERING INDEX journey_runs_page (journey_id=?"
                                + (afterCursor ? " AND (created_ms,run_id)>(?,?)" : "") + ") LEFT-JOIN");
            }
        }
    }
}
