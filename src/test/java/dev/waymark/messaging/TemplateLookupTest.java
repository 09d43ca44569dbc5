package dev.waymark.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.waymark.store.sql.SqlStore;
import dev.waymark.wire.Json;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Journey messages read templates through {@link SqlTemplateStore#findRecent}, reused for a second: a change made on
 * this node is seen at once, a change made behind the store's back within the second, and no two callers share a
 * definition.
 */
class TemplateLookupTest {
    private static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");
    @TempDir
    Path dir;
    private SqlStore store;
    private SqlTemplateStore templates;

    @BeforeEach
    void open() {
        store = SqlStore.open("jdbc:sqlite:" + dir.resolve("waymark.db"));
        templates = store.templates();
    }

    @AfterEach
    void close() throws Exception {
        store.close();
    }

    private static ObjectNode sms(String body) {
        return Json.MAPPER.createObjectNode().put("Body", body);
    }

    private String body() {
        return templates.findRecent(TemplateType.SMS, "t", Optional.empty()).orElseThrow().definition()
                .path("Body").asText();
    }

    @Test
    void aChangeOnThisNodeIsSeenAtOnce() {
        assertThat(templates.findRecent(TemplateType.SMS, "t", Optional.empty())).as("before it exists").isEmpty();
        assertThat(templates.create(new StoredTemplate(TemplateType.SMS, "t", 1, sms("one"), NOW, NOW), Map.of()))
                .isTrue();
        assertThat(body()).isEqualTo("one");
        templates.update(TemplateType.SMS, "t", sms("two"), false, Optional.empty(), NOW);
        assertThat(body()).isEqualTo("two");
        templates.update(TemplateType.SMS, "t", sms("three"), true, Optional.empty(), NOW);
        templates.activate(TemplateType.SMS, "t", Optional.of(2));
        assertThat(body()).isEqualTo("three");
        templates.delete(TemplateType.SMS, "t", Optional.empty());
        assertThat(templates.findRecent(TemplateType.SMS, "t", Optional.empty())).isEmpty();
    }

    @Test
    void aChangeBehindTheStoresBackIsSeenWithinTheSecond() throws InterruptedException {
        templates.create(new StoredTemplate(TemplateType.SMS, "t", 1, sms("one"), NOW, NOW), Map.of());
        assertThat(body()).isEqualTo("one");
        // As another node would: straight into the table this node's store reads.
        store.jdbi().useHandle(handle -> handle.execute("UPDATE template_versions SET definition = ? WHERE name = 't'",
                "{\"Body\": \"elsewhere\"}"));
        assertThat(body()).as("reused within the second").isEqualTo("one");
        Thread.sleep(SqlTemplateStore.LOOKUP_TTL.toMillis() + 200);
        assertThat(body()).isEqualTo("elsewhere");
    }

    @Test
    void eachCallerGetsItsOwnDefinition() {
        templates.create(new StoredTemplate(TemplateType.SMS, "t", 1, sms("one"), NOW, NOW), Map.of());
        templates.findRecent(TemplateType.SMS, "t", Optional.empty()).orElseThrow().definition().put("Body", "mine");
        assertThat(body()).isEqualTo("one");
    }
}
