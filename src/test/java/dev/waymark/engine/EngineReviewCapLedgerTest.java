package dev.waymark.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.waymark.apps.App;
import dev.waymark.audience.EventRecord;
import dev.waymark.journeys.Journey;
import dev.waymark.journeys.JourneyState;
import dev.waymark.messaging.Channel;
import dev.waymark.messaging.JourneyMessages;
import dev.waymark.messaging.NewMessage;
import dev.waymark.messaging.Origin;
import dev.waymark.messaging.SqlOutbox;
import dev.waymark.store.sql.SqlStore;
import dev.waymark.wire.Json;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile review (issue 18): what a move writes for DailyCap and TimeframeCap (journey_messages) goes with the move.
 * A move that fails after queuing a message is retried from where it was, its message discarded; the ledger must
 * not keep that message, or the retry finds the endpoint at its DailyCap and the message is never sent.
 */
class EngineReviewCapLedgerTest {
    private static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");

    @TempDir
    Path dir;
    private SqlStore store;
    /** Activities whose message the stub cannot prepare (as when the template store fails for now). */
    private final Set<String> failing = new java.util.HashSet<>();
    private final List<String> prepared = new ArrayList<>();

    @BeforeEach
    void open() throws Exception {
        store = SqlStore.open("jdbc:sqlite:" + dir.resolve("waymark.db"));
        store.apps().insert(new App("app", "app", Instant.EPOCH), Map.of());
        store.journeys().insert(new Journey("app", "j", "j", JourneyState.ACTIVE, "{\"Name\":\"j\"}", NOW, NOW, 1));
    }

    @AfterEach
    void close() throws Exception {
        store.close();
    }

    private final JourneyMessages messages = new JourneyMessages() {
        @Override
        public Prepared prepare(Request request) {
            String activity = request.origin().activityId().orElseThrow();
            if (failing.contains(activity)) {
                throw new IllegalStateException("the template store is not answering");
            }
            prepared.add(activity);
            return new Ready(new NewMessage(request.messageId(), request.appId(), request.idempotencyKey(),
                    Channel.EMAIL, "a@example.com", Optional.of("ep"), Json.MAPPER.createObjectNode(),
                    request.origin(), request.rate()));
        }

        @Override
        public EventRecord notSent(String appId, String endpointKey, Origin origin, String kind, String status,
                                   String reason, String recordId, Instant at) {
            return new EventRecord(appId, endpointKey, recordId, "_journey.send", at, at,
                    Map.of("journey_send_status", status), Map.of(), Optional.empty(), Optional.empty());
        }
    };

    private final ParticipantSteps steps = new ParticipantSteps(messages, null, null, new SqlMessageLedger());

    /** EMAIL a → EMAIL b, DailyCap 1. */
    private static JourneyPlan plan() {
        return JourneyPlanReader.read("app", "j", 1, ("{'StartActivity':'a','Limits':{'DailyCap':1},'Activities':{"
                + "'a':{'EMAIL':{'TemplateName':'t','NextActivity':'b'}},'b':{'EMAIL':{'TemplateName':'t'}}}}")
                .replace('\'', '"'));
    }

    private static Participant arriving() {
        return new Participant("app", "j", "ep", "ep", 1, "run", Optional.of("a"), Participant.Phase.ARRIVING,
                Optional.of(NOW), NOW, NOW, 0, Optional.empty());
    }

    private static ObjectNode endpoint() {
        return Json.MAPPER.createObjectNode().put("Id", "ep").put("ChannelType", "EMAIL").put("Address",
                "a@example.com");
    }

    private static long ledger(Handle handle) {
        return handle.createQuery("SELECT COUNT(*) FROM journey_messages").mapTo(Long.class).one();
    }

    @Test
    void aMoveThatFailsAfterQueuingAMessageLeavesNoTraceInTheCapLedger() {
        failing.add("b");
        store.jdbi().useTransaction(handle -> {
            MoveBatch own = new MoveBatch();
            assertThatThrownBy(() -> steps.step(handle, arriving(), plan(), Optional.of(endpoint()), AppDefaults.NONE,
                    NOW, own, new ParticipantSteps.Criteria())).isInstanceOf(IllegalStateException.class);
            // The engine drops the failed move's batch and commits the others: nothing of this one may stay.
            assertThat(ledger(handle)).as("ledger rows of the failed move").isZero();
        });

        // The retry sends its first message: the endpoint has had none.
        failing.clear();
        prepared.clear();
        store.jdbi().useTransaction(handle -> {
            MoveBatch own = new MoveBatch();
            steps.step(handle, arriving(), plan(), Optional.of(endpoint()), AppDefaults.NONE, NOW.plusSeconds(60),
                    own, new ParticipantSteps.Criteria());
            assertThat(own.messages()).isOne();
            assertThat(prepared).containsExactly("a", "b");
        });
    }

    @Test
    void twoMessagesInOneMoveStillMeetTheDailyCapAndTheLedgerKeepsTheOneQueued() {
        store.jdbi().useTransaction(handle -> {
            MoveBatch own = new MoveBatch();
            Participant after = steps.step(handle, arriving(), plan(), Optional.of(endpoint()), AppDefaults.NONE, NOW,
                    own, new ParticipantSteps.Criteria());
            assertThat(after.finishedAt()).isPresent();
            assertThat(own.messages()).as("b refused by DailyCap 1").isOne();
            own.write(handle, new MoveBatch.Sinks(store.journeyCounters(), new SqlOutbox(store.jdbi(),
                    store.dialect(), store.events(), Clock.fixed(NOW, ZoneOffset.UTC)), store.events()), NOW);
            assertThat(ledger(handle)).isOne();
        });
    }
}
