package dev.waymark.store.sql;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.transaction.TransactionException;
import org.jdbi.v3.core.transaction.TransactionHandler;
import org.jdbi.v3.core.transaction.TransactionIsolationLevel;

/**
 * SQLite transactions that take the writer lock only when they write. Connections stay in auto-commit mode, so a
 * read outside a transaction is a plain WAL snapshot that never waits for a writer; a JDBI transaction sends
 * {@code BEGIN IMMEDIATE} itself (two writers then queue on the busy timeout instead of failing on a lock upgrade)
 * and ends with a plain {@code COMMIT}. The driver's own transactions are not used: its {@code commit()} runs
 * {@code commit;} and then begins the next transaction, which can fail after the commit already reached disk.
 *
 * <p>The writers of this process queue in a fair lock before {@code BEGIN IMMEDIATE}: SQLite's busy handler polls
 * with sleeps of up to 100 ms, so under contention the file's lock sat free while writers slept, and a burst of
 * writers each held a pooled connection while it polled. In the queue the next writer starts the moment the last
 * one commits. Another process (the CLI's export) still meets the busy timeout.
 */
final class SqliteTransactions implements TransactionHandler {
    /** As long as SQLite's own busy timeout: a writer that waits longer fails as it would have there. */
    private static final long QUEUE_TIMEOUT_MS = 10_000;

    private final ReentrantLock writers;
    private boolean inTransaction;

    SqliteTransactions() {
        this(new ReentrantLock(true));
    }

    private SqliteTransactions(ReentrantLock writers) {
        this.writers = writers;
    }

    @Override
    public TransactionHandler specialize(Handle handle) {
        // One instance per handle: the flag below belongs to one connection; the writers' queue is the store's.
        return new SqliteTransactions(writers);
    }

    @Override
    public void begin(Handle handle) {
        execute(handle, "BEGIN IMMEDIATE");
        inTransaction = true;
    }

    @Override
    public void commit(Handle handle) {
        execute(handle, "COMMIT");
        inTransaction = false;
    }

    @Override
    public void rollback(Handle handle) {
        inTransaction = false;
        try (Statement statement = handle.getConnection().createStatement()) {
            statement.execute("ROLLBACK");
        } catch (SQLException e) {
            // SQLite rolls back by itself on some errors (SQLITE_FULL, SQLITE_IOERR); then there is nothing to end.
            if (!String.valueOf(e.getMessage()).contains("no transaction is active")) {
                throw new TransactionException("rollback failed", e);
            }
        }
    }

    @Override
    public boolean isInTransaction(Handle handle) {
        return inTransaction;
    }

    @Override
    public void savepoint(Handle handle, String name) {
        execute(handle, "SAVEPOINT " + name);
    }

    @Override
    public void rollbackToSavepoint(Handle handle, String name) {
        execute(handle, "ROLLBACK TO SAVEPOINT " + name);
    }

    @Override
    public void releaseSavepoint(Handle handle, String name) {
        execute(handle, "RELEASE SAVEPOINT " + name);
    }

    @Override
    public <R, X extends Exception> R inTransaction(Handle handle, HandleCallback<R, X> callback) throws X {
        if (inTransaction) {
            return callback.withHandle(handle);
        }
        queue();
        try {
            begin(handle);
            R result;
            try {
                result = callback.withHandle(handle);
            } catch (Throwable failure) {
                rollbackAfter(handle, failure);
                throw failure;
            }
            try {
                commit(handle);
            } catch (RuntimeException failure) {
                // COMMIT failed, so nothing reached disk: end the transaction before the connection goes back.
                rollbackAfter(handle, failure);
                throw failure;
            }
            return result;
        } finally {
            writers.unlock();
        }
    }

    private void queue() {
        try {
            if (!writers.tryLock(QUEUE_TIMEOUT_MS, TimeUnit.MILLISECONDS)) {
                throw new TransactionException("no write slot on the SQLite store within " + QUEUE_TIMEOUT_MS
                        + " ms");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TransactionException("interrupted while waiting to write", e);
        }
    }

    @Override
    public <R, X extends Exception> R inTransaction(Handle handle, TransactionIsolationLevel level,
                                                    HandleCallback<R, X> callback) throws X {
        // Every SQLite transaction is serializable.
        return inTransaction(handle, callback);
    }

    private void rollbackAfter(Handle handle, Throwable failure) {
        try {
            rollback(handle);
        } catch (RuntimeException e) {
            failure.addSuppressed(e);
        }
    }

    static void execute(Handle handle, String sql) {
        Connection connection = handle.getConnection();
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new TransactionException(sql + " failed: " + e.getMessage(), e);
        }
    }
}
