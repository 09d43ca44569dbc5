package dev.waymark.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.waymark.engine.JourneyPlan.MessageKind;
import dev.waymark.engine.JourneyPlan.QuietTime;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SendingWindowRulesTest {
    private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    private static final JourneyPlan NO_RULES = plan("{}");

    private static JourneyPlan plan(String json) {
        return JourneyPlanReader.read("app", "journey", 1, json.replace('\'', '"'));
    }

    private static JourneyPlan quiet(String start, String end) {
        return plan("{'QuietTime':{'Start':'" + start + "','End':'" + end + "'}}");
    }

    private static Optional<Instant> blocked(JourneyPlan plan, String now, ZoneId zone) {
        return SendingWindowRules.blockedUntil(plan, Optional.empty(), MessageKind.EMAIL, Instant.parse(now), zone);
    }

    /** An instant given as a local wall-clock time of {@code zone} (not in a gap or overlap). */
    private static String local(String wall, ZoneId zone) {
        return LocalDateTime.parse(wall).atZone(zone).toInstant().toString();
    }

    private static Optional<Instant> at(String wall, ZoneId zone) {
        return Optional.of(Instant.parse(local(wall, zone)));
    }

    @Test
    void withoutRulesEverythingLeaves() {
        assertThat(blocked(NO_RULES, "2026-06-01T03:00:00Z", NEW_YORK)).isEmpty();
    }

    @Test
    void quietTimeAcrossMidnightHoldsUntilItsEnd() {
        JourneyPlan plan = quiet("22:00", "07:00");
        assertThat(blocked(plan, local("2026-06-01T21:59", NEW_YORK), NEW_YORK)).isEmpty();
        assertThat(blocked(plan, local("2026-06-01T22:00", NEW_YORK), NEW_YORK))
                .isEqualTo(at("2026-06-02T07:00", NEW_YORK));
        assertThat(blocked(plan, local("2026-06-01T23:30", NEW_YORK), NEW_YORK))
                .isEqualTo(at("2026-06-02T07:00", NEW_YORK));
        assertThat(blocked(plan, local("2026-06-02T06:59", NEW_YORK), NEW_YORK))
                .isEqualTo(at("2026-06-02T07:00", NEW_YORK));
        assertThat(blocked(plan, local("2026-06-02T07:00", NEW_YORK), NEW_YORK)).as("the end is not quiet").isEmpty();
        assertThat(blocked(plan, local("2026-06-02T12:00", NEW_YORK), NEW_YORK)).isEmpty();
    }

    @Test
    void quietTimeWithinADay() {
        JourneyPlan plan = quiet("12:00", "14:00");
        assertThat(blocked(plan, local("2026-06-01T11:59", BERLIN), BERLIN)).isEmpty();
        assertThat(blocked(plan, local("2026-06-01T12:00", BERLIN), BERLIN)).isEqualTo(at("2026-06-01T14:00", BERLIN));
        assertThat(blocked(plan, local("2026-06-01T14:00", BERLIN), BERLIN)).isEmpty();
        assertThat(blocked(plan, local("2026-06-01T23:00", BERLIN), BERLIN)).isEmpty();
    }

    @Test
    void quietTimeIsReadInTheEndpointsZone() {
        JourneyPlan plan = quiet("22:00", "07:00");
        // 03:00Z is 23:00 in New York (quiet) and 05:00 in Berlin (quiet); 12:00Z is 08:00 and 14:00: neither.
        assertThat(blocked(plan, "2026-06-02T03:00:00Z", NEW_YORK)).contains(Instant.parse("2026-06-02T11:00:00Z"));
        assertThat(blocked(plan, "2026-06-02T03:00:00Z", BERLIN)).contains(Instant.parse("2026-06-02T05:00:00Z"));
        assertThat(blocked(plan, "2026-06-02T12:00:00Z", NEW_YORK)).isEmpty();
    }

    @Test
    void equalStartAndEndIsNeverQuiet() {
        assertThat(blocked(quiet("08:00", "08:00"), local("2026-06-01T08:00", BERLIN), BERLIN)).isEmpty();
    }

    @Test
    void theJourneysQuietTimeWinsOverTheAppsWhichIsTheDefault() {
        Optional<QuietTime> app = Optional.of(new QuietTime(LocalTime.of(20, 0), LocalTime.of(9, 0)));
        Instant eight = Instant.parse(local("2026-06-01T08:00", BERLIN));
        assertThat(SendingWindowRules.blockedUntil(NO_RULES, app, MessageKind.SMS, eight, BERLIN))
                .isEqualTo(at("2026-06-01T09:00", BERLIN));
        assertThat(SendingWindowRules.blockedUntil(quiet("22:00", "07:00"), app, MessageKind.SMS, eight, BERLIN))
                .isEmpty();
    }

    @Test
    void springForwardInNewYork() {
        // 2026-03-08: 02:00 EST (07:00Z) jumps to 03:00 EDT. 07:00 EDT is 11:00Z, not 12:00Z.
        assertThat(blocked(quiet("22:00", "07:00"), "2026-03-08T04:00:00Z", NEW_YORK))
                .contains(Instant.parse("2026-03-08T11:00:00Z"));
        // A quiet end the clock skips (02:30) ends at the gap's end, 03:00 EDT.
        assertThat(blocked(quiet("22:00", "02:30"), "2026-03-08T06:30:00Z", NEW_YORK))
                .contains(Instant.parse("2026-03-08T07:00:00Z"));
        assertThat(blocked(quiet("22:00", "02:30"), "2026-03-08T07:00:00Z", NEW_YORK)).isEmpty();
    }

    @Test
    void fallBackInNewYork() {
        // 2026-11-01: 02:00 EDT (06:00Z) goes back to 01:00 EST. 07:00 EST is 12:00Z.
        assertThat(blocked(quiet("22:00", "07:00"), "2026-11-01T03:00:00Z", NEW_YORK))
                .contains(Instant.parse("2026-11-01T12:00:00Z"));
        // A quiet end the clock shows twice (01:30) ends at its first showing; the repeat is not quiet again.
        assertThat(blocked(quiet("22:00", "01:30"), "2026-11-01T03:00:00Z", NEW_YORK))
                .contains(Instant.parse("2026-11-01T05:30:00Z"));
        assertThat(blocked(quiet("22:00", "01:30"), "2026-11-01T06:10:00Z", NEW_YORK)).isEmpty();
    }

    @Test
    void springForwardInBerlin() {
        // 2026-03-29: 02:00 CET (01:00Z) jumps to 03:00 CEST. 07:00 CEST is 05:00Z.
        assertThat(blocked(quiet("22:00", "07:00"), "2026-03-28T22:00:00Z", BERLIN))
                .contains(Instant.parse("2026-03-29T05:00:00Z"));
        // A quiet start the clock skips (02:30) starts at the gap's end.
        assertThat(blocked(quiet("02:30", "06:00"), "2026-03-29T00:59:00Z", BERLIN)).isEmpty();
        assertThat(blocked(quiet("02:30", "06:00"), "2026-03-29T01:00:00Z", BERLIN))
                .contains(Instant.parse("2026-03-29T04:00:00Z"));
    }

    @Test
    void fallBackInBerlin() {
        // 2026-10-25: 03:00 CEST (01:00Z) goes back to 02:00 CET. 07:00 CET is 06:00Z.
        assertThat(blocked(quiet("22:00", "07:00"), "2026-10-24T21:00:00Z", BERLIN))
                .contains(Instant.parse("2026-10-25T06:00:00Z"));
        assertThat(blocked(quiet("22:00", "07:00"), "2026-10-25T05:59:00Z", BERLIN))
                .contains(Instant.parse("2026-10-25T06:00:00Z"));
    }

    private static final String WEEKDAYS_9_TO_17 = "{'QuietTime':{'Start':'22:00','End':'07:00'},"
            + "'SendingSchedule':true,'OpenHours':{'EMAIL':{"
            + "'MONDAY':[{'StartTime':'09:00','EndTime':'12:00'},{'StartTime':'13:00','EndTime':'17:00'}],"
            + "'TUESDAY':[{'StartTime':'09:00','EndTime':'17:00'}],'WEDNESDAY':[{'StartTime':'09:00','EndTime':'17:00'}],"
            + "'THURSDAY':[{'StartTime':'09:00','EndTime':'17:00'}],'FRIDAY':[{'StartTime':'09:00','EndTime':'17:00'}]}},"
            + "'ClosedDays':{'EMAIL':[{'Name':'Xmas','StartDateTime':'2026-12-24T00:00','EndDateTime':'2026-12-26T23:59'}]}}";

    @Test
    void openHoursHoldUntilTheNextWindow() {
        JourneyPlan plan = plan(WEEKDAYS_9_TO_17);
        // 2026-06-01 is a Monday.
        assertThat(blocked(plan, local("2026-06-01T08:00", BERLIN), BERLIN)).isEqualTo(at("2026-06-01T09:00", BERLIN));
        assertThat(blocked(plan, local("2026-06-01T10:00", BERLIN), BERLIN)).isEmpty();
        assertThat(blocked(plan, local("2026-06-01T12:30", BERLIN), BERLIN)).isEqualTo(at("2026-06-01T13:00", BERLIN));
        assertThat(blocked(plan, local("2026-06-01T17:00", BERLIN), BERLIN)).isEqualTo(at("2026-06-02T09:00", BERLIN));
        // Friday evening: quiet, then the weekend (no windows listed: closed), then Monday.
        assertThat(blocked(plan, local("2026-06-05T23:00", BERLIN), BERLIN)).isEqualTo(at("2026-06-08T09:00", BERLIN));
        assertThat(blocked(plan, local("2026-06-06T12:00", BERLIN), BERLIN)).isEqualTo(at("2026-06-08T09:00", BERLIN));
    }

    @Test
    void openHoursAndClosedDaysApplyOnlyToTheirChannelAndWithSendingSchedule() {
        Instant saturdayNoon = Instant.parse(local("2026-06-06T12:00", BERLIN));
        assertThat(SendingWindowRules.blockedUntil(plan(WEEKDAYS_9_TO_17), Optional.empty(), MessageKind.SMS,
                saturdayNoon, BERLIN)).isEmpty();
        JourneyPlan off = plan(WEEKDAYS_9_TO_17.replace("'SendingSchedule':true", "'SendingSchedule':false"));
        assertThat(blocked(off, local("2026-06-06T12:00", BERLIN), BERLIN)).isEmpty();
        assertThat(blocked(off, local("2026-12-25T12:00", BERLIN), BERLIN)).isEmpty();
    }

    @Test
    void aQuietEndInsideAnOpenWindowReleasesAtTheQuietEnd() {
        JourneyPlan plan = plan("{'QuietTime':{'Start':'22:00','End':'07:00'},'SendingSchedule':true,"
                + "'OpenHours':{'EMAIL':{'MONDAY':[{'StartTime':'06:00','EndTime':'08:00'}]}}}");
        assertThat(blocked(plan, local("2026-06-01T06:30", BERLIN), BERLIN)).isEqualTo(at("2026-06-01T07:00", BERLIN));
        assertThat(blocked(plan, local("2026-06-01T08:00", BERLIN), BERLIN)).isEqualTo(at("2026-06-08T07:00", BERLIN));
    }

    @Test
    void aWindowEndingAtOrBeforeItsStartRunsIntoTheNextDay() {
        JourneyPlan plan = plan("{'SendingSchedule':true,'OpenHours':{'EMAIL':{"
                + "'FRIDAY':[{'StartTime':'22:00','EndTime':'02:00'}],'SUNDAY':[{'StartTime':'00:00','EndTime':'00:00'}]}}}");
        assertThat(blocked(plan, local("2026-06-05T21:00", BERLIN), BERLIN)).isEqualTo(at("2026-06-05T22:00", BERLIN));
        assertThat(blocked(plan, local("2026-06-06T01:59", BERLIN), BERLIN)).isEmpty();
        assertThat(blocked(plan, local("2026-06-06T02:00", BERLIN), BERLIN)).isEqualTo(at("2026-06-07T00:00", BERLIN));
        assertThat(blocked(plan, local("2026-06-07T23:59", BERLIN), BERLIN)).as("00:00-00:00 is the whole day")
                .isEmpty();
    }

    @Test
    void closedDaysHoldUntilTheEndsMinuteHasPassed() {
        JourneyPlan plan = plan(WEEKDAYS_9_TO_17);
        // Thursday 2026-12-24 to Saturday 23:59; then Sunday is closed too: Monday 28th at 09:00.
        assertThat(blocked(plan, local("2026-12-24T10:00", BERLIN), BERLIN)).isEqualTo(at("2026-12-28T09:00", BERLIN));
        JourneyPlan closedOnly = plan("{'SendingSchedule':true,'ClosedDays':{'EMAIL':["
                + "{'StartDateTime':'2026-12-24T00:00','EndDateTime':'2026-12-26T23:59'},"
                + "{'StartDateTime':'2026-12-26T12:00:00+01:00','EndDateTime':'2026-12-27T10:00:00'}]}}");
        assertThat(blocked(closedOnly, local("2026-12-23T23:59", NEW_YORK), NEW_YORK)).isEmpty();
        assertThat(blocked(closedOnly, local("2026-12-24T00:00", NEW_YORK), NEW_YORK))
                .as("overlapping ranges: the later end").isEqualTo(at("2026-12-27T10:01", NEW_YORK));
        assertThat(blocked(closedOnly, local("2026-12-27T10:01", NEW_YORK), NEW_YORK)).isEmpty();
    }

    @Test
    void aScheduleThatNeverOpensHoldsForTheWholeHorizon() {
        Instant now = Instant.parse("2026-06-01T12:00:00Z");
        JourneyPlan noWindow = plan("{'SendingSchedule':true,'OpenHours':{'EMAIL':{'MONDAY':[]}}}");
        assertThat(blocked(noWindow, now.toString(), BERLIN)).contains(now.plus(SendingWindowRules.HORIZON));
        // Open only inside quiet time: never, found by jumping week by week.
        JourneyPlan hidden = plan("{'QuietTime':{'Start':'08:00','End':'10:00'},'SendingSchedule':true,"
                + "'OpenHours':{'EMAIL':{'MONDAY':[{'StartTime':'09:00','EndTime':'09:30'}]}}}");
        assertThat(blocked(hidden, now.toString(), BERLIN)).contains(now.plus(SendingWindowRules.HORIZON));
        JourneyPlan closedForYears = plan("{'SendingSchedule':true,'ClosedDays':{'EMAIL':["
                + "{'StartDateTime':'2026-01-01T00:00','EndDateTime':'2029-01-01T00:00'}]}}");
        assertThat(blocked(closedForYears, now.toString(), BERLIN)).contains(now.plus(SendingWindowRules.HORIZON));
    }
}
