package dev.waymark.store.sql;

import java.util.Properties;
import org.jdbi.v3.core.Jdbi;

/** What differs between the databases Waymark runs on: migrations, pool size and connection settings. */
public enum Dialect {
    /** The embedded default: one file, many readers, one writer at a time. */
    SQLITE("classpath:db/migration/sqlite", 8) {
        @Override
        Properties connectionProperties() {
            Properties properties = new Properties();
            properties.setProperty("journal_mode", "WAL");
            // NORMAL in WAL mode survives a killed process; only a power loss can take the last commits.
            properties.setProperty("synchronous", "NORMAL");
            properties.setProperty("foreign_keys", "true");
            properties.setProperty("busy_timeout", "10000");
            // No transaction_mode: reads run as plain snapshots, and only JDBI transactions (SqliteTransactions)
            // begin IMMEDIATE, taking the writer lock when they begin rather than on a failing upgrade.
            // Reads map the file instead of copying each page into every connection's own 2 MB page cache: a
            // GetJourneyRuns page read took half its CPU in page misses (pread, malloc, copy). Address space only;
            // the pages are the kernel's file cache, shared by all connections.
            properties.setProperty("mmap_size", String.valueOf(MMAP_BYTES));
            properties.setProperty("open_mode", String.valueOf(OPEN_READWRITE_CREATE_NOMUTEX));
            return properties;
        }

        @Override
        void configure(Jdbi jdbi, SqliteStatementCache statements) {
            jdbi.setStatementBuilderFactory(statements);
            jdbi.setTransactionHandler(new SqliteTransactions());
        }

        @Override
        <R> R inSnapshot(Jdbi jdbi, org.jdbi.v3.core.HandleCallback<R, RuntimeException> reads) {
            return jdbi.withHandle(handle -> {
                // A deferred BEGIN takes no lock: the first read fixes the WAL snapshot, and writers go on.
                SqliteTransactions.execute(handle, "BEGIN DEFERRED");
                try {
                    return reads.withHandle(handle);
                } finally {
                    SqliteTransactions.execute(handle, "ROLLBACK");
                }
            });
        }
    },

    /** The shared store of several nodes. */
    POSTGRESQL("classpath:db/migration/postgresql", 16) {
        @Override
        Properties connectionProperties() {
            return new Properties();
        }

        @Override
        public String lockRowSuffix() {
            // Nodes plan the same journey only one at a time; the row lock serialises them.
            return " FOR UPDATE";
        }

        @Override
        public String keyShareLockSuffix() {
            return " FOR KEY SHARE";
        }

        @Override
        public boolean skipLockedPolling() {
            return true;
        }

        @Override
        public void lockForTransaction(org.jdbi.v3.core.Handle handle, String name) {
            handle.createQuery("SELECT pg_advisory_xact_lock(:key)").bind("key", (long) ("waymark:" + name).hashCode())
                    .mapTo(String.class).one();
        }
    };

    /** SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX. */
    private static final int OPEN_READWRITE_CREATE_NOMUTEX = 0x2 | 0x4 | 0x8000;
    /** How much of a SQLite file reads map; beyond it, pages are read as usual. */
    private static final long MMAP_BYTES = 1L << 30;

    private final String migrations;
    private final int poolSize;

    Dialect(String migrations, int poolSize) {
        this.migrations = migrations;
        this.poolSize = poolSize;
    }

    String migrations() {
        return migrations;
    }

    int poolSize() {
        return poolSize;
    }

    abstract Properties connectionProperties();

    /**
     * Settings of this database's JDBI, whose statements SQLite keeps in {@code statements}; PostgreSQL's driver
     * keeps prepared statements itself.
     */
    void configure(Jdbi jdbi, SqliteStatementCache statements) {}

    /** Runs {@code reads} on one consistent snapshot of the whole database, taking no write lock. */
    <R> R inSnapshot(Jdbi jdbi, org.jdbi.v3.core.HandleCallback<R, RuntimeException> reads) {
        return jdbi.inTransaction(org.jdbi.v3.core.transaction.TransactionIsolationLevel.REPEATABLE_READ, handle -> {
            handle.execute("SET TRANSACTION READ ONLY");
            return reads.withHandle(handle);
        });
    }

    /** Whether db-scheduler should claim due executions with SELECT ... FOR UPDATE SKIP LOCKED. */
    public boolean skipLockedPolling() {
        return false;
    }

    /** Takes a lock named {@code name} until the transaction ends; every SQLite write transaction holds one already. */
    public void lockForTransaction(org.jdbi.v3.core.Handle handle, String name) {}

    /** What makes a SELECT lock the rows it reads until the transaction ends. */
    public String lockRowSuffix() {
        // SQLite transactions here begin IMMEDIATE: the writer lock already excludes every other writer.
        return "";
    }

    /**
     * What locks selected rows against deletion and key changes, but not against other updates: the lock a
     * foreign key to them takes. Empty on SQLite, for the same reason as {@link #lockRowSuffix()}.
     */
    public String keyShareLockSuffix() {
        return "";
    }

    /** The dialect of a JDBC URL, or an IllegalArgumentException naming what is supported. */
    public static Dialect of(String jdbcUrl) {
        if (jdbcUrl.startsWith("jdbc:sqlite:")) {
            return SQLITE;
        }
        if (jdbcUrl.startsWith("jdbc:postgresql:")) {
            return POSTGRESQL;
        }
        throw new IllegalArgumentException("unsupported database URL '" + jdbcUrl
                + "': Waymark runs on SQLite (jdbc:sqlite:FILE) or PostgreSQL (jdbc:postgresql://HOST:PORT/DB)");
    }
}
