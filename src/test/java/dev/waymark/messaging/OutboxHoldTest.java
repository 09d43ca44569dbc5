package dev.waymark.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.waymark.MutableClock;
import dev.waymark.apps.App;
import dev.waymark.e2e.TestDatabases;
import dev.waymark.store.sql.SqlStore;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.ToIntFunction;
import java.util.random.RandomGenerator;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * A paused journey's messages (engine.md E4): held, they are not sent; released, they are sent once, and the pause
 * neither shortens a retry's back-off nor uses up the hour of retries; cancelled, held ones are withdrawn. On SQLite
 * and PostgreSQL. (OutboxTest holds the rest of the outbox's cases; this file keeps both under 500 lines.)
 */
class OutboxHoldTest {
    private static final String APP = "app1";
    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
    private final List<AutoCloseable> open = new ArrayList<>();
    @TempDir
    Path dir;
    private SqlStore store;

    private SqlOutbox open(String kind, java.time.Clock clock) throws Exception {
        store = kind.equals("sqlite") ? SqlStore.open("jdbc:sqlite:" + dir.resolve("waymark.db"))
                : SqlStore.open(TestDatabases.newPostgresDatabase());
        open.add(store);
        store.apps().insert(new App(APP, "outbox", Instant.EPOCH), Map.of());
        return new SqlOutbox(store.jdbi(), store.dialect(), store.events(), clock);
    }

    @AfterEach
    void close() throws Exception {
        Collections.reverse(open);
        for (AutoCloseable closeable : open) {
            closeable.close();
        }
    }

    private static NewMessage journeyEmail(String id, String journey) {
        return new NewMessage(id, APP, "journey:" + id, Channel.EMAIL, "someone@example.com",
                Optional.of("endpoint-1"), JsonNodeFactory.instance.objectNode().put("Subject", "Hi"),
                Origin.journey(journey, "run-1", "activity-1"), Optional.empty());
    }

    private int tx(ToIntFunction<Handle> work) {
        return store.jdbi().inTransaction(handle -> work.applyAsInt(handle));
    }

    private static MessageStatus.State state(SqlOutbox outbox, String id) {
        return outbox.statuses(List.of(id)).get(id).state();
    }

    private long column(String column, String id) {
        return store.jdbi().withHandle(handle -> handle.createQuery("SELECT " + column + " FROM outbox WHERE id = :id")
                .bind("id", id).mapTo(Long.class).one());
    }

    private OutboxSender sender(SqlOutbox outbox, Transport transport) {
        OutboxSender.Settings settings = new OutboxSender.Settings(Duration.ofMillis(50), Duration.ofSeconds(30), 100,
                OutboxSender.Settings.DEFAULTS.threads(), Duration.ofSeconds(5), Duration.ofDays(7));
        OutboxSender sender = new OutboxSender(outbox, Map.of(Channel.EMAIL, transport),
                RetrySchedule.standard(java.time.Clock.systemUTC()), settings, java.time.Clock.systemUTC(),
                Optional.empty());
        open.add(sender);
        sender.start();
        return sender;
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void heldMessagesAreNotSentUntilReleasedThenSentOnce(String kind) throws Exception {
        SqlOutbox outbox = open(kind, java.time.Clock.systemUTC());
        outbox.enqueue(List.of(journeyEmail("a1", "journey-a"), journeyEmail("a2", "journey-a"),
                journeyEmail("b1", "journey-b")));
        assertThat(tx(handle -> outbox.hold(handle, APP, "journey-a"))).isEqualTo(2);
        assertThat(tx(handle -> outbox.hold(handle, APP, "journey-a")))
                .as("holding again holds nothing more").isZero();
        assertThat(tx(handle -> outbox.hold(handle, "other-app", "journey-b"))).isZero();

        OutboxTest.RecordingTransport smtp = new OutboxTest.RecordingTransport(Channel.EMAIL,
                message -> Delivery.delivered(250, "OK", Optional.empty()));
        sender(outbox, smtp);
        assertThat(outbox.awaitFirstAnswer(List.of("b1"), Duration.ofSeconds(10)).get("b1").state())
                .isEqualTo(MessageStatus.State.DELIVERED);
        Thread.sleep(300);
        assertThat(smtp.calls).extracting(OutboundMessage::id).containsExactly("b1");
        assertThat(state(outbox, "a1")).isEqualTo(MessageStatus.State.HELD);
        SqlOutbox.Depth depth = outbox.depth();
        assertThat(depth.byState()).containsEntry(MessageStatus.State.HELD, 2L)
                .containsEntry(MessageStatus.State.QUEUED, 0L);
        assertThat(depth.oldestDueMs()).as("a held message is not due").isEmpty();
        long start = System.nanoTime();
        assertThat(outbox.awaitFirstAnswer(List.of("a1"), Duration.ofMillis(300)).get("a1").state())
                .as("held before any attempt: no first answer yet").isEqualTo(MessageStatus.State.HELD);
        assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(Duration.ofMillis(300).toNanos());

        assertThat(tx(handle -> outbox.release(handle, APP, "journey-a"))).isEqualTo(2);
        Map<String, MessageStatus> answered = outbox.awaitFirstAnswer(List.of("a1", "a2"), Duration.ofSeconds(10));
        assertThat(answered.values()).extracting(MessageStatus::state).containsOnly(MessageStatus.State.DELIVERED);
        assertThat(answered.values()).extracting(MessageStatus::attempts).containsOnly(1);
        Thread.sleep(200);
        assertThat(smtp.calls).extracting(OutboundMessage::id).containsExactlyInAnyOrder("b1", "a1", "a2");
        assertThat(tx(handle -> outbox.release(handle, APP, "journey-a"))).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void aRetryHeldThroughALongPauseKeepsItsBackOffAndItsHourOfRetries(String kind) throws Exception {
        MutableClock clock = new MutableClock(T0);
        SqlOutbox outbox = open(kind, clock);
        outbox.enqueue(List.of(journeyEmail("r1", "journey-a"), journeyEmail("q1", "journey-a")));
        SqlOutbox.Claimed claimed = outbox.claim(Channel.EMAIL, "node-1", T0.plusSeconds(30).toEpochMilli(), 1)
                .get(0);
        long retryAt = T0.plusSeconds(60).toEpochMilli();
        outbox.record(List.of(new SqlOutbox.Outcome(claimed, OutboxEvents.Result.RETRYING,
                Delivery.transientFailure(421, "try later"), retryAt)), "node-1");
        String retried = claimed.message().id();
        String queued = retried.equals("r1") ? "q1" : "r1";
        assertThat(state(outbox, retried)).isEqualTo(MessageStatus.State.RETRYING);

        clock.advance(Duration.ofSeconds(10));
        assertThat(tx(handle -> outbox.hold(handle, APP, "journey-a"))).isEqualTo(2);
        assertThat(outbox.awaitFirstAnswer(List.of(retried), Duration.ofSeconds(5)).get(retried).state())
                .as("held between retries: it had its first answer").isEqualTo(MessageStatus.State.HELD);
        clock.advance(Duration.ofHours(2));
        assertThat(outbox.claim(Channel.EMAIL, "node-1", clock.millis() + 30_000, 10)).as("held: never due")
                .isEmpty();

        assertThat(tx(handle -> outbox.release(handle, APP, "journey-a"))).isEqualTo(2);
        assertThat(state(outbox, retried)).isEqualTo(MessageStatus.State.RETRYING);
        assertThat(state(outbox, queued)).isEqualTo(MessageStatus.State.QUEUED);
        assertThat(outbox.statuses(List.of(retried)).get(retried).attempts()).isEqualTo(1);
        long paused = Duration.ofHours(2).toMillis();
        assertThat(column("next_attempt_ms", retried)).isEqualTo(retryAt + paused);
        assertThat(column("created_ms", retried)).isEqualTo(T0.toEpochMilli() + paused);
        assertThat(column("next_attempt_ms", queued)).as("due before it was held: due at once")
                .isLessThanOrEqualTo(clock.millis());

        List<SqlOutbox.Claimed> now = outbox.claim(Channel.EMAIL, "node-1", clock.millis() + 3_600_000, 10);
        assertThat(now).extracting(c -> c.message().id()).as("the retry still has 50 s of back-off")
                .containsExactly(queued);
        clock.advance(Duration.ofSeconds(50));
        List<SqlOutbox.Claimed> later = outbox.claim(Channel.EMAIL, "node-1", clock.millis() + 30_000, 10);
        assertThat(later).extracting(c -> c.message().id()).containsExactly(retried);
        RetrySchedule retries = new RetrySchedule(clock, RandomGenerator.getDefault(), Duration.ofSeconds(1),
                Duration.ofSeconds(2), Duration.ofHours(1));
        assertThat(retries.next(later.get(0).createdMs(), later.get(0).message().attempt()))
                .as("two hours after queuing, but 50 s of its hour used").isPresent();
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void withdrawTakesHeldMessagesToo(String kind) throws Exception {
        SqlOutbox outbox = open(kind, java.time.Clock.systemUTC());
        outbox.enqueue(List.of(journeyEmail("a1", "journey-a"), journeyEmail("b1", "journey-b")));
        store.jdbi().useTransaction(handle -> outbox.hold(handle, APP, "journey-a"));
        outbox.enqueue(List.of(journeyEmail("a2", "journey-a")));
        assertThat(tx(handle -> outbox.withdraw(handle, APP, "journey-a"))).isEqualTo(2);
        assertThat(state(outbox, "a1")).isEqualTo(MessageStatus.State.WITHDRAWN);
        assertThat(state(outbox, "a2")).isEqualTo(MessageStatus.State.WITHDRAWN);
        assertThat(state(outbox, "b1")).isEqualTo(MessageStatus.State.QUEUED);
        assertThat(tx(handle -> outbox.release(handle, APP, "journey-a")))
                .as("withdrawn stays withdrawn").isZero();
    }
}
