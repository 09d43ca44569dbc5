package dev.waymark.wire;

import static org.assertj.core.api.Assertions.assertThat;

import dev.waymark.domain.RunStatus;
import dev.waymark.domain.RunSummary;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The streamed JourneyRunsResponse is exactly the JSON the model describes. */
class JourneyRunsEncoderTest {
    private static final RunSummary RUN = new RunSummary("r1", RunStatus.COMPLETED,
            Instant.parse("2026-11-23T07:17:50.001Z"), Instant.parse("2026-11-23T08:00:00Z"));

    @Test
    void writesEveryMemberInOrderAndTheTokenWhenThereIsOne() {
        assertThat(text(JourneyRunsEncoder.encode(List.of(RUN, RUN), "tok.en"))).isEqualTo(
                "{\"Item\":[" + run() + "," + run() + "],\"NextToken\":\"tok.en\"}");
    }

    @Test
    void leavesTheTokenOutOfTheLastPage() {
        assertThat(text(JourneyRunsEncoder.encode(List.of(RUN), null))).isEqualTo("{\"Item\":[" + run() + "]}");
        assertThat(text(JourneyRunsEncoder.encode(List.of(), null))).isEqualTo("{\"Item\":[]}");
    }

    private static String run() {
        return "{\"CreationTime\":\"2026-11-23T07:17:50.001Z\",\"LastUpdateTime\":\"2026-11-23T08:00:00.000Z\","
                + "\"RunId\":\"r1\",\"Status\":\"COMPLETED\"}";
    }

    private static String text(byte[] json) {
        return new String(json, StandardCharsets.UTF_8);
    }
}
