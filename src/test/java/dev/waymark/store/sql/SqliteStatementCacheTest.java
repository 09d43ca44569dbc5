package dev.waymark.store.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.core.statement.StatementCustomizer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteConnection;

/** Kept statements are reused across borrows of a connection, and a reused one still reads what is committed now. */
class SqliteStatementCacheTest {
    private static final String COUNT = "SELECT COUNT(*) FROM apps WHERE name = :name";

    @TempDir
    Path dir;
    SqlStore store;
    final List<PreparedStatement> used = new ArrayList<>();

    @BeforeEach
    void open() {
        store = SqlStore.open("jdbc:sqlite:" + dir.resolve("statements.db"));
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void theSameTextIsPreparedOnceAndReadsFreshDataEachTime() throws Exception {
        assertThat(count("x")).isZero();
        try (Connection other = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("statements.db"));
             Statement insert = other.createStatement()) {
            insert.executeUpdate("INSERT INTO apps (id, name, created_ms) VALUES ('1', 'x', 0)");
        }
        assertThat(count("x")).isEqualTo(1);
        assertThat(count("y")).isZero();
        assertThat(used).hasSize(3);
        // One thread borrowing in turn gets the same pooled connection back, and with it the same statement.
        assertThat(used.get(1)).isSameAs(used.get(0)).isSameAs(used.get(2));
    }

    @Test
    void aStatementNestedInOneOfTheSameTextGetsItsOwn() {
        int[] inner = new int[1];
        store.jdbi().useHandle(handle -> {
            var outer = query(handle, "x").iterator();
            inner[0] = query(handle, "x").one();
            assertThat(outer.next()).isZero();
            outer.close();
        });
        assertThat(inner[0]).isZero();
        assertThat(used).hasSize(2);
        assertThat(used.get(0)).isNotSameAs(used.get(1));
    }

    private int count(String name) {
        return store.jdbi().withHandle(handle -> query(handle, name).one());
    }

    private org.jdbi.v3.core.result.ResultIterable<Integer> query(Handle handle, String name) {
        return handle.createQuery(COUNT).bind("name", name).addCustomizer(new StatementCustomizer() {
            @Override
            public void beforeExecution(PreparedStatement statement, StatementContext context) {
                used.add(statement);
            }
        }).mapTo(Integer.class);
    }

    /**
     * A kept statement is handed back with its parameters as they were: clearing them made SQLite compile the statement
     * again on its next step (see {@link SqliteStatementCache#take}).
     */
    @Test
    void aKeptStatementKeepsItsParameters() throws Exception {
        SqliteStatementCache cache = new SqliteStatementCache();
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("statements.db"))) {
            SQLiteConnection physical = connection.unwrap(SQLiteConnection.class);
            PreparedStatement first = cache.take(physical, "SELECT ?");
            first.setInt(1, 42);
            assertThat(single(first)).isEqualTo(42);
            cache.giveBack(physical, "SELECT ?", first);
            PreparedStatement again = cache.take(physical, "SELECT ?");
            assertThat(again).isSameAs(first);
            assertThat(single(again)).isEqualTo(42);
        }
    }

    /** So no use of a kept statement can read a parameter left from the one before: JDBI refuses a missing binding. */
    @Test
    void aNamedParameterLeftUnboundIsRefusedNotTakenFromTheLastUse() {
        assertThat(count("x")).isZero();
        assertThatThrownBy(() -> store.jdbi().withHandle(handle ->
                        handle.createQuery(COUNT).mapTo(Integer.class).one()))
                .hasMessageContaining("Missing named parameter 'name'");
    }

    private static int single(PreparedStatement statement) throws SQLException {
        try (ResultSet rows = statement.executeQuery()) {
            assertThat(rows.next()).isTrue();
            return rows.getInt(1);
        }
    }

    @Test
    void everyConnectionReadsTheFileMapped() {
        for (int i = 0; i < 3; i++) {
            long mapped = store.jdbi().withHandle(handle -> handle.createQuery("PRAGMA mmap_size")
                    .mapTo(Long.class).one());
            assertThat(mapped).isEqualTo(1L << 30);
        }
    }
}
