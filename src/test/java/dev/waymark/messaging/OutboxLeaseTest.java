package dev.waymark.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.waymark.CapturedLogs;
import dev.waymark.apps.App;
import dev.waymark.e2e.TestDatabases;
import dev.waymark.store.sql.SqlStore;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.random.RandomGenerator;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The outbox's leases against slow transports, on SQLite and PostgreSQL: a message claimed by one node is never handed
 * to a transport by it once another node may have taken it over.
 */
class OutboxLeaseTest {
    private static final String APP = "app1";
    private final List<AutoCloseable> open = new ArrayList<>();
    @TempDir
    Path dir;
    @RegisterExtension
    final CapturedLogs logs = new CapturedLogs();
    private final Clock clock = Clock.systemUTC();
    private SqlStore store;

    private void open(String kind) throws Exception {
        if (kind.equals("sqlite")) {
            store = SqlStore.open("jdbc:sqlite:" + dir.resolve("waymark.db"));
        } else {
            store = SqlStore.open(TestDatabases.newPostgresDatabase());
        }
        open.add(store);
        store.apps().insert(new App(APP, "lease", Instant.EPOCH), Map.of());
    }

    @AfterEach
    void close() throws Exception {
        Collections.reverse(open);
        for (AutoCloseable closeable : open) {
            closeable.close();
        }
    }

    /** A node: its own outbox view and sender, one thread per channel. */
    private SqlOutbox node(Transport transport, Duration lease) {
        SqlOutbox outbox = new SqlOutbox(store.jdbi(), store.dialect(), store.events(), clock);
        OutboxSender.Settings settings = new OutboxSender.Settings(Duration.ofMillis(50), lease, 100,
                Map.of(transport.channel(), 1), Duration.ofSeconds(5), Duration.ofDays(7));
        RetrySchedule retries = new RetrySchedule(clock, RandomGenerator.getDefault(), Duration.ofMillis(200),
                Duration.ofMillis(400), Duration.ofHours(1));
        OutboxSender sender = new OutboxSender(outbox, Map.of(transport.channel(), transport), retries, settings,
                clock, Optional.empty());
        open.add(sender);
        sender.start();
        return outbox;
    }

    /** A webhook-like transport that takes 400 ms per message, says it never takes longer than 500 ms, and counts. */
    private static final class SlowSms implements Transport {
        final Map<String, Integer> calls = new java.util.concurrent.ConcurrentHashMap<>();

        @Override
        public Channel channel() {
            return Channel.SMS;
        }

        @Override
        public Duration longestSend() {
            return Duration.ofMillis(500);
        }

        @Override
        public Delivery send(OutboundMessage message) {
            calls.merge(message.id(), 1, Integer::sum);
            try {
                Thread.sleep(400);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return Delivery.delivered(200, "OK", Optional.empty());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void aTransportThatThrowsAnErrorNeitherStopsItsChannelNorKeepsItsMessageInHandForEver(String kind)
            throws Exception {
        open(kind);
        java.util.Set<String> sent = java.util.concurrent.ConcurrentHashMap.newKeySet();
        Transport poisoned = new Transport() {
            @Override
            public Channel channel() {
                return Channel.SMS;
            }

            @Override
            public Delivery send(OutboundMessage message) {
                if (message.id().startsWith("poison")) {
                    // What a library that cannot load a class, or recursion on a hostile payload, throws.
                    throw new StackOverflowError("poison");
                }
                sent.add(message.id());
                return Delivery.delivered(200, "OK", Optional.empty());
            }
        };
        // One thread and four messages in hand at most (batch 4): four lost slots would stop the channel.
        SqlOutbox outbox = new SqlOutbox(store.jdbi(), store.dialect(), store.events(), clock);
        OutboxSender.Settings settings = new OutboxSender.Settings(Duration.ofMillis(50), Duration.ofSeconds(30), 4,
                Map.of(Channel.SMS, 1), Duration.ofSeconds(5), Duration.ofDays(7));
        RetrySchedule retries = new RetrySchedule(clock, RandomGenerator.getDefault(), Duration.ofSeconds(60),
                Duration.ofSeconds(60), Duration.ofHours(1));
        OutboxSender sender = new OutboxSender(outbox, Map.of(Channel.SMS, poisoned), retries, settings, clock,
                Optional.empty());
        open.add(sender);
        sender.start();
        List<String> poison = List.of("poison0", "poison1", "poison2", "poison3");
        outbox.enqueue(poison.stream().map(OutboxLeaseTest::sms).toList());
        Thread.sleep(500);
        outbox.enqueue(List.of(sms("fine")));
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!sent.contains("fine") && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(sent).as("a message queued after four that threw").contains("fine");
        assertThat(outbox.statuses(poison).values()).as("the poisoned ones have their answer: they are retried later")
                .extracting(MessageStatus::state).containsOnly(MessageStatus.State.RETRYING);
        assertThat(outbox.statuses(poison).values()).extracting(MessageStatus::statusMessage)
                .allSatisfy(message -> assertThat(message).contains("StackOverflowError"));
        for (String id : poison) {
            ILoggingEvent warned = logs.expect(Level.WARN, "messaging.OutboxSender",
                    "The SMS transport failed on message " + id);
            assertThat(warned.getThrowableProxy().getClassName()).isEqualTo(StackOverflowError.class.getName());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void anErrorWhileRecordingOutcomesDoesNotEndTheRecorder(String kind) throws Exception {
        open(kind);
        java.util.concurrent.atomic.AtomicInteger handedOver = new java.util.concurrent.atomic.AtomicInteger();
        Transport sms = new Transport() {
            @Override
            public Channel channel() {
                return Channel.SMS;
            }

            @Override
            public Delivery send(OutboundMessage message) {
                handedOver.incrementAndGet();
                return Delivery.delivered(200, "OK", Optional.empty());
            }
        };
        SqlOutbox outbox = new SqlOutbox(store.jdbi(), store.dialect(), store.events(), clock);
        java.util.concurrent.atomic.AtomicBoolean thrown = new java.util.concurrent.atomic.AtomicBoolean();
        outbox.onJourneySends((handle, sends, at) -> {
            if (thrown.compareAndSet(false, true)) {
                throw new StackOverflowError("once");
            }
        });
        OutboxSender.Settings settings = new OutboxSender.Settings(Duration.ofMillis(50), Duration.ofSeconds(30), 100,
                Map.of(Channel.SMS, 1), Duration.ofSeconds(5), Duration.ofDays(7));
        OutboxSender sender = new OutboxSender(outbox, Map.of(Channel.SMS, sms), RetrySchedule.standard(clock),
                settings, clock, Optional.empty());
        open.add(sender);
        sender.start();
        NewMessage plain = sms("j1");
        outbox.enqueue(List.of(new NewMessage("j1", APP, "j1", Channel.SMS, plain.destination(), Optional.empty(),
                plain.content(), Origin.journey("journey-1", "run-1", "activity-1"), Optional.empty())));
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!outbox.statuses(List.of("j1")).get("j1").state().isFinal() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(outbox.statuses(List.of("j1")).get("j1").state()).as("recorded at the recorder's next try")
                .isEqualTo(MessageStatus.State.DELIVERED);
        assertThat(handedOver.get()).isEqualTo(1);
        logs.expect(Level.WARN, "messaging.OutboxSender", "Writing 1 message outcomes failed (1 in a row); trying "
                + "again in 200 ms: java.lang.StackOverflowError: once");
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void anOutcomeThatCannotBeWrittenNeitherHoldsBackItsBatchNorHasItsMessageSentForEver(String kind)
            throws Exception {
        open(kind);
        java.util.Map<String, Integer> handedOver = new java.util.concurrent.ConcurrentHashMap<>();
        Transport sms = new Transport() {
            @Override
            public Channel channel() {
                return Channel.SMS;
            }

            @Override
            public Delivery send(OutboundMessage message) {
                handedOver.merge(message.id(), 1, Integer::sum);
                return Delivery.delivered(200, "OK", Optional.empty());
            }
        };
        SqlOutbox outbox = new SqlOutbox(store.jdbi(), store.dialect(), store.events(), clock);
        // A listener with a bug that one journey's data sets off every time.
        outbox.onJourneySends((handle, sends, at) -> {
            if (sends.stream().anyMatch(send -> send.journeyId().equals("bad"))) {
                throw new IllegalStateException("cannot count journey bad");
            }
        });
        OutboxSender.Settings settings = new OutboxSender.Settings(Duration.ofMillis(50), Duration.ofSeconds(2), 100,
                Map.of(Channel.SMS, 4), Duration.ofSeconds(5), Duration.ofDays(7));
        OutboxSender sender = new OutboxSender(outbox, Map.of(Channel.SMS, sms), RetrySchedule.standard(clock),
                settings, clock, Optional.empty());
        open.add(sender);
        sender.start();
        List<String> ids = new ArrayList<>();
        List<NewMessage> messages = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            String id = "m" + i;
            ids.add(id);
            NewMessage plain = sms(id);
            messages.add(new NewMessage(id, APP, id, Channel.SMS, plain.destination(), Optional.empty(),
                    plain.content(), Origin.journey(i == 0 ? "bad" : "good", "run-1", "activity-1"),
                    Optional.empty()));
        }
        outbox.enqueue(messages);
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (!outbox.statuses(ids).values().stream().allMatch(status -> status.state().isFinal())
                && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        // Past two leases: a message whose outcome was never written would have been sent again by now.
        Thread.sleep(4500);
        assertThat(outbox.statuses(ids).values()).extracting(MessageStatus::state)
                .containsOnly(MessageStatus.State.DELIVERED);
        assertThat(handedOver).as("hand-overs per message").hasSize(10).allSatisfy((id, count) ->
                assertThat(count).as(id).isEqualTo(1));
        // The last line first: expect marks the lines logged so far. Three failures in a row (the first may be of
        // the whole batch, before m0 is isolated), then m0 is written bare.
        logs.expect(Level.WARN, "messaging.OutboxSender",
                "The outcomes of messages [m0] were written without their event-log records: writing those failed 3 times");
        logs.expect(Level.WARN, "messaging.OutboxSender", "failed (3 in a row); trying again in 800 ms: "
                + "java.lang.IllegalStateException: cannot count journey bad");
        logs.expect(Level.WARN, "messaging.OutboxSender", "cannot count journey bad");
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void aTransportsUnexpectedExceptionIsToldByItsKindNotItsText(String kind) throws Exception {
        open(kind);
        Transport leaky = new Transport() {
            @Override
            public Channel channel() {
                return Channel.SMS;
            }

            @Override
            public Delivery send(OutboundMessage message) {
                throw new IllegalStateException("pool exhausted for smsgw.corp.internal:8443 as user svc-waymark");
            }
        };
        SqlOutbox outbox = new SqlOutbox(store.jdbi(), store.dialect(), store.events(), clock);
        OutboxSender.Settings settings = new OutboxSender.Settings(Duration.ofMillis(50), Duration.ofSeconds(30), 100,
                Map.of(Channel.SMS, 1), Duration.ofSeconds(5), Duration.ofDays(7));
        OutboxSender sender = new OutboxSender(outbox, Map.of(Channel.SMS, leaky), RetrySchedule.standard(clock),
                settings, clock, Optional.empty());
        open.add(sender);
        sender.start();
        outbox.enqueue(List.of(sms("leak")));
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (outbox.statuses(List.of("leak")).get("leak").state() != MessageStatus.State.RETRYING
                && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        // The status message reaches API clients (SendMessages' StatusMessage, the event log): the text stays in the log.
        assertThat(outbox.statuses(List.of("leak")).get("leak").statusMessage()).contains("IllegalStateException")
                .doesNotContain("smsgw.corp.internal").doesNotContain("svc-waymark");
        ILoggingEvent warned = logs.expect(Level.WARN, "messaging.OutboxSender",
                "The SMS transport failed on message leak");
        assertThat(warned.getThrowableProxy().getMessage()).as("the text is in the log")
                .isEqualTo("pool exhausted for smsgw.corp.internal:8443 as user svc-waymark");
    }

    private static NewMessage sms(String id) {
        return new NewMessage(id, APP, id, Channel.SMS, "+15550100", Optional.empty(),
                JsonNodeFactory.instance.objectNode().put("Body", "x"), Origin.direct(Optional.empty()),
                Optional.empty());
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void messagesQueuedBehindSlowHandOversAreNotSentTwiceByTwoNodes(String kind) throws Exception {
        open(kind);
        SlowSms sms = new SlowSms();
        // Two nodes with a lease of 1 s and one thread each: one claim takes all eight messages, and those queued
        // behind the first ones would start after their lease ran out, when the other node has taken them over.
        SqlOutbox first = node(sms, Duration.ofSeconds(1));
        List<NewMessage> messages = IntStream.range(0, 8).mapToObj(i -> new NewMessage("q" + i, APP, "q" + i,
                Channel.SMS, "+15550100", Optional.empty(), JsonNodeFactory.instance.objectNode().put("Body", "x"),
                Origin.direct(Optional.empty()), Optional.empty())).toList();
        first.enqueue(messages);
        Thread.sleep(100);
        node(sms, Duration.ofSeconds(1));
        List<String> ids = messages.stream().map(NewMessage::id).toList();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!first.statuses(ids).values().stream().allMatch(status -> status.state().isFinal())) {
            assertThat(System.nanoTime()).as("all delivered within 30 s").isLessThan(deadline);
            Thread.sleep(50);
        }
        Thread.sleep(600);
        assertThat(first.statuses(ids).values()).extracting(MessageStatus::state)
                .containsOnly(MessageStatus.State.DELIVERED);
        for (String id : ids) {
            assertThat(sms.calls.get(id)).as("hand-overs of %s", id).isEqualTo(1);
        }
    }
}
