package dev.waymark.audience;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.waymark.apps.App;
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

/** Counting and paging endpoints by a filter: what segments read their members with. */
class EndpointPagesTest {
    @TempDir
    Path dir;
    SqlStore store;

    @BeforeEach
    void open() {
        store = SqlStore.open("jdbc:sqlite:" + dir.resolve("pages.db"));
        store.apps().insert(new App("app", "app", Instant.EPOCH), Map.of());
        store.apps().insert(new App("other", "other", Instant.EPOCH), Map.of());
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void aPageAnswersEachEndpointAsGetEndpointDoes() {
        store.endpoints().update("app", List.of(
                item("{\"Id\":\"Full\",\"ChannelType\":\"EMAIL\",\"Address\":\"a@x\",\"OptOut\":\"ALL\","
                        + "\"RequestId\":\"r1\",\"Attributes\":{\"k\":[\"v\",\"w\"]},\"Metrics\":{\"m\":2.5},"
                        + "\"Demographic\":{\"Platform\":\"ios\"},\"Location\":{\"Country\":\"FR\",\"Latitude\":1.5},"
                        + "\"User\":{\"UserId\":\"u\",\"UserAttributes\":{\"t\":[\"g\"]}}}"),
                item("{\"Id\":\"bare\",\"ChannelType\":\"SMS\"}"),
                item("{\"Id\":\"user-only\",\"User\":{\"UserId\":\"u2\"}}"),
                item("{\"Id\":\"attrs-only\",\"User\":{\"UserAttributes\":{\"t\":[\"s\"]}}}")));
        List<ObjectNode> page = store.endpoints().page("app", EndpointFilter.EVERYONE, Optional.empty(), 10);
        assertThat(page).extracting(endpoint -> endpoint.get("Id").textValue())
                .containsExactly("attrs-only", "bare", "Full", "user-only");
        for (ObjectNode endpoint : page) {
            ObjectNode found = store.endpoints().find("app", endpoint.get("Id").textValue()).orElseThrow();
            // The same members in the same order: the export writes them as they come.
            assertThat(endpoint.toString()).isEqualTo(found.toString());
        }
    }

    @Test
    void pagesReadEveryMemberOnceInKeyOrderAndCountAgrees() {
        List<ObjectNode> items = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            items.add(item("{\"Id\":\"E" + (char) ('a' + i) + "\",\"Location\":{\"Country\":\""
                    + (i % 3 == 0 ? "FR" : "US") + "\"},\"Metrics\":{\"score\":" + i + "}}"));
        }
        store.endpoints().update("app", items);
        store.endpoints().update("other", List.of(item("{\"Id\":\"Ea\",\"Location\":{\"Country\":\"FR\"}}")));
        EndpointFilter filter = new EndpointFilter("e.country = :f0 AND json_extract(e.metrics, :f1) > :f2",
                Map.of("f0", "FR", "f1", "$.score", "f2", 4));
        assertThat(store.endpoints().count("app", filter)).isEqualTo(7);
        List<String> read = new ArrayList<>();
        Optional<String> after = Optional.empty();
        for (int pages = 0; pages < 10; pages++) {
            List<ObjectNode> page = store.endpoints().page("app", filter, after, 4);
            page.forEach(endpoint -> read.add(endpoint.get("Id").textValue()));
            if (page.size() < 4) {
                break;
            }
            after = Optional.of(store.endpoints().key(page.get(page.size() - 1).get("Id").textValue()));
        }
        assertThat(read).containsExactly("Eg", "Ej", "Em", "Ep", "Es", "Ev", "Ey");
    }

    @Test
    void aOneCountrySegmentReadsTheCountryIndexInKeyOrder() {
        EndpointFilter filter = new EndpointFilter("e.country IN (:f0) AND json_extract(e.metrics, :f1) > :f2",
                Map.of("f0", "FR", "f1", "$.score", "f2", 50));
        assertThat(plan(SqlEndpointStore.countSql(filter), filter))
                .containsExactly("SEARCH e USING INDEX endpoints_country (app_id=? AND country=?)");
        // No "USE TEMP B-TREE FOR ORDER BY": the index gives key order, so a page stops after its limit.
        assertThat(plan(SqlEndpointStore.pageSql(filter, true), filter))
                .containsExactly("SEARCH e USING INDEX endpoints_country (app_id=? AND country=? AND id_key>?)");
    }

    private List<String> plan(String sql, EndpointFilter filter) {
        return store.jdbi().withHandle(handle -> handle.createQuery("EXPLAIN QUERY PLAN " + sql)
                .bindMap(filter.binds()).bind("app", "app").bind("after", "k").bind("limit", 10)
                .map((rs, ctx) -> rs.getString("detail")).list());
    }

    private static ObjectNode item(String json) {
        return (ObjectNode) Json.parseStored(json);
    }
}
