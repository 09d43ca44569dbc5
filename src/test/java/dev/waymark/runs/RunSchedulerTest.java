package dev.waymark.runs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.waymark.journeys.StoredJourneyReader;
import dev.waymark.rules.RuleViolation;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import org.jdbi.v3.core.ConnectionException;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;
import org.junit.jupiter.api.Test;

/** Only a journey's own failures park it: a failing store is waited out. */
class RunSchedulerTest {
    @Test
    void aFailingStoreIsNeverTheJourneysFault() {
        assertThat(RunScheduler.isStoreFailure(new ConnectionException(
                new SQLTransientConnectionException("waymark-store - Connection is not available")))).isTrue();
        assertThat(RunScheduler.isStoreFailure(new UnableToExecuteStatementException(
                new SQLException("[SQLITE_BUSY] The database file is locked"), null))).isTrue();
        assertThat(RunScheduler.isStoreFailure(new IllegalStateException("wrapped",
                new SQLException("terminating connection due to administrator command")))).isTrue();
    }

    @Test
    void aJourneysOwnFailureMayParkIt() {
        assertThat(RunScheduler.isStoreFailure(new StoredJourneyReader.UnreadableDefinitionException("j",
                "it is not valid JSON"))).isFalse();
        assertThat(RunScheduler.isStoreFailure(new RuleViolation("RefreshFrequency must be at most P540D"))).isFalse();
        assertThat(RunScheduler.isStoreFailure(new ArithmeticException("long overflow"))).isFalse();
    }
}
