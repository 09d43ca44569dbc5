package dev.waymark.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class EntryRulesTest {
    private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

    private static Instant entry(String start, ZoneOffset offset, ZoneId zone) {
        return EntryRules.localEntry(Instant.parse(start), offset, zone);
    }

    @Test
    void eachZoneEntersWhenTheWallClockStartArrivesThere() {
        assertThat(entry("2026-06-01T09:00:00Z", ZoneOffset.UTC, NEW_YORK)).isEqualTo("2026-06-01T13:00:00Z");
        assertThat(entry("2026-06-01T09:00:00Z", ZoneOffset.UTC, BERLIN)).isEqualTo("2026-06-01T07:00:00Z");
        assertThat(entry("2026-01-15T09:00:00Z", ZoneOffset.UTC, NEW_YORK)).isEqualTo("2026-01-15T14:00:00Z");
        assertThat(entry("2026-06-01T09:00:00Z", ZoneOffset.UTC, ZoneOffset.UTC)).isEqualTo("2026-06-01T09:00:00Z");
    }

    @Test
    void theWallClockIsReadAtTheSchedulesOffset() {
        // 03:30Z is 09:00 at UTC+05:30: every zone enters at its own 09:00.
        assertThat(entry("2026-06-01T03:30:00Z", ZoneOffset.ofHoursMinutes(5, 30), BERLIN))
                .isEqualTo("2026-06-01T07:00:00Z");
        assertThat(entry("2026-06-01T17:00:00Z", ZoneOffset.ofHours(-8), NEW_YORK))
                .isEqualTo("2026-06-01T13:00:00Z");
    }

    @Test
    void aWallClockSkippedBySpringForwardEntersAtTheGapsEnd() {
        // 2026-03-08 New York: 02:00 EST jumps to 03:00 EDT; 02:30 never shows, 03:00 EDT is 07:00Z.
        assertThat(entry("2026-03-08T02:30:00Z", ZoneOffset.UTC, NEW_YORK)).isEqualTo("2026-03-08T07:00:00Z");
        assertThat(entry("2026-03-08T03:30:00Z", ZoneOffset.UTC, NEW_YORK)).isEqualTo("2026-03-08T07:30:00Z");
        assertThat(entry("2026-03-08T01:59:00Z", ZoneOffset.UTC, NEW_YORK)).isEqualTo("2026-03-08T06:59:00Z");
        // 2026-03-29 Berlin: 02:00 CET jumps to 03:00 CEST (01:00Z).
        assertThat(entry("2026-03-29T02:30:00Z", ZoneOffset.UTC, BERLIN)).isEqualTo("2026-03-29T01:00:00Z");
    }

    @Test
    void aWallClockRepeatedByFallBackEntersAtItsFirstOccurrence() {
        // 2026-11-01 New York: 01:30 shows at 05:30Z (EDT) and again at 06:30Z (EST).
        assertThat(entry("2026-11-01T01:30:00Z", ZoneOffset.UTC, NEW_YORK)).isEqualTo("2026-11-01T05:30:00Z");
        // 2026-10-25 Berlin: 02:30 shows at 00:30Z (CEST) and again at 01:30Z (CET).
        assertThat(entry("2026-10-25T02:30:00Z", ZoneOffset.UTC, BERLIN)).isEqualTo("2026-10-25T00:30:00Z");
    }
}
