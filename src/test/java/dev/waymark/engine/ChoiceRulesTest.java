package dev.waymark.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class ChoiceRulesTest {
    private static final int KEYS = 100_000;

    @Test
    void percentilesSpreadEvenlyOverAHundredThousandEndpoints() {
        int[] deciles = new int[10];
        for (int i = 0; i < KEYS; i++) {
            double p = ChoiceRules.percentile("journey-1", "endpoint-" + i, 1, "split");
            assertThat(p).isGreaterThanOrEqualTo(0).isLessThan(100);
            deciles[(int) (p / 10)]++;
        }
        for (int count : deciles) {
            assertThat(count / (double) KEYS).isCloseTo(0.10, within(0.01));
        }
    }

    @Test
    void holdoutAndSplitSharesMatchTheirPercentages() {
        int heldOut = 0;
        int[] branches = new int[3];
        for (int i = 0; i < KEYS; i++) {
            heldOut += ChoiceRules.heldOut(ChoiceRules.percentile("j", "e" + i, 1, "holdout"), 20) ? 1 : 0;
            branches[ChoiceRules.branch(ChoiceRules.percentile("j", "e" + i, 1, "random"), List.of(50, 30, 20))]++;
        }
        assertThat(heldOut / (double) KEYS).isCloseTo(0.20, within(0.01));
        assertThat(branches[0] / (double) KEYS).isCloseTo(0.50, within(0.01));
        assertThat(branches[1] / (double) KEYS).isCloseTo(0.30, within(0.01));
        assertThat(branches[2] / (double) KEYS).isCloseTo(0.20, within(0.01));
    }

    @Test
    void theSameParticipantAlwaysGetsTheSameValueOnEveryNode() {
        double p = ChoiceRules.percentile("journey-1", "endpoint-1", 1, "split");
        assertThat(ChoiceRules.percentile("journey-1", "endpoint-1", 1, "split")).isEqualTo(p);
        // Pinned: a change of the hash would send recovered participants down other paths than before.
        assertThat(p).isEqualTo(80.78616147317267);
        assertThat(ChoiceRules.percentile("journey-1", "endpoint-1", 2, "split")).isNotEqualTo(p);
    }

    @Test
    void everyPartOfTheKeyChangesTheValue() {
        double p = ChoiceRules.percentile("j", "e", 1, "a");
        assertThat(ChoiceRules.percentile("j2", "e", 1, "a")).isNotEqualTo(p);
        assertThat(ChoiceRules.percentile("j", "e2", 1, "a")).isNotEqualTo(p);
        assertThat(ChoiceRules.percentile("j", "e", 2, "a")).isNotEqualTo(p);
        assertThat(ChoiceRules.percentile("j", "e", 1, "a2")).isNotEqualTo(p);
        // Lengths are part of the hash: moving a character from one string to the next is another key.
        assertThat(ChoiceRules.percentile("ab", "c", 1, "x")).isNotEqualTo(ChoiceRules.percentile("a", "bc", 1, "x"));
    }

    @Test
    void heldOutBelowThePercentage() {
        assertThat(ChoiceRules.heldOut(0.0, 0)).isFalse();
        assertThat(ChoiceRules.heldOut(99.999, 100)).isTrue();
        assertThat(ChoiceRules.heldOut(19.99, 20)).isTrue();
        assertThat(ChoiceRules.heldOut(20.0, 20)).isFalse();
    }

    @Test
    void branchIsTheFirstWhoseCumulativePercentageExceedsThePercentile() {
        assertThat(ChoiceRules.branch(0, List.of(50, 50))).isZero();
        assertThat(ChoiceRules.branch(49.999, List.of(50, 50))).isZero();
        assertThat(ChoiceRules.branch(50, List.of(50, 50))).isEqualTo(1);
        assertThat(ChoiceRules.branch(10, List.of(0, 100))).isEqualTo(1);
        assertThat(ChoiceRules.branch(99.9, List.of(100))).isZero();
        // Percentages short of 100: the rest goes to the last branch.
        assertThat(ChoiceRules.branch(95, List.of(40, 40))).isEqualTo(1);
        assertThat(ChoiceRules.branch(95, List.of(40, 40, 0))).isEqualTo(2);
        assertThatThrownBy(() -> ChoiceRules.branch(1, List.of())).isInstanceOf(IllegalArgumentException.class);
    }
}
