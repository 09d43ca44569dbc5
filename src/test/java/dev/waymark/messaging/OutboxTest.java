package dev.waymark.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import ch.qos.logback.classic.Level;
import dev.waymark.CapturedLogs;
import dev.waymark.apps.App;
import dev.waymark.e2e.TestDatabases;
import dev.waymark.ops.Metrics;
import dev.waymark.audience.EventRecord;
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
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.random.RandomGenerator;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The outbox and its senders over a real store, on SQLite and PostgreSQL, with transports that record what they are
 * given and answer as each test says.
 */
class OutboxTest {
    private static final String APP = "app1";
    private final List<AutoCloseable> open = new ArrayList<>();
    @TempDir
    Path dir;
    @RegisterExtension
    final CapturedLogs logs = new CapturedLogs();
    private final Clock clock = Clock.systemUTC();
    private SqlStore store;
    private SqlOutbox outbox;

    /** A transport that records every message it is given and answers with {@code answer}. */
    static final class RecordingTransport implements Transport {
        final Channel channel;
        final Function<OutboundMessage, Delivery> answer;
        final List<OutboundMessage> calls = Collections.synchronizedList(new ArrayList<>());
        final List<Long> times = Collections.synchronizedList(new ArrayList<>());

        RecordingTransport(Channel channel, Function<OutboundMessage, Delivery> answer) {
            this.channel = channel;
            this.answer = answer;
        }

        @Override
        public Channel channel() {
            return channel;
        }

        @Override
        public Delivery send(OutboundMessage message) {
            calls.add(message);
            times.add(System.nanoTime());
            return answer.apply(message);
        }

        long callsFor(String id) {
            synchronized (calls) {
                return calls.stream().filter(message -> message.id().equals(id)).count();
            }
        }
    }

    private void open(String kind) throws Exception {
        if (kind.equals("sqlite")) {
            store = SqlStore.open("jdbc:sqlite:" + dir.resolve("waymark.db"));
        } else {
            store = SqlStore.open(TestDatabases.newPostgresDatabase());
        }
        open.add(store);
        store.apps().insert(new App(APP, "outbox", Instant.EPOCH), Map.of());
        outbox = new SqlOutbox(store.jdbi(), store.dialect(), store.events(), clock);
    }

    @AfterEach
    void close() throws Exception {
        Collections.reverse(open);
        for (AutoCloseable closeable : open) {
            closeable.close();
        }
    }

    private OutboxSender sender(SqlOutbox on, Map<Channel, Transport> transports, Duration lease) {
        OutboxSender.Settings settings = new OutboxSender.Settings(Duration.ofMillis(50), lease, 100,
                OutboxSender.Settings.DEFAULTS.threads(), Duration.ofSeconds(5), Duration.ofDays(7));
        // Retries come back within 100-200 ms here instead of Pinpoint-like seconds.
        RetrySchedule retries = new RetrySchedule(clock, RandomGenerator.getDefault(), Duration.ofMillis(200),
                Duration.ofMillis(400), Duration.ofHours(1));
        OutboxSender sender = new OutboxSender(on, transports, retries, settings, clock, Optional.empty());
        open.add(sender);
        sender.start();
        return sender;
    }

    private static NewMessage email(String id, String key) {
        ObjectNode content = JsonNodeFactory.instance.objectNode().put("Subject", "Hello").put("TextPart", "Hi");
        return new NewMessage(id, APP, key, Channel.EMAIL, "someone@example.com", Optional.of("Endpoint-1"), content,
                Origin.direct(Optional.of("trace-1")), Optional.empty());
    }

    private static NewMessage journeyEmail(String id, String journey) {
        NewMessage plain = email(id, "journey:" + id);
        return new NewMessage(plain.id(), APP, plain.idempotencyKey(), Channel.EMAIL, plain.destination(),
                plain.endpointId(), plain.content(), Origin.journey(journey, "run-1", "activity-1"), Optional.empty());
    }

    private MessageStatus status(String id) {
        return outbox.statuses(List.of(id)).get(id);
    }

    private MessageStatus awaitFinal(String id) {
        await(() -> status(id).state().isFinal(), Duration.ofSeconds(20));
        return status(id);
    }

    private static void await(BooleanSupplier condition, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not reached within " + timeout);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
    }

    private List<String> eventTypes(String endpointId) {
        return store.events().ofEndpoint(APP, endpointId, Instant.EPOCH, 100).stream().map(EventRecord::eventType)
                .sorted().toList();
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void aTransientFailureIsRetriedOnceWithTheSameKeyAndDeliveredOnce(String kind) throws Exception {
        open(kind);
        AtomicInteger calls = new AtomicInteger();
        RecordingTransport smtp = new RecordingTransport(Channel.EMAIL, message -> calls.incrementAndGet() == 1
                ? Delivery.transientFailure(421, "try later") : Delivery.delivered(250, "OK", Optional.of("<m@x>")));
        sender(outbox, Map.of(Channel.EMAIL, smtp), Duration.ofSeconds(30));
        outbox.enqueue(List.of(email("m1", "key-1")));

        MessageStatus done = awaitFinal("m1");
        assertThat(done.state()).isEqualTo(MessageStatus.State.DELIVERED);
        assertThat(done.attempts()).isEqualTo(2);
        assertThat(done.statusCode()).isEqualTo(250);
        assertThat(done.providerMessageId()).contains("<m@x>");
        assertThat(smtp.calls).extracting(OutboundMessage::idempotencyKey).containsExactly("key-1", "key-1");
        assertThat(smtp.calls).extracting(OutboundMessage::attempt).containsExactly(1, 2);
        assertThat(eventTypes("endpoint-1")).as("one send, one delivery, no bounce for a retried 4xx")
                .containsExactly("_email.delivered", "_email.send");
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void aPermanentFailureFailsAtOnceWhateverTheProviderSaid(String kind) throws Exception {
        open(kind);
        RecordingTransport smtp = new RecordingTransport(Channel.EMAIL,
                message -> Delivery.permanentFailure(550, "no such user\u0000"));
        sender(outbox, Map.of(Channel.EMAIL, smtp), Duration.ofSeconds(30));
        outbox.enqueue(List.of(email("m1", "key-1")));

        MessageStatus done = awaitFinal("m1");
        assertThat(done.state()).isEqualTo(MessageStatus.State.FAILED);
        assertThat(done.attempts()).isEqualTo(1);
        assertThat(done.statusMessage()).as("a NUL from the provider is stored as a space (PostgreSQL refuses it)")
                .isEqualTo("no such user ");
        Thread.sleep(400);
        assertThat(smtp.calls).hasSize(1);
        assertThat(eventTypes("endpoint-1")).containsExactly("_email.hardbounce", "_email.send");
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void aTransportThatThrowsIsRetried(String kind) throws Exception {
        open(kind);
        AtomicInteger calls = new AtomicInteger();
        RecordingTransport smtp = new RecordingTransport(Channel.EMAIL, message -> {
            if (calls.incrementAndGet() == 1) {
                throw new IllegalStateException("connection pool broken");
            }
            return Delivery.delivered(250, "OK", Optional.empty());
        });
        sender(outbox, Map.of(Channel.EMAIL, smtp), Duration.ofSeconds(30));
        outbox.enqueue(List.of(email("m1", "key-1")));

        assertThat(awaitFinal("m1").state()).isEqualTo(MessageStatus.State.DELIVERED);
        assertThat(smtp.calls).hasSize(2);
        assertThat(logs.expect(Level.WARN, "messaging.OutboxSender", "The EMAIL transport failed on message m1")
                .getThrowableProxy().getMessage()).isEqualTo("connection pool broken");
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void aHandOverThatHangsPastItsLeaseIsSentAgainWithTheSameKey(String kind) throws Exception {
        open(kind);
        AtomicInteger calls = new AtomicInteger();
        RecordingTransport smtp = new RecordingTransport(Channel.EMAIL, message -> {
            if (calls.incrementAndGet() == 1) {
                sleep(1500);
                return Delivery.delivered(250, "late", Optional.empty());
            }
            return Delivery.delivered(250, "OK", Optional.empty());
        });
        // Two nodes: the second takes the message over once the first's lease of 400 ms ran out.
        OutboxSender first = sender(outbox, Map.of(Channel.EMAIL, smtp), Duration.ofMillis(400));
        outbox.enqueue(List.of(email("m1", "key-1")));
        await(() -> calls.get() == 1, Duration.ofSeconds(5));
        sender(new SqlOutbox(store.jdbi(), store.dialect(), store.events(), clock), Map.of(Channel.EMAIL, smtp),
                Duration.ofMillis(400));

        MessageStatus done = awaitFinal("m1");
        assertThat(done.state()).isEqualTo(MessageStatus.State.DELIVERED);
        assertThat(done.attempts()).isEqualTo(2);
        await(() -> calls.get() >= 2, Duration.ofSeconds(5));
        Thread.sleep(1500);
        assertThat(smtp.calls).extracting(OutboundMessage::idempotencyKey).containsExactly("key-1", "key-1");
        assertThat(status("m1").statusMessage()).as("the late answer of the lost lease is not written").isEqualTo("OK");
        assertThat(eventTypes("endpoint-1")).containsExactly("_email.delivered", "_email.send");
        assertThat(first.owner()).isNotBlank();
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void aRateCeilingHoldsAcrossTwoSenders(String kind) throws Exception {
        open(kind);
        RecordingTransport sms = new RecordingTransport(Channel.SMS, message -> Delivery.delivered(200, "OK",
                Optional.empty()));
        List<NewMessage> messages = IntStream.range(0, 200).mapToObj(i -> new NewMessage("r" + i, APP, "rate-" + i,
                Channel.SMS, "+15550100", Optional.empty(), JsonNodeFactory.instance.objectNode().put("Body", "x"),
                Origin.journey("j1", "run", "act"), Optional.of(new NewMessage.Rate("journey:j1", 50)))).toList();
        outbox.enqueue(messages);
        long start = System.nanoTime();
        sender(outbox, Map.of(Channel.SMS, sms), Duration.ofSeconds(30));
        sender(new SqlOutbox(store.jdbi(), store.dialect(), store.events(), clock), Map.of(Channel.SMS, sms),
                Duration.ofSeconds(30));
        await(() -> sms.calls.size() == 200, Duration.ofSeconds(20));
        long elapsedMs = (System.nanoTime() - start) / 1_000_000;

        // Four one-second windows of 50: the first may start just before its end, so more than 2 s in all.
        assertThat(elapsedMs).isGreaterThanOrEqualTo(2000);
        List<Integer> used = store.jdbi().withHandle(h -> h.createQuery("SELECT used FROM send_rates "
                + "WHERE rate_key = 'journey:j1'").mapTo(Integer.class).list());
        assertThat(used).as("no window gave more than 50").allMatch(n -> n <= 50);
        assertThat(used.stream().mapToInt(Integer::intValue).sum()).isEqualTo(200);
        assertThat(sms.calls.stream().map(OutboundMessage::id).distinct().count()).isEqualTo(200);
        List<Long> times = new ArrayList<>(sms.times);
        Collections.sort(times);
        // 151 sends need four windows, so their grants span over two seconds. These are the transport's call
        // times, which lag their grants by however long a loaded machine takes to get there: allow it a second.
        for (int i = 0; i + 150 < times.size(); i++) {
            assertThat(times.get(i + 150) - times.get(i)).as("151 sends span more than one second")
                    .isGreaterThan(1_000_000_000L);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void theSameKeyQueuedTwiceIsOneMessage(String kind) throws Exception {
        open(kind);
        outbox.enqueue(List.of(email("m1", "key-1")));
        store.jdbi().useTransaction(handle -> outbox.enqueue(handle, List.of(email("m2", "key-1"))));
        long rows = store.jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM outbox").mapTo(Long.class).one());
        assertThat(rows).isEqualTo(1);
        assertThat(outbox.statuses(List.of("m1", "m2"))).containsOnlyKeys("m1");
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void withdrawTakesBackTheWaitingMessagesOfOneJourney(String kind) throws Exception {
        open(kind);
        outbox.enqueue(List.of(journeyEmail("a1", "journey-a"), journeyEmail("a2", "journey-a"),
                journeyEmail("b1", "journey-b")));
        int withdrawn = store.jdbi().inTransaction(handle -> outbox.withdraw(handle, APP, "journey-a"));
        assertThat(withdrawn).isEqualTo(2);
        assertThat(status("a1").state()).isEqualTo(MessageStatus.State.WITHDRAWN);
        RecordingTransport smtp = new RecordingTransport(Channel.EMAIL, message -> Delivery.delivered(250, "OK",
                Optional.empty()));
        sender(outbox, Map.of(Channel.EMAIL, smtp), Duration.ofSeconds(30));
        assertThat(awaitFinal("b1").state()).isEqualTo(MessageStatus.State.DELIVERED);
        Thread.sleep(300);
        assertThat(smtp.calls).extracting(OutboundMessage::id).containsExactly("b1");
        assertThat(status("a2").state()).isEqualTo(MessageStatus.State.WITHDRAWN);
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void aChannelWithoutTransportFailsNamingTheFlag(String kind) throws Exception {
        open(kind);
        sender(outbox, Map.of(), Duration.ofSeconds(30));
        outbox.enqueue(List.of(email("m1", "key-1")));
        Map<String, MessageStatus> answered = outbox.awaitFirstAnswer(List.of("m1"), Duration.ofSeconds(10));
        assertThat(answered.get("m1").state()).isEqualTo(MessageStatus.State.FAILED);
        assertThat(answered.get("m1").statusMessage()).isEqualTo("no SMTP server is configured (--smtp-url)");
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void eventRecordsAreWrittenOnceAndJourneySendsOncePerAttempt(String kind) throws Exception {
        open(kind);
        AtomicInteger calls = new AtomicInteger();
        RecordingTransport smtp = new RecordingTransport(Channel.EMAIL, message -> calls.incrementAndGet() == 1
                ? Delivery.transientFailure(0, "connection refused") : Delivery.delivered(250, "OK", Optional.empty()));
        List<JourneySends.Send> counted = Collections.synchronizedList(new ArrayList<>());
        outbox.onJourneySends((handle, sends, at) -> counted.addAll(sends));
        sender(outbox, Map.of(Channel.EMAIL, smtp), Duration.ofSeconds(30));
        outbox.enqueue(List.of(journeyEmail("m1", "journey-a")));
        awaitFinal("m1");
        assertThat(counted).containsExactly(
                new JourneySends.Send(APP, "journey-a", "run-1", "activity-1", "FAILURE"),
                new JourneySends.Send(APP, "journey-a", "run-1", "activity-1", "SUCCESS"));

        List<EventRecord> records = store.events().ofEndpoint(APP, "endpoint-1", Instant.EPOCH, 100);
        assertThat(records).extracting(EventRecord::eventType).containsExactlyInAnyOrder("_email.send",
                "_journey.send", "_journey.send", "_email.delivered");
        assertThat(records.stream().filter(r -> r.eventType().equals("_journey.send"))
                .map(r -> r.attributes().get("journey_send_status")).sorted()).containsExactly("FAILURE", "SUCCESS");
        EventRecord send = records.stream().filter(r -> r.eventType().equals("_email.delivered")).findFirst()
                .orElseThrow();
        assertThat(send.attributes()).containsEntry("journey_id", "journey-a").containsEntry("message_id", "m1")
                .containsEntry("journey_run_id", "run-1").containsEntry("journey_activity_id", "activity-1");

        // The same outcome written again (a node that died after committing it, say) adds nothing.
        SqlOutbox.Claimed claimed = new SqlOutbox.Claimed(new OutboundMessage("m1", APP, "journey:m1", Channel.EMAIL,
                "someone@example.com", Optional.of("Endpoint-1"), JsonNodeFactory.instance.objectNode(),
                Origin.journey("journey-a", "run-1", "activity-1"), 2), 0);
        int added = store.jdbi().inTransaction(handle -> store.events().append(handle, OutboxEvents.of(
                claimed.message(), OutboxEvents.Result.DELIVERED, Delivery.delivered(250, "OK", Optional.empty()),
                clock.millis(), store.events())));
        assertThat(added).isZero();
        assertThat(store.events().count(APP)).isEqualTo(4);
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void customReceiversEventAttributesAreRecordedPerEndpoint(String kind) throws Exception {
        open(kind);
        RecordingTransport custom = new RecordingTransport(Channel.CUSTOM, message -> new Delivery(
                Delivery.Outcome.DELIVERED, 200, "OK", Optional.empty(),
                Map.of("e1", Map.of("score", "7"), "e2", Map.of("score", "3"))));
        sender(outbox, Map.of(Channel.CUSTOM, custom), Duration.ofSeconds(30));
        ObjectNode content = JsonNodeFactory.instance.objectNode();
        content.putObject("Endpoints").putObject("e1");
        content.with("Endpoints").putObject("e2");
        outbox.enqueue(List.of(new NewMessage("c1", APP, "custom:1", Channel.CUSTOM, "https://receiver.example",
                Optional.empty(), content, Origin.journey("j", "r", "a"), Optional.empty())));
        awaitFinal("c1");
        List<EventRecord> e2 = store.events().ofEndpoint(APP, "e2", Instant.EPOCH, 10);
        assertThat(e2).extracting(EventRecord::eventType).containsExactlyInAnyOrder("_custom.send", "_journey.send");
        assertThat(e2.stream().filter(r -> r.eventType().equals("_custom.send")).findFirst().orElseThrow()
                .attributes()).containsEntry("score", "3").containsEntry("message_id", "c1");
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void awaitFirstAnswerReturnsOnTheAnswerOrAtTheTimeout(String kind) throws Exception {
        open(kind);
        outbox.enqueue(List.of(email("m1", "key-1")));
        long start = System.nanoTime();
        Map<String, MessageStatus> waited = outbox.awaitFirstAnswer(List.of("m1", "unknown"), Duration.ofMillis(300));
        assertThat((System.nanoTime() - start) / 1_000_000).isBetween(250L, 3000L);
        assertThat(waited).containsOnlyKeys("m1");
        assertThat(waited.get("m1").state()).isEqualTo(MessageStatus.State.QUEUED);

        RecordingTransport smtp = new RecordingTransport(Channel.EMAIL, message -> Delivery.transientFailure(451,
                "greylisted"));
        sender(outbox, Map.of(Channel.EMAIL, smtp), Duration.ofSeconds(30));
        start = System.nanoTime();
        MessageStatus first = outbox.awaitFirstAnswer(List.of("m1"), Duration.ofSeconds(10)).get("m1");
        assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(5000);
        assertThat(first.state()).isEqualTo(MessageStatus.State.RETRYING);
        assertThat(first.statusCode()).isEqualTo(451);
    }

    @Test
    void aMessageThatKeepsFailingFailsForGoodAtItsDeadline() throws Exception {
        open("sqlite");
        RecordingTransport sms = new RecordingTransport(Channel.SMS, message -> Delivery.transientFailure(503, "busy"));
        OutboxSender.Settings settings = new OutboxSender.Settings(Duration.ofMillis(50), Duration.ofSeconds(30), 100,
                OutboxSender.Settings.DEFAULTS.threads(), Duration.ofSeconds(5), Duration.ofDays(7));
        RetrySchedule retries = new RetrySchedule(clock, RandomGenerator.getDefault(), Duration.ofMillis(100),
                Duration.ofMillis(200), Duration.ofMillis(800));
        OutboxSender sender = new OutboxSender(outbox, Map.of(Channel.SMS, sms), retries, settings, clock,
                Optional.empty());
        open.add(sender);
        sender.start();
        outbox.enqueue(List.of(new NewMessage("s1", APP, "s1", Channel.SMS, "+15550100", Optional.of("phone"),
                JsonNodeFactory.instance.objectNode().put("Body", "x"), Origin.direct(Optional.empty()),
                Optional.empty())));
        MessageStatus done = awaitFinal("s1");
        assertThat(done.state()).isEqualTo(MessageStatus.State.FAILED);
        assertThat(done.statusMessage()).startsWith("retries exhausted");
        assertThat(done.attempts()).isBetween(3, 12);
        assertThat(eventTypes("phone")).containsExactly("_SMS.FAILURE");
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void throughputWithAFastTransport(String kind) throws Exception {
        open(kind);
        RecordingTransport smtp = new RecordingTransport(Channel.EMAIL, message -> Delivery.delivered(250, "OK",
                Optional.empty()));
        RecordingTransport sms = new RecordingTransport(Channel.SMS, message -> Delivery.delivered(200, "OK",
                Optional.empty()));
        int count = 4000;
        List<NewMessage> messages = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            NewMessage mail = email("t" + i, "t" + i);
            messages.add(i % 2 == 0 ? mail : new NewMessage(mail.id(), APP, mail.idempotencyKey(), Channel.SMS,
                    "+15550100", Optional.of("phone-" + i), mail.content(), mail.origin(), Optional.empty()));
        }
        for (int from = 0; from < count; from += 1000) {
            outbox.enqueue(messages.subList(from, from + 1000));
        }
        long start = System.nanoTime();
        sender(outbox, Map.of(Channel.EMAIL, smtp, Channel.SMS, sms), Duration.ofSeconds(30));
        await(() -> store.jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM outbox WHERE state = "
                + "'DELIVERED'").mapTo(Long.class).one()) == count, Duration.ofSeconds(120));
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("Outbox on %s: %d messages (email and SMS) handed over and recorded in %.2f s: %.0f/s%n",
                kind, count, seconds, count / seconds);
        assertThat(smtp.calls.size() + sms.calls.size()).isEqualTo(count);
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void stoppingLetsHandOversInProgressFinishAndRecordsThem(String kind) throws Exception {
        open(kind);
        RecordingTransport sms = new RecordingTransport(Channel.SMS, message -> {
            sleep(700);
            return Delivery.delivered(200, "OK", Optional.empty());
        });
        OutboxSender sender = sender(outbox, Map.of(Channel.SMS, sms), Duration.ofSeconds(30));
        List<NewMessage> messages = IntStream.range(0, 4).mapToObj(i -> new NewMessage("s" + i, APP, "s" + i,
                Channel.SMS, "+15550100", Optional.empty(), JsonNodeFactory.instance.objectNode().put("Body", "x"),
                Origin.direct(Optional.empty()), Optional.empty())).toList();
        outbox.enqueue(messages);
        await(() -> sms.calls.size() == 4, Duration.ofSeconds(5));
        sender.close();
        assertThat(outbox.statuses(List.of("s0", "s1", "s2", "s3")).values()).extracting(MessageStatus::state)
                .containsOnly(MessageStatus.State.DELIVERED);
    }

    @Test
    void aStoreThatIsDownIsAskedLessAndLessOftenAndSaidSoOnce() throws Exception {
        open("sqlite");
        sender(outbox, Map.of(), Duration.ofSeconds(30));
        Thread.sleep(200);
        logs.allow("com.zaxxer.hikari");
        store.close();
        logs.expect(Level.WARN, "messaging.OutboxSender", "Claiming EMAIL messages failed (1 in a row)");
        Thread.sleep(3000);
        long warnings = logs.events().stream().filter(event -> event.getLoggerName().endsWith("OutboxSender")
                && event.getLevel() == Level.WARN).count();
        assertThat(warnings).as("one line per channel, not one per poll").isEqualTo(Channel.values().length);
        logs.expect(Level.WARN, "messaging.OutboxSender", "failed (1 in a row)");
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void finalMessagesArePrunedAfterTheRetentionAndTheOthersCounted(String kind) throws Exception {
        open(kind);
        outbox.enqueue(List.of(journeyEmail("a1", "journey-a"), journeyEmail("a2", "journey-a"), email("m1", "k1")));
        store.jdbi().useTransaction(handle -> outbox.withdraw(handle, APP, "journey-a"));
        SqlOutbox.Depth depth = outbox.depth();
        assertThat(depth.byState()).containsEntry(MessageStatus.State.QUEUED, 1L)
                .containsEntry(MessageStatus.State.SENDING, 0L);
        assertThat(depth.oldestDueMs()).isPresent();
        assertThat(outbox.prune(clock.millis() - 60_000, 10)).as("not old enough").isZero();
        assertThat(outbox.prune(clock.millis() + 1, 10)).isEqualTo(2);
        assertThat(outbox.statuses(List.of("a1", "a2", "m1"))).containsOnlyKeys("m1");
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void aMessageQueuedInACallersTransactionLeavesSoonAfterItCommitsNotAtTheNextPoll(String kind) throws Exception {
        open(kind);
        RecordingTransport smtp = new RecordingTransport(Channel.EMAIL, message -> Delivery.delivered(250, "OK",
                Optional.empty()));
        OutboxSender.Settings settings = new OutboxSender.Settings(Duration.ofSeconds(30), Duration.ofSeconds(30), 100,
                OutboxSender.Settings.DEFAULTS.threads(), Duration.ofSeconds(5), Duration.ofDays(7));
        OutboxSender sender = new OutboxSender(outbox, Map.of(Channel.EMAIL, smtp), RetrySchedule.standard(clock),
                settings, clock, Optional.empty());
        open.add(sender);
        sender.start();
        Thread.sleep(200);
        long start = System.nanoTime();
        store.jdbi().useTransaction(handle -> {
            outbox.enqueue(handle, List.of(email("m1", "key-1")));
            sleep(100);
        });
        await(() -> smtp.calls.size() == 1, Duration.ofSeconds(5));
        assertThat((System.nanoTime() - start) / 1_000_000).as("well before the 30 s poll").isLessThan(2000);
    }

    @Test
    void sendsAndDepthAreMeasured() throws Exception {
        open("sqlite");
        Metrics metrics = new Metrics();
        RecordingTransport smtp = new RecordingTransport(Channel.EMAIL, message -> Delivery.delivered(250, "OK",
                Optional.empty()));
        OutboxSender sender = new OutboxSender(outbox, Map.of(Channel.EMAIL, smtp), RetrySchedule.standard(clock),
                OutboxSender.Settings.DEFAULTS, clock, Optional.of(metrics));
        open.add(sender);
        sender.start();
        outbox.enqueue(List.of(email("m1", "key-1")));
        awaitFinal("m1");
        await(() -> metrics.scrape().contains("waymark_outbox_sends_total{channel=\"EMAIL\",outcome=\"delivered\"} 1.0"),
                Duration.ofSeconds(5));
        assertThat(metrics.scrape()).contains("waymark_outbox_messages{state=\"QUEUED\"}")
                .contains("waymark_outbox_oldest_due_age_seconds");
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
