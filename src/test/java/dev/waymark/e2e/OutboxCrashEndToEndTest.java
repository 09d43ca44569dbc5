package dev.waymark.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetupTest;
import dev.waymark.apps.App;
import dev.waymark.messaging.Channel;
import dev.waymark.messaging.NewMessage;
import dev.waymark.messaging.Origin;
import dev.waymark.messaging.SqlOutbox;
import dev.waymark.store.sql.SqlStore;
import dev.waymark.store.sql.SqliteDataDirectory;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.LoggerFactory;

/**
 * kill -9 of a real Waymark process while its outbox is busy sending email to an in-process SMTP server, then a
 * restart on the same store: every message arrives, none twice except those caught in the middle of their hand-over,
 * and each repeat carries the same Message-ID as the first copy; the event log holds each outcome once.
 */
class OutboxCrashEndToEndTest {
    private static final int MESSAGES = 3000;
    private static final String APP = "crashapp";
    /** EMAIL's claims hold at most this many messages at once (8 threads, 4 each): the most a crash can repeat. */
    private static final int MOST_IN_HAND = 32;

    @TempDir
    Path workDir;
    private GreenMail smtp;
    private Thread.UncaughtExceptionHandler handler;

    @BeforeEach
    void startSmtp() {
        // GreenMail's connection threads throw when the killed server's connections drop mid-conversation, which is
        // what this test does on purpose: those go to the test log, not the console.
        handler = Thread.getDefaultUncaughtExceptionHandler();
        Thread.setDefaultUncaughtExceptionHandler((thread, e) -> {
            if (thread.getName().startsWith("smtp:")) {
                LoggerFactory.getLogger(OutboxCrashEndToEndTest.class).info("GreenMail {}: {}", thread.getName(),
                        e.toString());
            } else if (handler != null) {
                handler.uncaughtException(thread, e);
            } else {
                System.err.print("Exception in thread \"" + thread.getName() + "\" ");
                e.printStackTrace();
            }
        });
        smtp = new GreenMail(ServerSetupTest.SMTP.dynamicPort());
        smtp.start();
    }

    @AfterEach
    void stopSmtp() {
        smtp.stop();
        Thread.setDefaultUncaughtExceptionHandler(handler);
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void everyMessageArrivesAndOnlyHandOversCaughtByTheCrashArriveTwiceWithTheSameMessageId(String store)
            throws Exception {
        Path dataDir = workDir.resolve("data");
        String jdbcUrl;
        List<String> arguments = new ArrayList<>(List.of("--smtp-url", "smtp://127.0.0.1:" + smtp.getSmtp().getPort(),
                "--outbox-lease", "PT3S"));
        if (store.equals("postgresql")) {
            jdbcUrl = TestDatabases.newPostgresDatabase();
            arguments.addAll(List.of("--db-url", jdbcUrl));
        } else {
            SqliteDataDirectory.prepare(dataDir);
            jdbcUrl = "jdbc:sqlite:" + dataDir.resolve(SqliteDataDirectory.DATABASE);
        }
        queue(jdbcUrl);
        String[] args = arguments.toArray(String[]::new);

        int receivedAtKill;
        try (WaymarkProcess first = WaymarkProcess.start(dataDir, args)) {
            awaitReceived(400, 60);
            first.kill();
            receivedAtKill = smtp.getReceivedMessages().length;
        }
        assertThat(receivedAtKill).as("the kill landed while the outbox was busy").isLessThan(MESSAGES);

        try (WaymarkProcess second = WaymarkProcess.start(dataDir, args)) {
            awaitDistinct(MESSAGES, 120);
            // A graceful stop writes the outcomes of the last hand-overs.
            assertThat(second.stop()).isZero();
        }

        Map<String, Set<String>> messageIds = new HashMap<>();
        MimeMessage[] received = smtp.getReceivedMessages();
        for (MimeMessage message : received) {
            messageIds.computeIfAbsent(message.getSubject(), subject -> new HashSet<>()).add(message.getMessageID());
        }
        assertThat(messageIds).as("every message arrived").hasSize(MESSAGES);
        assertThat(messageIds.values()).as("a repeat carries the first copy's Message-ID").allMatch(ids -> ids.size() == 1);
        int repeats = received.length - MESSAGES;
        System.out.printf("Outbox crash on %s: %d of %d had arrived at the kill; %d arrived twice%n", store,
                receivedAtKill, MESSAGES, repeats);
        assertThat(repeats).as("only hand-overs in progress at the kill are repeated").isBetween(0, MOST_IN_HAND);

        try (SqlStore opened = SqlStore.open(jdbcUrl)) {
            Map<String, Long> states = new HashMap<>();
            opened.jdbi().useHandle(handle -> handle.createQuery("SELECT state, COUNT(*) FROM outbox GROUP BY state")
                    .map((rs, ctx) -> Map.entry(rs.getString(1), rs.getLong(2)))
                    .forEach(entry -> states.put(entry.getKey(), entry.getValue())));
            assertThat(states).isEqualTo(Map.of("DELIVERED", (long) MESSAGES));
            Map<String, Long> events = new HashMap<>();
            opened.jdbi().useHandle(handle -> handle.createQuery("SELECT event_type, COUNT(*) FROM events "
                            + "WHERE app_id = :app GROUP BY event_type").bind("app", APP)
                    .map((rs, ctx) -> Map.entry(rs.getString(1), rs.getLong(2)))
                    .forEach(entry -> events.put(entry.getKey(), entry.getValue())));
            assertThat(events).as("each outcome's records once").isEqualTo(Map.of("_email.send", (long) MESSAGES,
                    "_email.delivered", (long) MESSAGES));
        }
    }

    /** Queues the messages through a store opened on the server's database before it starts. */
    private static void queue(String jdbcUrl) {
        try (SqlStore store = SqlStore.open(jdbcUrl)) {
            store.apps().insert(new App(APP, "crash", Instant.EPOCH), Map.of());
            SqlOutbox outbox = new SqlOutbox(store.jdbi(), store.dialect(), store.events(), Clock.systemUTC());
            List<NewMessage> messages = new ArrayList<>();
            for (int i = 0; i < MESSAGES; i++) {
                ObjectNode content = JsonNodeFactory.instance.objectNode().put("FromAddress", "sender@waymark.example")
                        .put("Subject", "message " + i).put("TextPart", "Hello " + i);
                messages.add(new NewMessage("m" + i, APP, "crash-" + i, Channel.EMAIL, "user" + i + "@example.com",
                        Optional.of("endpoint-" + i), content, Origin.direct(Optional.empty()), Optional.empty()));
            }
            outbox.enqueue(messages);
        }
    }

    private void awaitReceived(int count, int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (smtp.getReceivedMessages().length < count) {
            assertThat(System.nanoTime()).as("%d messages received within %d s", count, seconds).isLessThan(deadline);
            Thread.sleep(5);
        }
    }

    private void awaitDistinct(int count, int seconds) throws InterruptedException, MessagingException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (true) {
            Set<String> subjects = new HashSet<>();
            for (MimeMessage message : smtp.getReceivedMessages()) {
                subjects.add(message.getSubject());
            }
            if (subjects.size() >= count) {
                return;
            }
            assertThat(System.nanoTime()).as("%d distinct messages within %d s (%d so far)", count, seconds,
                    subjects.size()).isLessThan(deadline);
            Thread.sleep(200);
        }
    }
}
