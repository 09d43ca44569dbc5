package dev.waymark.store.sql;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory;
import dev.waymark.analytics.SqlEventStreamQueue;
import dev.waymark.analytics.SqlEventStreamStore;
import dev.waymark.analytics.SqlJourneyCounters;
import dev.waymark.apps.AppStore;
import dev.waymark.apps.SqlAppStore;
import dev.waymark.audience.EndpointStore;
import dev.waymark.audience.SqlEndpointStore;
import dev.waymark.audience.SqlEventStore;
import dev.waymark.auth.AccessKeyStore;
import dev.waymark.auth.SqlAccessKeyStore;
import dev.waymark.journeys.JourneyStore;
import dev.waymark.journeys.SqlJourneyStore;
import dev.waymark.runs.RunStore;
import dev.waymark.runs.SqlRunStore;
import dev.waymark.messaging.SqlChannelStore;
import dev.waymark.messaging.SqlTemplateStore;
import dev.waymark.segments.SqlSegmentStore;
import dev.waymark.store.Store;
import dev.waymark.tags.SqlTagStore;
import dev.waymark.tags.TagStore;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Optional;
import java.util.function.Supplier;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;

/** The store on a SQL database: opens a pool, brings the schema up to date with Flyway, and serves the stores. */
public final class SqlStore implements Store {
    private final HikariDataSource dataSource;
    private final Dialect dialect;
    private final Jdbi jdbi;
    private final AppStore apps;
    private final JourneyStore journeys;
    private final SqlRunStore runs;
    private final TagStore tags;
    private final AccessKeyStore accessKeys;
    private final SqlEndpointStore endpoints;
    private final SqlEventStore events;
    private final SqlSegmentStore segments;
    private final SqlTemplateStore templates;
    private final SqlChannelStore channels;
    private final SqlJourneyCounters journeyCounters;
    private final SqlEventStreamStore eventStreams;
    private final SqlEventStreamQueue eventStreamQueue;

    private SqlStore(HikariDataSource dataSource, Dialect dialect, java.time.Clock clock) {
        this.dataSource = dataSource;
        this.dialect = dialect;
        this.jdbi = Jdbi.create(dataSource);
        SqliteStatementCache statements = dialect == Dialect.SQLITE ? new SqliteStatementCache() : null;
        dialect.configure(jdbi, statements);
        DirectReads directReads = new DirectReads(dataSource, statements);
        this.apps = new SqlAppStore(jdbi, dialect, directReads);
        this.journeys = new SqlJourneyStore(jdbi);
        this.runs = new SqlRunStore(jdbi, dialect, directReads);
        this.tags = new SqlTagStore(jdbi, dialect);
        this.accessKeys = new SqlAccessKeyStore(jdbi, dialect);
        this.endpoints = new SqlEndpointStore(jdbi, dialect, clock);
        // Built over this store (its endpoints set above): the event log writes endpoints and hears their deletion.
        this.events = new SqlEventStore(jdbi, dialect, this);
        this.segments = new SqlSegmentStore(jdbi, dialect);
        this.templates = new SqlTemplateStore(jdbi, dialect);
        this.channels = new SqlChannelStore(jdbi, dialect);
        this.journeyCounters = new SqlJourneyCounters(jdbi);
        this.eventStreamQueue = new SqlEventStreamQueue(jdbi, clock);
        this.eventStreams = new SqlEventStreamStore(jdbi, Optional.of(eventStreamQueue));
        // Every record the event log inserts is queued for the app's stream in the same transaction.
        this.events.tap(eventStreamQueue);
    }

    /** Opens the database at {@code jdbcUrl} and migrates it; the caller closes the store. */
    public static SqlStore open(String jdbcUrl) {
        return open(jdbcUrl, Optional.empty(), Optional.empty());
    }

    /** As {@link #open(String)}, with a user and password when they are not in the URL. */
    public static SqlStore open(String jdbcUrl, Optional<String> user, Optional<String> password) {
        return open(jdbcUrl, user, password, Optional.empty());
    }

    /** As above, reporting the connection pool's use into {@code metrics}. */
    public static SqlStore open(String jdbcUrl, Optional<String> user, Optional<String> password,
                                Optional<MeterRegistry> metrics) {
        return open(jdbcUrl, user, password, metrics, java.time.Clock.systemUTC());
    }

    /** As above, with the clock that dates endpoint writes (the server's). */
    public static SqlStore open(String jdbcUrl, Optional<String> user, Optional<String> password,
                                Optional<MeterRegistry> metrics, java.time.Clock clock) {
        Dialect dialect = Dialect.of(jdbcUrl);
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(jdbcUrl);
        user.ifPresent(config::setUsername);
        password.ifPresent(config::setPassword);
        config.setDataSourceProperties(dialect.connectionProperties());
        config.setMaximumPoolSize(dialect.poolSize());
        config.setPoolName("waymark-store");
        metrics.ifPresent(registry -> config.setMetricsTrackerFactory(new MicrometerMetricsTrackerFactory(registry)));
        // Fail at once with the database's own message rather than after Hikari's 30 s default.
        config.setInitializationFailTimeout(1);
        // A request (or /health) waits at most 3 s for a connection when the database is gone.
        config.setConnectionTimeout(3000);
        HikariDataSource dataSource = new HikariDataSource(config);
        try {
            // No ignore patterns: a schema migrated by a newer Waymark (a "future" migration) fails validation,
            // so an older binary never runs on a schema it does not know.
            Flyway.configure().dataSource(dataSource).locations(dialect.migrations()).ignoreMigrationPatterns(new String[0])
                    .load().migrate();
            return new SqlStore(dataSource, dialect, clock);
        } catch (RuntimeException e) {
            dataSource.close();
            throw e;
        }
    }

    public Jdbi jdbi() {
        return jdbi;
    }

    /** Runs {@code reads} on one consistent snapshot of the database, holding no lock that a writer waits for. */
    <R> R inSnapshot(org.jdbi.v3.core.HandleCallback<R, RuntimeException> reads) {
        return dialect.inSnapshot(jdbi, reads);
    }

    public Dialect dialect() {
        return dialect;
    }

    /** The pool, for db-scheduler, which keeps its table in the same database. */
    public javax.sql.DataSource dataSource() {
        return dataSource;
    }

    @Override
    public AppStore apps() {
        return apps;
    }

    @Override
    public JourneyStore journeys() {
        return journeys;
    }

    @Override
    public SqlRunStore runs() {
        return runs;
    }

    @Override
    public TagStore tags() {
        return tags;
    }

    @Override
    public AccessKeyStore accessKeys() {
        return accessKeys;
    }

    /** The events, with the write side PutEvents uses (the assembly passes it to the handler). */
    @Override
    public SqlEventStore events() {
        return events;
    }

    /** The segments, with their versions (the assembly hands them to the segment operations and the jobs). */
    @Override
    public SqlSegmentStore segments() {
        return segments;
    }

    /** The account's message templates, with their versions (the assembly hands them to the template operations). */
    public SqlTemplateStore templates() {
        return templates;
    }

    /** The apps' channels (the assembly hands them to the channel operations, and to senders as a ChannelLookup). */
    public SqlChannelStore channels() {
        return channels;
    }

    /** The journeys' execution counters: the engine adds to them inside its move transactions. */
    public SqlJourneyCounters journeyCounters() {
        return journeyCounters;
    }

    /** The records waiting for each app's event stream (the deliverer sends them). */
    public SqlEventStreamQueue eventStreamQueue() {
        return eventStreamQueue;
    }

    /** Each app's event-stream configuration (PutEventStream). */
    public SqlEventStreamStore eventStreams() {
        return eventStreams;
    }

    @Override
    public EndpointStore endpoints() {
        return endpoints;
    }

    @Override
    public String secret(String name, Supplier<String> initial) {
        return jdbi.inTransaction(handle -> {
            Optional<String> existing = handle.createQuery("SELECT value FROM settings WHERE name = :name")
                    .bind("name", name).mapTo(String.class).findOne();
            if (existing.isPresent()) {
                return existing.get();
            }
            // Several nodes may start at once: the first insert wins and everyone reads the winner.
            handle.createUpdate("INSERT INTO settings (name, value) VALUES (:name, :value) ON CONFLICT (name) DO NOTHING")
                    .bind("name", name).bind("value", initial.get()).execute();
            return handle.createQuery("SELECT value FROM settings WHERE name = :name")
                    .bind("name", name).mapTo(String.class).one();
        });
    }

    @Override
    public boolean isHealthy() {
        try {
            return jdbi.withHandle(handle -> handle.createQuery("SELECT 1").mapTo(Integer.class).one()) == 1;
        } catch (RuntimeException e) {
            return false;
        }
    }

    @Override
    public void close() {
        dataSource.close();
    }
}
