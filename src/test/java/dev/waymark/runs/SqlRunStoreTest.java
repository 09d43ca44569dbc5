package dev.waymark.runs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.waymark.store.PageCursor;
import dev.waymark.store.sql.Dialect;
import dev.waymark.store.sql.SqlStore;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** GetJourneyRuns's one statement reads the page the way the index lies, so the last page costs the first's. */
class SqlRunStoreTest {
    @TempDir
    Path dir;

    @Test
    void getJourneyRunsInOneStatementSeeksTheSameIndex() throws SQLException {
        try (SqlStore store = SqlStore.open("jdbc:sqlite:" + dir.resolve("plan.db"))) {
            for (boolean afterCursor : new boolean[] {false, true}) {
                List<String> plan = new ArrayList<>();
                try (Connection connection = store.dataSource().getConnection();
                     PreparedStatement statement = connection.prepareStatement("EXPLAIN QUERY PLAN "
                             + SqlRunStore.readPageSql(Dialect.SQLITE, afterCursor))) {
                    SqlRunStore.setPageParameters(statement, Dialect.SQLITE, "a", "j",
                            afterCursor ? Optional.of(new PageCursor(1L, "r")) : Optional.empty(), 100);
                    try (ResultSet rows = statement.executeQuery()) {
                        while (rows.next()) {
                            plan.add(rows.getString("detail"));
                        }
                    }
                }
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
