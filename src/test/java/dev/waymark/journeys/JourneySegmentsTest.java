package dev.waymark.journeys;

import static org.assertj.core.api.Assertions.assertThat;

import dev.waymark.wire.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class JourneySegmentsTest {
    @Test
    void findsTheStartSegmentAndEverySegmentConditionWithWhereTheyAre() throws IOException {
        String journey = Files.readString(Path.of("src/test/clients/journey-all-kinds.json"));

        assertThat(JourneySegments.of(Json.parseStored(journey))).extracting(JourneySegments.Named::segmentId,
                        JourneySegments.Named::path)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple("seg1",
                                "Activities.multi1.MultiCondition.Branches[0].Condition.SegmentCondition.SegmentId"),
                        org.assertj.core.groups.Tuple.tuple("seg2",
                                "Activities.multi1.MultiCondition.Branches[1].Condition.SegmentCondition.SegmentId"),
                        org.assertj.core.groups.Tuple.tuple("segment1",
                                "StartCondition.SegmentStartCondition.SegmentId"));
    }

    @Test
    void findsTheSegmentOfAnEventStartAndIgnoresOtherSegmentIdMembers() {
        String journey = "{\"StartCondition\":{\"EventStartCondition\":{\"SegmentId\":\"ev\"}},"
                + "\"Other\":{\"SegmentId\":\"not-a-reference\"},\"Activities\":{\"a\":{\"ConditionalSplit\":"
                + "{\"Condition\":{\"Conditions\":[{\"SegmentCondition\":{\"SegmentId\":\"split\"}}]}}}}}";

        assertThat(JourneySegments.of(Json.parseStored(journey))).extracting(JourneySegments.Named::segmentId)
                .containsExactly("ev", "split");
    }
}
