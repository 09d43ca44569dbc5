package dev.waymark.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.waymark.apps.AppSettings;
import dev.waymark.engine.CapRules.Caps;
import dev.waymark.engine.CapRules.Sent;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class CapRulesTest {
    private static final AppSettings.JourneyLimits NO_APP_LIMITS = new AppSettings.JourneyLimits(0, 0, 0, 0);

    private static JourneyPlan.Limits limits(int daily, int total, int timeframe, int days) {
        return new JourneyPlan.Limits(opt(daily), opt(total), opt(timeframe), opt(days), OptionalInt.empty(),
                Optional.<Duration>empty(), OptionalInt.empty());
    }

    private static OptionalInt opt(int value) {
        return value > 0 ? OptionalInt.of(value) : OptionalInt.empty();
    }

    @Test
    void theJourneysCapsWinOverTheApps() {
        assertThat(CapRules.caps(limits(3, 10, 5, 7), new AppSettings.JourneyLimits(1, 2, 3, 4)))
                .isEqualTo(new Caps(3, 10, 5, 7));
    }

    @Test
    void anUnsetJourneyCapFallsBackToTheApps() {
        assertThat(CapRules.caps(JourneyPlan.Limits.NONE, new AppSettings.JourneyLimits(1, 2, 3, 4)))
                .isEqualTo(new Caps(1, 2, 3, 4));
        assertThat(CapRules.caps(limits(5, 0, 0, 0), new AppSettings.JourneyLimits(1, 2, 0, 0)))
                .isEqualTo(new Caps(5, 2, 0, 0));
        assertThat(CapRules.caps(limits(0, 6, 0, 0), new AppSettings.JourneyLimits(1, 2, 0, 0)))
                .isEqualTo(new Caps(1, 6, 0, 0));
    }

    @Test
    void zeroEverywhereIsNoCap() {
        assertThat(CapRules.caps(JourneyPlan.Limits.NONE, NO_APP_LIMITS)).isEqualTo(new Caps(0, 0, 0, 0));
        assertThat(CapRules.refusal(new Caps(0, 0, 0, 0), new Sent(1_000, 1_000, 1_000))).isEmpty();
    }

    @Test
    void aTimeframeCapFallsBackAsAPair() {
        // Cap without Days is off for the journey: the app's pair applies, not a mix of the two.
        assertThat(CapRules.caps(limits(0, 0, 5, 0), new AppSettings.JourneyLimits(0, 0, 3, 4)))
                .isEqualTo(new Caps(0, 0, 3, 4));
        assertThat(CapRules.caps(limits(0, 0, 0, 9), new AppSettings.JourneyLimits(0, 0, 3, 4)))
                .isEqualTo(new Caps(0, 0, 3, 4));
        assertThat(CapRules.caps(limits(0, 0, 5, 0), new AppSettings.JourneyLimits(0, 0, 3, 0)))
                .isEqualTo(new Caps(0, 0, 0, 0));
    }

    @Test
    void eachCapRefusesWhenReached() {
        Caps caps = new Caps(2, 5, 3, 7);
        assertThat(CapRules.refusal(caps, new Sent(1, 4, 2))).isEmpty();
        assertThat(CapRules.refusal(caps, new Sent(2, 2, 0))).contains("DAILY_CAP");
        assertThat(CapRules.refusal(caps, new Sent(0, 5, 0))).contains("TOTAL_CAP");
        assertThat(CapRules.refusal(caps, new Sent(0, 0, 3))).contains("TIMEFRAME_CAP");
    }

    @Test
    void capsAreCheckedDailyThenTotalThenTimeframe() {
        Caps caps = new Caps(1, 1, 1, 1);
        assertThat(CapRules.refusal(caps, new Sent(1, 1, 1))).contains("DAILY_CAP");
        assertThat(CapRules.refusal(caps, new Sent(0, 1, 1))).contains("TOTAL_CAP");
    }

    @Test
    void theTwoInferredKeysAreInTheMetricTable() {
        assertThat(dev.waymark.analytics.MetricKeys.ALL).extracting(dev.waymark.analytics.MetricKeys.Key::name)
                .contains(CapRules.DAILY_CAP, CapRules.TOTAL_CAP, CapRules.TIMEFRAME_CAP);
    }
}
