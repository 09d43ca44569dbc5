package dev.waymark.analytics;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The KPI names GetJourneyDateRangeKpi and GetApplicationDateRangeKpi answer, each counted from one event type of
 * the event log. Journey KPIs are Pinpoint's journey engagement metrics (email only); application KPIs are the
 * transactional email metrics (events that carry no journey_id or campaign_id). The friendly {@code Key} of a value
 * is not documented for journeys; Waymark writes the KPI's words in CamelCase, as Pinpoint's app examples do
 * ({@code TxnEmailsSent}).
 */
final class KpiNames {
    /** How a KPI's rows are grouped. */
    enum Grouping { NONE, JOURNEY_ACTIVITY, DATE }

    /** One KPI: its name, the event type it counts, the Key of its value, how its rows are grouped. */
    record Kpi(String name, String eventType, String valueKey, Grouping grouping) {}

    /** Email outcome words as the journey KPIs spell them, with their event types. */
    private static final List<List<String>> JOURNEY_EMAIL = List.of(
            List.of("sent", "_email.send"), List.of("delivered", "_email.delivered"),
            List.of("opened", "_email.open"), List.of("clicked", "_email.click"),
            List.of("hardbounced", "_email.hardbounce"), List.of("softbounced", "_email.softbounce"),
            List.of("complained", "_email.complaint"), List.of("rejected", "_email.rejected"),
            List.of("unsubscribed", "_email.unsubscribe"));
    /** The transactional email KPIs of an app (Developer Guide, application metrics), with their event types. */
    private static final List<List<String>> APP_EMAIL = List.of(
            List.of("txn-emails-sent", "_email.send", "TxnEmailsSent"),
            List.of("txn-emails-delivered", "_email.delivered", "TxnEmailsDelivered"),
            List.of("txn-emails-opened", "_email.open", "TxnEmailsOpened"),
            List.of("txn-emails-clicked", "_email.click", "TxnEmailsClicked"),
            List.of("txn-emails-hard-bounced", "_email.hardbounce", "TxnEmailsHardBounced"),
            List.of("txn-emails-with-complaints", "_email.complaint", "TxnEmailsWithComplaints"));

    static final Map<String, Kpi> JOURNEY = journeyKpis();
    static final Map<String, Kpi> APPLICATION = applicationKpis();

    private KpiNames() {}

    static Optional<Kpi> journey(String name) {
        return Optional.ofNullable(JOURNEY.get(name));
    }

    static Optional<Kpi> application(String name) {
        return Optional.ofNullable(APPLICATION.get(name));
    }

    private static Map<String, Kpi> journeyKpis() {
        Map<String, Kpi> kpis = new LinkedHashMap<>();
        for (List<String> outcome : JOURNEY_EMAIL) {
            String key = "Emails" + Character.toUpperCase(outcome.get(0).charAt(0)) + outcome.get(0).substring(1);
            kpis.put("journey-emails-" + outcome.get(0),
                    new Kpi("journey-emails-" + outcome.get(0), outcome.get(1), key, Grouping.NONE));
            String grouped = "emails-" + outcome.get(0) + "-grouped-by-journey-activity";
            kpis.put(grouped, new Kpi(grouped, outcome.get(1), key, Grouping.JOURNEY_ACTIVITY));
        }
        return Map.copyOf(kpis);
    }

    private static Map<String, Kpi> applicationKpis() {
        Map<String, Kpi> kpis = new LinkedHashMap<>();
        for (List<String> kpi : APP_EMAIL) {
            kpis.put(kpi.get(0), new Kpi(kpi.get(0), kpi.get(1), kpi.get(2), Grouping.NONE));
            String grouped = kpi.get(0) + "-grouped-by-date";
            kpis.put(grouped, new Kpi(grouped, kpi.get(1), kpi.get(2), Grouping.DATE));
        }
        return Map.copyOf(kpis);
    }
}
