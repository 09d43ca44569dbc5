package dev.waymark.audience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.waymark.apps.App;
import dev.waymark.rules.RuleViolation;
import dev.waymark.store.sql.SqlStore;
import dev.waymark.wire.Json;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The contract PutEvents and the import and export jobs use, inside their own transactions. */
class EndpointRecordsTest {
    @TempDir
    Path dir;
    SqlStore store;
    EndpointRecords records;

    @BeforeEach
    void open() {
        store = SqlStore.open("jdbc:sqlite:" + dir.resolve("records.db"));
        store.apps().insert(new App("app", "app", Instant.EPOCH), Map.of());
        records = SqlEndpointStore.records(store);
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void applyEachRefusesABadItemAloneAndItsNeighboursGoOn() {
        List<Optional<String>> reasons = store.jdbi().inTransaction(handle -> records.applyEach(handle, "app", List.of(
                item("{\"Id\":\"A\",\"Address\":\"a@x\",\"ChannelType\":\"EMAIL\"}"),
                item("{\"Id\":\"b{1}\"}"),
                item("{\"ChannelType\":\"SMS\"}"),
                item("{\"Id\":\"c\",\"OptOut\":\"NEVER\"}"),
                item("{\"Id\":\"a\",\"Attributes\":{\"k\":[\"v\"]}}"))));
        assertThat(reasons.get(0)).isEmpty();
        assertThat(reasons.get(1).orElseThrow()).contains("must not contain");
        assertThat(reasons.get(2).orElseThrow()).contains("Id is required");
        assertThat(reasons.get(3).orElseThrow()).contains("OptOut");
        assertThat(reasons.get(4)).isEmpty();
        ObjectNode a = store.endpoints().find("app", "a").orElseThrow();
        assertThat(a.get("Id").asText()).isEqualTo("A");
        assertThat(a.get("Address").asText()).isEqualTo("a@x");
        assertThat(a.get("Attributes").toString()).isEqualTo("{\"k\":[\"v\"]}");
        assertThat(store.endpoints().count("app")).isEqualTo(1);
    }

    @Test
    void applyAllRefusesTheWholeListNamingTheItem() {
        assertThatThrownBy(() -> store.jdbi().useTransaction(handle -> records.applyAll(handle, "app", List.of(
                item("{\"Id\":\"ok\"}"), item("{\"Id\":\"bad\",\"EndpointStatus\":\"GONE\"}")))))
                .isInstanceOf(RuleViolation.class).hasMessageContaining("Item[1] (Id 'bad'): EndpointStatus");
        assertThat(store.endpoints().count("app")).isZero();
    }

    @Test
    void pagesOfEveryEndpointComeInKeyOrder() {
        List<ObjectNode> items = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            items.add(item("{\"Id\":\"E" + (char) ('a' + i) + "\"}"));
        }
        store.jdbi().useTransaction(handle -> records.applyAll(handle, "app", items));
        List<String> ids = new ArrayList<>();
        String after = null;
        while (true) {
            List<ObjectNode> page = store.endpoints().page("app", EndpointFilter.EVERYONE, Optional.ofNullable(after),
                    10);
            if (page.isEmpty()) {
                break;
            }
            page.forEach(endpoint -> ids.add(endpoint.get("Id").asText()));
            after = records.key(page.get(page.size() - 1).get("Id").asText());
        }
        assertThat(ids).hasSize(25).startsWith("Ea", "Eb").endsWith("Ey");
        assertThat(records.key("Ea")).isEqualTo("ea");
    }

    @Test
    void deletionsAreToldInsideTheDeletingTransaction() {
        List<String> told = new ArrayList<>();
        SqlEndpointStore.onDelete(store, (handle, appId, keys) -> {
            assertThat(handle.isInTransaction()).isTrue();
            told.add(appId + ":" + keys);
        });
        store.endpoints().update("app", List.of(item("{\"Id\":\"One\",\"User\":{\"UserId\":\"u\"}}"),
                item("{\"Id\":\"Two\",\"User\":{\"UserId\":\"u\"}}"), item("{\"Id\":\"Three\"}")));
        store.endpoints().delete("app", "THREE");
        store.endpoints().deleteUser("app", "u");
        store.endpoints().delete("app", "none");
        assertThat(told).containsExactly("app:[three]", "app:[one, two]");
    }

    private static ObjectNode item(String json) {
        return (ObjectNode) Json.parseStored(json);
    }
}
