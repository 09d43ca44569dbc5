package dev.waymark.store.sql;

import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jdbi.v3.core.statement.DefaultStatementBuilder;
import org.jdbi.v3.core.statement.StatementBuilder;
import org.jdbi.v3.core.statement.StatementBuilderFactory;
import org.jdbi.v3.core.statement.StatementContext;
import org.sqlite.SQLiteConnection;

/**
 * Keeps the prepared statements of each SQLite connection for the next request. SQLite compiles the SQL on every
 * prepare and its JDBC driver keeps nothing, which made preparing the largest cost of a small read. The pool hands
 * out a new proxy per borrow and closes the proxy's statements on return, so statements are prepared on the
 * physical connection and kept with it until it closes.
 */
final class SqliteStatementCache implements StatementBuilderFactory {
    /** Distinct SQL texts kept per connection; a listing restricted to ids has one text per list length. */
    private static final int STATEMENTS_PER_CONNECTION = 64;

    private final Map<SQLiteConnection, Map<String, PreparedStatement>> byConnection = new ConcurrentHashMap<>();

    @Override
    public StatementBuilder createStatementBuilder(Connection connection) {
        return new Builder();
    }

    /**
     * Statements of one connection, by SQL text, least recently used first; the pool lends a connection to one
     * thread at a time, so the map needs no lock.
     */
    private Map<String, PreparedStatement> statementsOf(SQLiteConnection connection) {
        Map<String, PreparedStatement> statements = byConnection.get(connection);
        if (statements == null) {
            // A connection the pool has retired closed its statements with it; forget it.
            byConnection.keySet().removeIf(SqliteStatementCache::isClosed);
            statements = new LinkedHashMap<>(16, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, PreparedStatement> eldest) {
                    if (size() <= STATEMENTS_PER_CONNECTION) {
                        return false;
                    }
                    closeQuietly(eldest.getValue());
                    return true;
                }
            };
            byConnection.put(connection, statements);
        }
        return statements;
    }

    /**
     * A statement of {@code sql} on {@code connection}, kept or newly prepared; taken out of the cache while in use, so
     * a statement nested in another of the same text gets its own. Its parameters keep their last values, as JDBC
     * lets them, and every user sets all of them (JDBI refuses to run a statement with a parameter unbound). Clearing
     * them is not free: {@code sqlite3_clear_bindings} marks a statement whose plan may depend on a parameter as
     * expired, and SQLite then compiles it again on its next step, which made a GetJourneyRuns page read cost twice as
     * much CPU.
     */
    PreparedStatement take(SQLiteConnection connection, String sql) throws SQLException {
        PreparedStatement statement = statementsOf(connection).remove(sql);
        if (statement != null && !statement.isClosed()) {
            return statement;
        }
        return connection.prepareStatement(sql);
    }

    /** Keeps a statement of {@link #take} for the next use, or closes it when one of its text is kept already. */
    void giveBack(SQLiteConnection connection, String sql, PreparedStatement statement) throws SQLException {
        if (statement.isClosed()) {
            return;
        }
        if (connection.isClosed() || statementsOf(connection).putIfAbsent(sql, statement) != null) {
            statement.close();
        }
    }

    private static boolean isClosed(Connection connection) {
        try {
            return connection.isClosed();
        } catch (SQLException e) {
            return true;
        }
    }

    private static void closeQuietly(Statement statement) {
        try {
            statement.close();
        } catch (SQLException e) {
            // Closing a statement that is no longer wanted; the connection finalizes it on close anyway.
        }
    }

    /** The statements of one handle; JDBI calls close with its own SQL text, so each keeps the text it was made for. */
    private final class Builder implements StatementBuilder {
        private final DefaultStatementBuilder uncached = new DefaultStatementBuilder();
        private final Map<Statement, String> textOf = new IdentityHashMap<>();

        @Override
        public Statement create(Connection connection, StatementContext context) throws SQLException {
            return uncached.create(connection, context);
        }

        @Override
        public PreparedStatement create(Connection connection, String sql, StatementContext context)
                throws SQLException {
            if (context.isReturningGeneratedKeys() || context.isConcurrentUpdatable()) {
                return uncached.create(connection, sql, context);
            }
            PreparedStatement statement = take(connection.unwrap(SQLiteConnection.class), sql);
            textOf.put(statement, sql);
            return statement;
        }

        @Override
        public CallableStatement createCall(Connection connection, String sql, StatementContext context)
                throws SQLException {
            return uncached.createCall(connection, sql, context);
        }

        @Override
        public void close(Connection connection, String sql, Statement statement) throws SQLException {
            String text = textOf.remove(statement);
            if (text == null || statement.isClosed()) {
                uncached.close(connection, sql, statement);
                return;
            }
            giveBack(connection.unwrap(SQLiteConnection.class), text, (PreparedStatement) statement);
        }
    }
}
