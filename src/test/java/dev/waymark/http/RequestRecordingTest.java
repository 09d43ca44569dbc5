package dev.waymark.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The access log's latency text and the request ids, made without String.format and SecureRandom. */
class RequestRecordingTest {
    @Test
    void latencyIsWhatStringFormatWrote() {
        SplittableRandom random = new SplittableRandom(14);
        for (int i = 0; i < 200_000; i++) {
            long nanos = i < 100_000 ? i * 50_000L + random.nextInt(3) - 1 : random.nextLong(0, 100_000_000_000L);
            if (nanos < 0) {
                continue;
            }
            assertThat(RecordingStep.tenthsOfMillis(nanos)).as("%d ns", nanos)
                    .isEqualTo(String.format(Locale.ROOT, "%.1f", nanos / 1_000_000d));
        }
        assertThat(RecordingStep.tenthsOfMillis(0)).isEqualTo("0.0");
        assertThat(RecordingStep.tenthsOfMillis(149_999)).isEqualTo("0.1");
        assertThat(RecordingStep.tenthsOfMillis(150_000)).isEqualTo("0.2");
        assertThat(RecordingStep.tenthsOfMillis(-150_000)).isEqualTo(String.format(Locale.ROOT, "%.1f", -0.15));
    }

    @Test
    void requestIdsAreDistinctVersion4Uuids() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            String id = PinpointHandler.requestId();
            UUID uuid = UUID.fromString(id);
            assertThat(uuid.version()).isEqualTo(4);
            assertThat(uuid.variant()).isEqualTo(2);
            assertThat(id).matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
            assertThat(seen.add(id)).isTrue();
        }
    }
}
