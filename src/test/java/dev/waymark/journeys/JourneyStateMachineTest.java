package dev.waymark.journeys;

import static dev.waymark.journeys.JourneyState.ACTIVE;
import static dev.waymark.journeys.JourneyState.CANCELLED;
import static dev.waymark.journeys.JourneyState.CLOSED;
import static dev.waymark.journeys.JourneyState.COMPLETED;
import static dev.waymark.journeys.JourneyState.DRAFT;
import static dev.waymark.journeys.JourneyState.PAUSED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.waymark.rules.RuleConflict;
import dev.waymark.rules.RuleViolation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class JourneyStateMachineTest {
    @ParameterizedTest
    @CsvSource({
            "DRAFT, ACTIVE, PUBLISH", "PAUSED, ACTIVE, RESUME", "ACTIVE, PAUSED, PAUSE",
            "DRAFT, CANCELLED, CANCEL", "ACTIVE, CANCELLED, CANCEL", "PAUSED, CANCELLED, CANCEL",
            "CLOSED, CANCELLED, CANCEL"})
    void allowedStateChanges(JourneyState from, JourneyState to, Transition expected) {
        assertThat(JourneyStateMachine.changeState(from, to, true)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({
            "ACTIVE, ACTIVE", "CANCELLED, ACTIVE", "COMPLETED, ACTIVE", "CLOSED, ACTIVE", "DRAFT, PAUSED",
            "PAUSED, PAUSED", "CANCELLED, CANCELLED", "COMPLETED, CANCELLED", "CLOSED, PAUSED"})
    void refusedStateChangesNameBothStates(JourneyState from, JourneyState to) {
        assertThatThrownBy(() -> JourneyStateMachine.changeState(from, to, true))
                .isInstanceOf(RuleViolation.class)
                .hasMessage("Cannot change the journey state from " + from + " to " + to);
    }

    @ParameterizedTest
    @CsvSource({"DRAFT", "COMPLETED", "CLOSED"})
    void updateJourneyStateTakesOnlyThreeStates(JourneyState requested) {
        assertThatThrownBy(() -> JourneyStateMachine.changeState(ACTIVE, requested, true))
                .hasMessageContaining("must be ACTIVE, PAUSED or CANCELLED");
    }

    @Test
    void onlyRefreshingJourneysPause() {
        assertThatThrownBy(() -> JourneyStateMachine.changeState(ACTIVE, PAUSED, false))
                .hasMessageContaining("only a journey with a RefreshFrequency can be paused");
    }

    @Test
    void createAndUpdateTakeDraftOrActive() {
        assertThat(JourneyStateMachine.stateOnCreate(null)).isEqualTo(DRAFT);
        assertThat(JourneyStateMachine.stateOnCreate(ACTIVE)).isEqualTo(ACTIVE);
        assertThatThrownBy(() -> JourneyStateMachine.stateOnCreate(PAUSED)).hasMessageContaining("DRAFT or ACTIVE");

        assertThat(JourneyStateMachine.stateOnUpdate(DRAFT, ACTIVE)).isEqualTo(ACTIVE);
        assertThat(JourneyStateMachine.stateOnUpdate(ACTIVE, null)).isEqualTo(ACTIVE);
        assertThat(JourneyStateMachine.stateOnUpdate(PAUSED, null)).isEqualTo(PAUSED);
        assertThatThrownBy(() -> JourneyStateMachine.stateOnUpdate(ACTIVE, DRAFT))
                .hasMessage("Cannot change the journey state from ACTIVE to DRAFT with UpdateJourney");
        assertThatThrownBy(() -> JourneyStateMachine.stateOnUpdate(PAUSED, ACTIVE))
                .hasMessageContaining("resume it with UpdateJourneyState");
        for (JourneyState frozen : new JourneyState[] {CANCELLED, CLOSED, COMPLETED}) {
            assertThatThrownBy(() -> JourneyStateMachine.stateOnUpdate(frozen, null))
                    .isInstanceOf(RuleConflict.class);
        }
    }
}
