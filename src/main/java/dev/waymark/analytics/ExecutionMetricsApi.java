package dev.waymark.analytics;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.waymark.apps.AppLookup;
import dev.waymark.error.ApiException;
import dev.waymark.http.ApiRequest;
import dev.waymark.http.ApiResponse;
import dev.waymark.journeys.Journey;
import dev.waymark.journeys.JourneyDefinition.ActivityNode;
import dev.waymark.journeys.JourneyLookup;
import dev.waymark.journeys.StoredJourneyReader;
import dev.waymark.runs.JourneyRun;
import dev.waymark.store.Store;
import dev.waymark.wire.Json;
import dev.waymark.wire.WireTime;
import java.time.Instant;
import java.util.Optional;
import java.util.TreeMap;

/**
 * GetJourneyExecutionMetrics, GetJourneyExecutionActivityMetrics, GetJourneyRunExecutionMetrics and
 * GetJourneyRunExecutionActivityMetrics: the journey's {@link JourneyCounters}, values as decimal strings, keys
 * never counted absent. LastEvaluatedTime is when the counters of the scope last changed, else when the journey
 * (for a run: the run) was created. {@code page-size} and {@code next-token} are accepted and ignored: Pinpoint
 * documents them as not supported here, and Metrics is one map.
 */
public final class ExecutionMetricsApi {
    private final Store store;
    private final JourneyCounters counters;

    public ExecutionMetricsApi(Store store, JourneyCounters counters) {
        this.store = store;
        this.counters = counters;
    }

    /** GetJourneyExecutionMetrics: the participant-level keys summed over every run. */
    public ApiResponse journey(ApiRequest request) {
        Journey journey = journeyOf(request);
        CounterReading reading = counters.read(journey.appId(), journey.id(), Optional.empty(), "");
        return ApiResponse.ok(response(journey, Optional.empty(), Optional.empty(), reading, journey.createdAt()));
    }

    /** GetJourneyExecutionActivityMetrics: one activity's keys summed over every run. */
    public ApiResponse journeyActivity(ApiRequest request) {
        Journey journey = journeyOf(request);
        ActivityNode activity = activityOf(journey, request);
        CounterReading reading = counters.read(journey.appId(), journey.id(), Optional.empty(), activity.id());
        return ApiResponse.ok(response(journey, Optional.empty(), Optional.of(activity), reading,
                journey.createdAt()));
    }

    /** GetJourneyRunExecutionMetrics: the participant-level keys of one run. */
    public ApiResponse run(ApiRequest request) {
        Journey journey = journeyOf(request);
        JourneyRun run = runOf(journey, request);
        CounterReading reading = counters.read(journey.appId(), journey.id(), Optional.of(run.runId()), "");
        return ApiResponse.ok(response(journey, Optional.of(run.runId()), Optional.empty(), reading,
                run.createdAt()));
    }

    /** GetJourneyRunExecutionActivityMetrics: one activity's keys in one run. */
    public ApiResponse runActivity(ApiRequest request) {
        Journey journey = journeyOf(request);
        JourneyRun run = runOf(journey, request);
        ActivityNode activity = activityOf(journey, request);
        CounterReading reading = counters.read(journey.appId(), journey.id(), Optional.of(run.runId()),
                activity.id());
        return ApiResponse.ok(response(journey, Optional.of(run.runId()), Optional.of(activity), reading,
                run.createdAt()));
    }

    private Journey journeyOf(ApiRequest request) {
        String appId = request.label("ApplicationId");
        String journeyId = request.label("JourneyId");
        AppLookup.require(store.apps(), appId);
        return store.journeys().find(appId, journeyId).orElseThrow(() -> JourneyLookup.notFound(appId, journeyId));
    }

    private JourneyRun runOf(Journey journey, ApiRequest request) {
        String runId = request.label("RunId");
        return store.runs().find(journey.id(), runId).orElseThrow(() -> ApiException.notFound(
                "Journey run '" + runId + "' not found in journey '" + journey.id() + "'"));
    }

    /** The activity must be in the journey's definition as stored now. */
    private static ActivityNode activityOf(Journey journey, ApiRequest request) {
        String activityId = request.label("JourneyActivityId");
        ActivityNode activity = StoredJourneyReader.read(journey).activities().get(activityId);
        if (activity == null) {
            throw ApiException.notFound("Activity '" + activityId + "' not found in journey '" + journey.id()
                    + "'");
        }
        return activity;
    }

    /** The four response shapes share their members; the run and activity members appear only in their variants. */
    private static ObjectNode response(Journey journey, Optional<String> runId, Optional<ActivityNode> activity,
                                       CounterReading reading, Instant created) {
        ObjectNode response = Json.MAPPER.createObjectNode();
        activity.ifPresent(node -> response.put("ActivityType", ActivityTypes.of(node)));
        response.put("ApplicationId", journey.appId());
        activity.ifPresent(node -> response.put("JourneyActivityId", node.id()));
        response.put("JourneyId", journey.id());
        response.put("LastEvaluatedTime", WireTime.format(reading.lastChanged().orElse(created)));
        ObjectNode metrics = response.putObject("Metrics");
        new TreeMap<>(reading.values()).forEach((key, value) -> metrics.put(key, Long.toString(value)));
        runId.ifPresent(id -> response.put("RunId", id));
        return response;
    }
}
