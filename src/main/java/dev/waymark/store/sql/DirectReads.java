package dev.waymark.store.sql;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;
import org.sqlite.SQLiteConnection;

/**
 * One-statement reads of the most frequent requests (GetJourneyRuns, GetApp), straight on JDBC: a pooled
 * connection, a kept prepared statement, positional parameters. Through JDBI the same read cost about 25 µs more
 * (a handle, a statement context, named binds and their argument look-ups), a third of a page of runs read from
 * SQLite. Everything else reads through JDBI.
 */
public final class DirectReads {
    /** Sets a statement's parameters. */
    @FunctionalInterface
    public interface Parameters {
        void set(PreparedStatement statement) throws SQLException;
    }

    /** Reads the rows of a statement into its result. */
    @FunctionalInterface
    public interface Rows<R> {
        R read(ResultSet rows) throws SQLException;
    }

    private final DataSource dataSource;
    /** SQLite's kept statements, shared with JDBI; null on PostgreSQL, whose driver keeps its own. */
    private final SqliteStatementCache statements;

    DirectReads(DataSource dataSource, SqliteStatementCache statements) {
        this.dataSource = dataSource;
        this.statements = statements;
    }

    /** Runs {@code sql} with {@code parameters} and returns what {@code rows} reads; failures as JDBI's. */
    public <R> R query(String sql, Parameters parameters, Rows<R> rows) {
        try (Connection connection = dataSource.getConnection()) {
            if (statements == null) {
                try (PreparedStatement statement = connection.prepareStatement(sql)) {
                    return read(statement, parameters, rows);
                }
            }
            SQLiteConnection physical = connection.unwrap(SQLiteConnection.class);
            PreparedStatement statement = statements.take(physical, sql);
            boolean kept = false;
            try {
                R result = read(statement, parameters, rows);
                statements.giveBack(physical, sql, statement);
                kept = true;
                return result;
            } finally {
                if (!kept) {
                    statement.close();
                }
            }
        } catch (SQLException e) {
            throw new UnableToExecuteStatementException(e, null);
        }
    }

    private static <R> R read(PreparedStatement statement, Parameters parameters, Rows<R> rows) throws SQLException {
        parameters.set(statement);
        try (ResultSet results = statement.executeQuery()) {
            return rows.read(results);
        }
    }
}
