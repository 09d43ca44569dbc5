package dev.waymark.runs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.waymark.wire.Json;
import dev.waymark.wire.WireTime;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The streamed JourneyRunsResponse is exactly the JSON the model describes. */
class JourneyRunsEncoderTest {
    private static final long CREATED = Instant.parse("2026-11-23T07:17:50.001Z").toEpochMilli();
    private static final long UPDATED = Instant.parse("2026-11-23T08:00:00Z").toEpochMilli();

    @Test
    void writesEveryMemberInOrderAndTheTokenWhenThereIsOne() {
        assertThat(text(encode(2, "tok.en"))).isEqualTo(
                "{\"Item\":[" + run() + "," + run() + "],\"NextToken\":\"tok.en\"}");
    }

    @Test
    void leavesTheTokenOutOfTheLastPage() {
        assertThat(text(encode(1, null))).isEqualTo("{\"Item\":[" + run() + "]}");
        assertThat(text(encode(0, null))).isEqualTo("{\"Item\":[]}");
    }

    @Test
    void writesARunIdGivenAsUtf8BytesExactlyAsTheSameIdGivenAsText() {
        for (String id : new String[] {"r1", "quote\"back\\slash", "tab\tnewline\nnul\u0000", "café ü 日本 😀",
                "</script>", "0123456789abcdef0123456789abcdef"}) {
            JourneyRunsEncoder text = new JourneyRunsEncoder(1);
            text.run(id, RunStatus.RUNNING, CREATED, UPDATED);
            JourneyRunsEncoder bytes = new JourneyRunsEncoder(1);
            bytes.runUtf8(id.getBytes(StandardCharsets.UTF_8), RunStatus.RUNNING, CREATED, UPDATED);
            assertThat(finished(bytes, "t")).as(id).isEqualTo(finished(text, "t"));
        }
    }

    @Test
    void writesTheBytesJacksonWritesForTheSameResponse() throws Exception {
        long farFuture = Instant.parse("+12026-01-01T00:00:00Z").toEpochMilli();
        for (String id : new String[] {"r1", "quote\"only", "back\\slash", "tab\tnewline\nnul\u0000\u001f\u007f",
                "café ü 日本 😀", "</script>", "0123456789abcdef0123456789abcdef"}) {
            JourneyRunsEncoder encoder = new JourneyRunsEncoder(0);
            encoder.run(id, RunStatus.SCHEDULED, CREATED, farFuture);
            encoder.runUtf8(id.getBytes(StandardCharsets.UTF_8), RunStatus.CANCELLED, 0, UPDATED);
            ObjectNode expected = Json.MAPPER.createObjectNode();
            ArrayNode items = expected.putArray("Item");
            items.addObject().put("CreationTime", "2026-11-23T07:17:50.001Z")
                    .put("LastUpdateTime", WireTime.ISO.format(Instant.ofEpochMilli(farFuture)))
                    .put("RunId", id).put("Status", "SCHEDULED");
            items.addObject().put("CreationTime", "1970-01-01T00:00:00.000Z")
                    .put("LastUpdateTime", "2026-11-23T08:00:00.000Z").put("RunId", id).put("Status", "CANCELLED");
            expected.put("NextToken", id);
            assertThat(text(finished(encoder, id))).as(id).isEqualTo(text(Json.MAPPER.writeValueAsBytes(expected)));
        }
    }

    @Test
    void writesEveryTimeOfADayAsTheFormatterDoes() {
        long day = Instant.parse("2026-11-23T00:00:00Z").toEpochMilli();
        long[] times = {day, day + 1, day + 9, day + 10, day + 99, day + 100, day + 999, day + 59_999, day + 3_599_999,
                day + 43_210_987, day + 86_399_999, day + 86_400_000, day - 1, 0, 253_402_300_799_999L};
        JourneyRunsEncoder encoder = new JourneyRunsEncoder(times.length);
        StringBuilder expected = new StringBuilder("{\"Item\":[");
        for (int i = 0; i < times.length; i++) {
            encoder.run("r", RunStatus.COMPLETED, times[i], times[(i + 1) % times.length]);
            expected.append(i == 0 ? "" : ",").append("{\"CreationTime\":\"")
                    .append(WireTime.ISO.format(Instant.ofEpochMilli(times[i]))).append("\",\"LastUpdateTime\":\"")
                    .append(WireTime.ISO.format(Instant.ofEpochMilli(times[(i + 1) % times.length])))
                    .append("\",\"RunId\":\"r\",\"Status\":\"COMPLETED\"}");
        }
        assertThat(text(finished(encoder, null))).isEqualTo(expected.append("]}").toString());
    }

    @Test
    void aFullPageOfTheLongestRunsAndItsTokenFitTheBufferItStartsWith() {
        JourneyRunsEncoder encoder = new JourneyRunsEncoder(100);
        byte[] buffer = encoder.buffer();
        for (int i = 0; i < 100; i++) {
            encoder.runUtf8("0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8), RunStatus.SCHEDULED,
                    CREATED, UPDATED);
        }
        encoder.finish("t".repeat(180));
        assertThat(encoder.buffer()).as("not grown (each growth copies the page)").isSameAs(buffer);
        assertThat(encoder.length()).isLessThan(buffer.length);
        assertThat(new String(encoder.copy(), StandardCharsets.UTF_8)).endsWith("\"Status\":\"SCHEDULED\"}],"
                + "\"NextToken\":\"" + "t".repeat(180) + "\"}");
    }

    /** {@code runs} times the same run, as the store would hand them over one by one. */
    private static byte[] encode(int runs, String nextToken) {
        JourneyRunsEncoder encoder = new JourneyRunsEncoder(runs);
        for (int i = 0; i < runs; i++) {
            encoder.run("r1", RunStatus.COMPLETED, CREATED, UPDATED);
        }
        return finished(encoder, nextToken);
    }

    private static byte[] finished(JourneyRunsEncoder encoder, String nextToken) {
        encoder.finish(nextToken);
        return encoder.copy();
    }

    private static String run() {
        return "{\"CreationTime\":\"2026-11-23T07:17:50.001Z\",\"LastUpdateTime\":\"2026-11-23T08:00:00.000Z\","
                + "\"RunId\":\"r1\",\"Status\":\"COMPLETED\"}";
    }

    private static String text(byte[] json) {
        return new String(json, StandardCharsets.UTF_8);
    }
}
