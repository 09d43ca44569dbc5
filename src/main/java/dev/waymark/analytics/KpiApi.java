package dev.waymark.analytics;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.waymark.apps.AppLookup;
import dev.waymark.audience.EventLog;
import dev.waymark.http.ApiRequest;
import dev.waymark.http.ApiResponse;
import dev.waymark.journeys.JourneyLookup;
import dev.waymark.rules.RuleViolation;
import dev.waymark.store.Store;
import dev.waymark.wire.Json;
import dev.waymark.wire.WireTime;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * GetJourneyDateRangeKpi and GetApplicationDateRangeKpi, counted from the event log over the requested range.
 * {@code page-size} and {@code next-token} are accepted and ignored (Pinpoint: not supported for these); NextToken is
 * never answered. A KPI with no event in the range answers {@code Rows: []}.
 */
public final class KpiApi {
    private static final String JOURNEY_ID = "journey_id";
    private static final String CAMPAIGN_ID = "campaign_id";
    private static final String ACTIVITY_ID = "journey_activity_id";

    private final Store store;
    private final Clock clock;

    public KpiApi(Store store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /** GetJourneyDateRangeKpi: the journey's email KPIs, in all or per activity. */
    public ApiResponse journey(ApiRequest request) {
        String appId = request.label("ApplicationId");
        String journeyId = request.label("JourneyId");
        String name = request.label("KpiName");
        KpiNames.Kpi kpi = KpiNames.journey(name).orElseThrow(() -> unknown(name, "journey", KpiNames.JOURNEY));
        KpiRangeRules.Range range = range(request);
        AppLookup.require(store.apps(), appId);
        if (!store.journeys().exists(appId, journeyId)) {
            throw JourneyLookup.notFound(appId, journeyId);
        }
        Map<String, Long> counts = store.events().countOfType(appId, kpi.eventType(), range.start(), range.end(),
                Map.of(JOURNEY_ID, Optional.of(journeyId)),
                kpi.grouping() == KpiNames.Grouping.JOURNEY_ACTIVITY ? Optional.of(ACTIVITY_ID) : Optional.empty());
        ObjectNode response = Json.MAPPER.createObjectNode();
        response.put("ApplicationId", appId);
        response.put("EndTime", WireTime.format(range.end()));
        response.put("JourneyId", journeyId);
        response.put("KpiName", name);
        response.set("KpiResult", result(kpi, counts, "JourneyActivityId"));
        response.put("StartTime", WireTime.format(range.start()));
        return ApiResponse.ok(response);
    }

    /** GetApplicationDateRangeKpi: the app's transactional email KPIs, in all or per day (UTC). */
    public ApiResponse application(ApiRequest request) {
        String appId = request.label("ApplicationId");
        String name = request.label("KpiName");
        KpiNames.Kpi kpi = KpiNames.application(name)
                .orElseThrow(() -> unknown(name, "application", KpiNames.APPLICATION));
        KpiRangeRules.Range range = range(request);
        AppLookup.require(store.apps(), appId);
        Map<String, Optional<String>> transactional = Map.of(JOURNEY_ID, Optional.empty(), CAMPAIGN_ID,
                Optional.empty());
        Map<String, Long> counts = kpi.grouping() == KpiNames.Grouping.DATE
                ? perDay(appId, kpi, range, transactional)
                : store.events().countOfType(appId, kpi.eventType(), range.start(), range.end(), transactional,
                        Optional.empty());
        ObjectNode response = Json.MAPPER.createObjectNode();
        response.put("ApplicationId", appId);
        response.put("EndTime", WireTime.format(range.end()));
        response.put("KpiName", name);
        response.set("KpiResult", result(kpi, counts, "Date"));
        response.put("StartTime", WireTime.format(range.start()));
        return ApiResponse.ok(response);
    }

    private KpiRangeRules.Range range(ApiRequest request) {
        return KpiRangeRules.resolve(request.queryValue("start-time"), request.queryValue("end-time"),
                Instant.ofEpochMilli(clock.millis()));
    }

    /** One count per UTC day of the range (at most 31, as the range rules bound it). */
    private Map<String, Long> perDay(String appId, KpiNames.Kpi kpi, KpiRangeRules.Range range,
                                     Map<String, Optional<String>> match) {
        Map<String, Long> counts = new LinkedHashMap<>();
        LocalDate day = LocalDate.ofInstant(range.start(), ZoneOffset.UTC);
        LocalDate last = LocalDate.ofInstant(range.end(), ZoneOffset.UTC);
        for (; !day.isAfter(last); day = day.plusDays(1)) {
            Instant from = max(range.start(), day.atStartOfDay(ZoneOffset.UTC).toInstant());
            Instant to = min(range.end(), day.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant().minusMillis(1));
            String date = day.toString();
            store.events().countOfType(appId, kpi.eventType(), from, to, match, Optional.empty()).values()
                    .forEach(count -> counts.merge(date, count, Long::sum));
        }
        return counts;
    }

    /** BaseKpiResult: one row per group with a count, ordered by group; a single row for an ungrouped KPI. */
    private static ObjectNode result(KpiNames.Kpi kpi, Map<String, Long> counts, String groupKey) {
        ObjectNode result = Json.MAPPER.createObjectNode();
        ArrayNode rows = result.putArray("Rows");
        new TreeMap<>(counts).forEach((group, count) -> {
            if (count == 0) {
                return;
            }
            ObjectNode row = rows.addObject();
            ArrayNode groupedBys = row.putArray("GroupedBys");
            if (kpi.grouping() != KpiNames.Grouping.NONE) {
                groupedBys.addObject().put("Key", groupKey).put("Type", "String").put("Value", group);
            }
            row.putArray("Values").addObject().put("Key", kpi.valueKey()).put("Type", "Double")
                    .put("Value", count + ".0");
        });
        return result;
    }

    private static RuleViolation unknown(String name, String scope, Map<String, KpiNames.Kpi> known) {
        String shown = name.length() > 64 ? name.substring(0, 64) + "…" : name;
        return new RuleViolation("KpiName '" + shown + "' is not a " + scope + " KPI Waymark answers; it answers "
                + String.join(", ", new java.util.TreeSet<>(known.keySet())));
    }

    private static Instant max(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }
}
