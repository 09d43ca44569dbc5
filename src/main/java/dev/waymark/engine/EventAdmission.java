package dev.waymark.engine;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.waymark.analytics.CounterDelta;
import dev.waymark.analytics.MetricKeys;
import dev.waymark.audience.EventRecord;
import dev.waymark.audience.EventTap;
import dev.waymark.segments.Criterion;
import dev.waymark.segments.SegmentMembers;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.JdbiException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Admits endpoints into event-started journeys (engine.md E1) in the transaction that records their events, so an
 * acknowledged PutEvents never loses an admission and a retried one (whose events the log already holds) admits
 * nobody twice. Each event is matched against every ACTIVE event-started journey of its app: FilterType (SYSTEM for
 * Waymark's own {@code _}-prefixed records, ENDPOINT for the app's), the EventDimensions, and the segment when one is
 * named; a match goes through the entry filters on the journey's RUNNING run.
 */
final class EventAdmission implements EventTap {
    private static final Logger LOG = LoggerFactory.getLogger(EventAdmission.class);

    private final PlanCache plans;
    private final SqlParticipants participants;
    private final SegmentMembers segments;
    private final MoveBatch.Sinks sinks;
    private final Clock clock;
    private final Runnable wake;

    EventAdmission(PlanCache plans, SqlParticipants participants, SegmentMembers segments, MoveBatch.Sinks sinks,
                   Clock clock, Runnable wake) {
        this.plans = plans;
        this.participants = participants;
        this.segments = segments;
        this.sinks = sinks;
        this.clock = clock;
        this.wake = wake;
    }

    private record Run(String runId, Instant started) {}

    @Override
    public void written(Handle handle, List<EventRecord> records, EndpointReader endpoints) {
        Map<String, List<EventRecord>> byApp = new LinkedHashMap<>();
        records.forEach(record -> byApp.computeIfAbsent(record.appId(), app -> new ArrayList<>()).add(record));
        boolean admitted = false;
        for (Map.Entry<String, List<EventRecord>> app : byApp.entrySet()) {
            try {
                admitted |= admit(handle, app.getKey(), app.getValue(), endpoints);
            } catch (JdbiException e) {
                throw e;
            } catch (RuntimeException e) {
                // A journey's data the engine did not expect must not refuse the app's events.
                LOG.warn("Could not match events of app {} against its event-started journeys: {}", app.getKey(),
                        e.toString());
            }
        }
        if (admitted) {
            wake.run();
        }
    }

    private boolean admit(Handle handle, String appId, List<EventRecord> records, EndpointReader endpoints) {
        List<String> ids = handle.createQuery("SELECT id FROM journeys WHERE app_id = :app AND state = 'ACTIVE'")
                .bind("app", appId).mapTo(String.class).list();
        if (ids.isEmpty()) {
            return false;
        }
        List<JourneyPlan> started = plans.load(handle, ids).values().stream()
                .flatMap(journey -> journey.plan().stream()).filter(plan -> plan.eventStart().isPresent()).toList();
        if (started.isEmpty()) {
            return false;
        }
        Instant now = clock.instant();
        MoveBatch batch = new MoveBatch();
        Map<String, Optional<Run>> runs = new HashMap<>();
        Map<String, Optional<ObjectNode>> read = new HashMap<>();
        Map<String, Optional<Criterion>> criteria = new HashMap<>();
        List<Participant> admitted = new ArrayList<>();
        Map<String, Participant> latest = new HashMap<>();
        for (EventRecord record : records) {
            boolean system = record.eventType().startsWith("_");
            for (JourneyPlan plan : started) {
                JourneyPlan.EventStart start = plan.eventStart().get();
                if (system != "SYSTEM".equals(start.filterType())
                        || !EventFilterRules.matches(start.dimensions(), record.eventType(), record.attributes(),
                        record.metrics())) {
                    continue;
                }
                Optional<Run> run = runs.computeIfAbsent(plan.journeyId(), journey -> running(handle, journey));
                Optional<ObjectNode> endpoint = read.computeIfAbsent(record.endpointKey(),
                        key -> endpoints.read(appId, key));
                if (run.isEmpty() || endpoint.isEmpty()) {
                    continue;
                }
                if (start.segmentId().isPresent() && !criteria.computeIfAbsent(start.segmentId().get(),
                                segment -> segments.criterion(appId, segment, Optional.empty()))
                        .map(criterion -> segments.test(appId, criterion, endpoint.get(), now)).orElse(false)) {
                    continue;
                }
                String key = plan.journeyId() + "/" + record.endpointKey();
                Optional<Participant> existing = Optional.ofNullable(latest.get(key)).or(() -> Optional.ofNullable(
                        participants.find(handle, appId, plan.journeyId(), List.of(record.endpointKey()))
                                .get(record.endpointKey())));
                MoveBatch own = new MoveBatch();
                Optional<Participant> entered = admitOne(plan, run.get(), endpoint.get(), record.endpointKey(),
                        existing, now, own);
                if (entered.isPresent() && existing.isEmpty()
                        && !participants.insertNew(handle, entered.get())) {
                    // Another transaction admitted the endpoint into this journey meanwhile (an outcome of the
                    // outbox, a PutEvents without the endpoint's row lock): decided again against its row, so that
                    // the endpoint is not entered twice with one row.
                    existing = Optional.ofNullable(participants.find(handle, appId, plan.journeyId(),
                            List.of(record.endpointKey())).get(record.endpointKey()));
                    own = new MoveBatch();
                    entered = admitOne(plan, run.get(), endpoint.get(), record.endpointKey(), existing, now, own);
                    entered.ifPresent(admitted::add);
                } else if (entered.isPresent() && existing.isPresent()) {
                    admitted.add(entered.get());
                }
                batch.absorb(own);
                entered.ifPresent(participant -> latest.put(key, participant));
            }
        }
        participants.save(handle, admitted);
        latest.values().stream().map(Participant::journeyId).distinct()
                .forEach(journeyId -> JourneyStateSync.known(handle, appId, journeyId));
        batch.write(handle, sinks, now);
        return !latest.isEmpty();
    }

    /** Counts the endpoint as produced by the run and passes it through the entry filters. */
    private static Optional<Participant> admitOne(JourneyPlan plan, Run run, ObjectNode endpoint, String endpointKey,
                                                  Optional<Participant> existing, Instant now, MoveBatch batch) {
        batch.count(plan.appId(), plan.journeyId(), CounterDelta.run(run.runId(), MetricKeys.ENDPOINT_PRODUCED, 1));
        return Admission.admit(plan, run.runId(), run.started(), endpoint, endpointKey, existing, now, batch);
    }

    private static Optional<Run> running(Handle handle, String journeyId) {
        return handle.createQuery("SELECT run_id, started_ms FROM journey_runs WHERE journey_id = :journey AND "
                        + "status = 'RUNNING' ORDER BY sequence DESC LIMIT 1")
                .bind("journey", journeyId)
                .map((rs, ctx) -> new Run(rs.getString(1), Instant.ofEpochMilli(rs.getLong(2)))).findOne();
    }
}
