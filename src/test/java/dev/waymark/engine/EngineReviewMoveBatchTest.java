package dev.waymark.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.waymark.apps.App;
import dev.waymark.journeys.Journey;
import dev.waymark.journeys.JourneyState;
import dev.waymark.messaging.Channel;
import dev.waymark.messaging.NewMessage;
import dev.waymark.messaging.Origin;
import dev.waymark.messaging.SqlOutbox;
import dev.waymark.store.sql.SqlStore;
import dev.waymark.wire.Json;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile review (issue 18): one transaction of moves can queue more messages than the outbox takes in one call
 * (200 participants through a chain of more than 50 message activities, with --max-activities above 50). Written
 * whole, the batch would fail on every try and stop every journey's moves behind it.
 */
class EngineReviewMoveBatchTest {
    private static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");

    @TempDir
    Path dir;
    private SqlStore store;

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

    @Test
    void aBatchOfMovesQueuesMoreMessagesThanOneOutboxCallTakes() {
        int count = SqlOutbox.MAX_BATCH + 1;
        MoveBatch batch = new MoveBatch();
        for (int i = 0; i < count; i++) {
            batch.queue(new NewMessage("m" + i, "app", "j/ep" + i + "/1/a", Channel.EMAIL, "a@example.com",
                    Optional.of("ep" + i), Json.MAPPER.createObjectNode(), Origin.journey("j", "run", "a"),
                    Optional.empty()));
        }
        MoveBatch.Sinks sinks = new MoveBatch.Sinks(store.journeyCounters(), new SqlOutbox(store.jdbi(),
                store.dialect(), store.events(), Clock.fixed(NOW, ZoneOffset.UTC)), store.events());

        store.jdbi().useTransaction(handle -> batch.write(handle, sinks, NOW));

        long queued = store.jdbi().withHandle(handle -> handle.createQuery("SELECT COUNT(*) FROM outbox")
                .mapTo(Long.class).one());
        assertThat(queued).isEqualTo(count);
    }
}
