package dev.waymark.audience;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.waymark.apps.App;
import dev.waymark.e2e.TestDatabases;
import dev.waymark.store.sql.SqlStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The event store's SQL on both databases, with an endpoint contract that refuses ids containing "bad" (the real
 * one is tested end to end): one transaction per request, retries recorded once, names registered once.
 */
class SqlEventStoreTest {
    private final List<AutoCloseable> open = new ArrayList<>();

    /** Endpoints that are all accepted but those whose id contains "bad"; keys are lower-cased ids. */
    static final class FakeEndpoints implements EndpointRecords {
        final List<String> applied = new ArrayList<>();

        @Override
        public List<Optional<String>> applyEach(Handle handle, String appId, List<ObjectNode> items) {
            return items.stream().map(item -> {
                String id = item.get("Id").textValue();
                if (id.contains("bad")) {
                    return Optional.of("Id '" + id + "' is refused");
                }
                applied.add(id);
                return Optional.<String>empty();
            }).toList();
        }

        @Override
        public void applyAll(Handle handle, String appId, List<ObjectNode> items) {
            throw new UnsupportedOperationException();
        }

        @Override
        public <T> T queued(String appId, java.util.function.Supplier<T> write) {
            return write.get();
        }

        @Override
        public String key(String endpointId) {
            return endpointId.toLowerCase(Locale.ROOT);
        }
    }

    private SqlStore open(String kind) throws Exception {
        SqlStore store;
        if (kind.equals("sqlite")) {
            Path dir = Files.createTempDirectory("events-store");
            store = SqlStore.open("jdbc:sqlite:" + dir.resolve("waymark.db"));
        } else {
            store = SqlStore.open(TestDatabases.newPostgresDatabase());
        }
        open.add(store);
        return store;
    }

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable closeable : open) {
            closeable.close();
        }
    }

    private static EventBatch batch(String endpointId, String... eventIds) {
        ObjectNode endpoint = JsonNodeFactory.instance.objectNode().put("Id", endpointId);
        List<EventBatch.Entry> entries = new ArrayList<>();
        for (String eventId : eventIds) {
            entries.add(new EventBatch.Entry(eventId, new EventDraft(eventId, "type." + eventId,
                    Instant.parse("2026-11-25T10:00:00Z"), Map.of("k", "v"), Map.of("m", 2.5), null, null), null));
        }
        return new EventBatch(endpointId, endpoint, null, entries);
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void recordsOnceAndRefusesTheEventsOfARefusedEndpoint(String kind) throws Exception {
        SqlStore store = open(kind);
        store.apps().insert(new App("app1", "events", Instant.EPOCH), Map.of());
        FakeEndpoints endpoints = new FakeEndpoints();
        SqlEventStore events = new SqlEventStore(store.jdbi(), store.dialect(), endpoints);
        Instant received = Instant.parse("2026-11-25T11:00:00Z");
        SqlEventStore.Outcome first = events.record("app1",
                List.of(batch("Phone", "e1", "e2"), batch("bad-one", "e3")), received).orElseThrow();
        assertThat(first.endpointRefusals()).containsExactly(null, "Id 'bad-one' is refused");
        assertThat(first.eventRefusals().get(1)).containsExactly(
                "The event's endpoint was not accepted: Id 'bad-one' is refused");
        assertThat(first.recorded()).extracting(EventRecord::eventId).containsExactly("e1", "e2");

        SqlEventStore.Outcome retry = events.record("app1", List.of(batch("PHONE", "e1", "e2", "e4")), received)
                .orElseThrow();
        assertThat(retry.eventRefusals().get(0)).containsOnlyNulls();
        assertThat(retry.recorded()).as("a retried event is not recorded again").extracting(EventRecord::eventId)
                .containsExactly("e4");
        assertThat(events.count("app1")).isEqualTo(3);

        List<EventRecord> read = events.ofEndpoint("app1", "pHoNe", Instant.parse("2026-11-25T10:00:00Z"), 10);
        assertThat(read).extracting(EventRecord::eventId).containsExactly("e1", "e2", "e4");
        assertThat(read.get(0).attributes()).isEqualTo(Map.of("k", "v"));
        assertThat(read.get(0).metrics()).isEqualTo(Map.of("m", 2.5));
        assertThat(read.get(0).received()).isEqualTo(received);
        assertThat(events.ofEndpoint("app1", "phone", Instant.parse("2026-11-25T10:00:00.001Z"), 10)).isEmpty();
        assertThat(events.ofType("app1", "type.e2", Instant.EPOCH, 10)).hasSize(1);
        long names = store.jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM event_names")
                .mapTo(Long.class).one());
        assertThat(names).as("3 types, 1 attribute key, 1 metric key").isEqualTo(5);

        assertThat(events.deleteOfEndpoints("app1", List.of("PHONE"))).isEqualTo(3);
        assertThat(events.count("app1")).isZero();
        assertThat(events.record("no-such-app", List.of(batch("x", "e1")), received)).isEmpty();
    }
}
