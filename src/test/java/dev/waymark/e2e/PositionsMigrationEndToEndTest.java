package dev.waymark.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.waymark.apps.App;
import dev.waymark.journeys.Journey;
import dev.waymark.journeys.JourneyState;
import dev.waymark.store.sql.SqlStore;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

/** Apps and journeys stored before listings used positions keep their order, and new ones come after them. */
@ParameterizedClass(name = "{0}")
@ValueSource(strings = {"sqlite", "postgresql"})
class PositionsMigrationEndToEndTest {
    @Parameter
    String store;

    @TempDir
    Path dir;

    @Test
    void existingRowsGetPositionsInTheirOldOrder() throws Exception {
        String url = store.equals("postgresql") ? TestDatabases.newPostgresDatabase()
                : "jdbc:sqlite:" + dir.resolve("old.db");
        Flyway.configure().dataSource(url, null, null).locations(
                        store.equals("postgresql") ? "classpath:db/migration/postgresql" : "classpath:db/migration/sqlite")
                .target("3").load().migrate();
        try (Connection db = DriverManager.getConnection(url); Statement sql = db.createStatement()) {
            sql.execute("INSERT INTO apps (id, name, created_ms) VALUES ('b', 'second', 1000), ('a', 'first', 1000), "
                    + "('c', 'third', 2000)");
            sql.execute("INSERT INTO journeys (id, app_id, name, state, definition, created_ms, modified_ms, version) "
                    + "VALUES ('j2', 'a', 'n', 'DRAFT', '{}', 5, 5, 1), ('j1', 'a', 'n', 'DRAFT', '{}', 4, 4, 1)");
        }
        try (SqlStore opened = SqlStore.open(url)) {
            Instant early = Instant.ofEpochMilli(1);
            opened.apps().insert(new App("0-newest", "newest", early), Map.of());
            assertThat(opened.apps().list(Optional.empty(), 10, Optional.empty()).items()).extracting(App::id)
                    .containsExactly("a", "b", "c", "0-newest");
            assertThat(opened.journeys().insert(new Journey("a", "j0", "n", JourneyState.DRAFT, "{}", early, early, 1)))
                    .isTrue();
            assertThat(opened.journeys().list("a", Optional.empty(), 10).items()).extracting(Journey::id)
                    .containsExactly("j1", "j2", "j0");
        }
    }
}
