package dev.waymark.analytics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.waymark.audience.EventRecord;
import dev.waymark.rules.RuleViolation;
import dev.waymark.wire.Json;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The record Pinpoint streams, where a destination goes, and http:// destinations only with the flag. */
class StreamRecordFormatTest {
    private static final String ROLE = "arn:aws:iam::123456789012:role/pinpoint";

    private static EventRecord event(String endpointKey, String eventId) {
        return new EventRecord("app1", endpointKey, eventId, "_email.send", Instant.ofEpochMilli(1_000),
                Instant.ofEpochMilli(2_000), Map.of("journey_id", "j1"), Map.of("price", 1.5), Optional.empty(),
                Optional.of((ObjectNode) Json.parseStored("{\"SdkName\":\"aws-amplify\",\"AppTitle\":\"Shop\"}")));
    }

    @Test
    void aRecordHasPinpointsMembersAndTheEndpointAsText() throws Exception {
        ObjectNode endpoint = (ObjectNode) Json.parseStored(
                "{\"Id\":\"Ada-1\",\"Address\":\"a@example.com\",\"Demographic\":{\"Platform\":\"android\"}}");
        JsonNode record = Json.MAPPER.readTree(StreamRecordFormat.format(event("ada-1", "e1"), Optional.of(endpoint),
                "123456789012"));
        assertThat(record.path("event_type").textValue()).isEqualTo("_email.send");
        assertThat(record.path("event_timestamp").asLong()).isEqualTo(1_000);
        assertThat(record.path("arrival_timestamp").asLong()).isEqualTo(2_000);
        assertThat(record.path("event_version").textValue()).isEqualTo("3.1");
        assertThat(record.path("application").path("sdk").path("name").textValue()).isEqualTo("aws-amplify");
        assertThat(record.path("application").path("title").textValue()).isEqualTo("Shop");
        assertThat(record.path("client").path("client_id").textValue()).isEqualTo("Ada-1");
        assertThat(record.path("device").path("platform").path("name").textValue()).isEqualTo("android");
        assertThat(record.path("session").isObject()).isTrue();
        assertThat(record.path("attributes").path("journey_id").textValue()).isEqualTo("j1");
        assertThat(record.path("metrics").path("price").asDouble()).isEqualTo(1.5);
        assertThat(record.path("client_context").path("custom").path("endpoint").textValue())
                .isEqualTo(endpoint.toString());
        assertThat(record.path("awsAccountId").textValue()).isEqualTo("123456789012");
    }

    @Test
    void recordIdsAreStableAndDifferBetweenEndpointsWithTheSameEventId() {
        assertThat(StreamRecordFormat.recordId(event("a", "1"))).isEqualTo(StreamRecordFormat.recordId(event("a", "1")))
                .isNotEqualTo(StreamRecordFormat.recordId(event("b", "1")));
    }

    @Test
    void destinationsAreParsed() {
        EventStreamTarget kinesis = new EventStreamTarget("arn:aws:kinesis:eu-west-1:123456789012:stream/events");
        assertThat(kinesis.kind()).isEqualTo(EventStreamTarget.Kind.KINESIS);
        assertThat(kinesis.region()).isEqualTo("eu-west-1");
        assertThat(kinesis.name()).isEqualTo("events");
        EventStreamTarget firehose = new EventStreamTarget(
                "arn:aws:firehose:us-west-2:123456789012:deliverystream/fh");
        assertThat(firehose.kind()).isEqualTo(EventStreamTarget.Kind.FIREHOSE);
        assertThat(firehose.name()).isEqualTo("fh");
        assertThat(new EventStreamTarget("https://example.com/x").kind()).isEqualTo(EventStreamTarget.Kind.WEBHOOK);
        assertThat(SqlEventStreamQueue.account(ROLE)).isEqualTo("123456789012");
    }

    @Test
    void httpDestinationsOnlyWithTheFlag() {
        assertThatThrownBy(() -> EventStreamRules.check("http://127.0.0.1:9000/x", ROLE, false))
                .isInstanceOf(RuleViolation.class).hasMessageContaining("DestinationStreamArn");
        assertThatCode(() -> EventStreamRules.check("http://127.0.0.1:9000/x", ROLE, true)).doesNotThrowAnyException();
        assertThatThrownBy(() -> EventStreamRules.check("http://user:pw@example.com/", ROLE, true))
                .isInstanceOf(RuleViolation.class);
        assertThatThrownBy(() -> EventStreamRules.check("ftp://example.com/", ROLE, true))
                .isInstanceOf(RuleViolation.class);
    }
}
