package dev.waymark.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class KpiNamesTest {
    @Test
    void everyJourneyEmailKpiAndItsActivityVariant() {
        for (String outcome : new String[] {"sent", "delivered", "opened", "clicked", "hardbounced", "softbounced",
                "complained", "rejected", "unsubscribed"}) {
            KpiNames.Kpi total = KpiNames.journey("journey-emails-" + outcome).orElseThrow();
            KpiNames.Kpi grouped = KpiNames.journey("emails-" + outcome + "-grouped-by-journey-activity").orElseThrow();
            assertThat(total.grouping()).isEqualTo(KpiNames.Grouping.NONE);
            assertThat(grouped.grouping()).isEqualTo(KpiNames.Grouping.JOURNEY_ACTIVITY);
            assertThat(grouped.eventType()).isEqualTo(total.eventType()).startsWith("_email.");
        }
        assertThat(KpiNames.JOURNEY).hasSize(18);
        assertThat(KpiNames.journey("journey-emails-sent").orElseThrow().eventType()).isEqualTo("_email.send");
        assertThat(KpiNames.journey("journey-emails-hardbounced").orElseThrow().eventType())
                .isEqualTo("_email.hardbounce");
        assertThat(KpiNames.journey("journey-emails-unsubscribed").orElseThrow().valueKey())
                .isEqualTo("EmailsUnsubscribed");
    }

    @Test
    void applicationKpisAreTheTransactionalEmailOnesInAllAndPerDay() {
        assertThat(KpiNames.application("txn-emails-sent").orElseThrow().valueKey()).isEqualTo("TxnEmailsSent");
        assertThat(KpiNames.application("txn-emails-opened-grouped-by-date").orElseThrow().grouping())
                .isEqualTo(KpiNames.Grouping.DATE);
        assertThat(KpiNames.application("journey-emails-sent")).isEmpty();
        assertThat(KpiNames.journey("txn-emails-sent")).isEmpty();
    }
}
