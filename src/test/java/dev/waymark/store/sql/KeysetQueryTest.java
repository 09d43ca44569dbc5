package dev.waymark.store.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Keyset pages must seek the index past the cursor, so that the last page of a long listing costs the first's. */
class KeysetQueryTest {
    @TempDir
    Path dir;

    @Test
    void thePageAfterACursorSeeksTheIndex() {
        KeysetQuery<Object> runs = new KeysetQuery<>("journey_runs", "run_id, status, created_ms, updated_ms",
                "run_id", "journey_id", (rs, ctx) -> null, run -> null);
        try (SqlStore store = SqlStore.open("jdbc:sqlite:" + dir.resolve("plan.db"))) {
            List<String> plan = store.jdbi().withHandle(handle -> handle.createQuery("EXPLAIN QUERY PLAN "
                            + runs.sql(true, false).replace("<only>", "''"))
                    .bind("scope", "j").bind("afterPosition", 1L).bind("afterId", "r").bind("limit", 101)
                    .map((rs, ctx) -> rs.getString("detail")).list());
            assertThat(plan).containsExactly(
                    "SEARCH journey_runs USING COVERING INDEX journey_runs_page "
                            + "(journey_id=? AND (created_ms,run_id)>(?,?))");
        }
    }
}
