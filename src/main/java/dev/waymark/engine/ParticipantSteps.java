package dev.waymark.engine;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.waymark.analytics.MetricKeys;
import dev.waymark.audience.EventLog;
import dev.waymark.audience.EventRecord;
import dev.waymark.engine.JourneyPlan.Activity;
import dev.waymark.engine.JourneyPlan.ConditionalSplit;
import dev.waymark.engine.JourneyPlan.Conditions;
import dev.waymark.engine.JourneyPlan.EvaluationWait;
import dev.waymark.engine.JourneyPlan.EventCondition;
import dev.waymark.engine.JourneyPlan.Message;
import dev.waymark.engine.JourneyPlan.MultiCondition;
import dev.waymark.engine.JourneyPlan.SimpleCondition;
import dev.waymark.engine.Participant.Phase;
import dev.waymark.messaging.JourneyMessages;
import dev.waymark.messaging.NewMessage;
import dev.waymark.messaging.Origin;
import dev.waymark.segments.Criterion;
import dev.waymark.segments.SegmentMembers;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves one participant through its journey's activities (engine.md E2, E3) as far as it goes at {@code now}: until
 * it waits (a Wait, an evaluation wait, a message held by quiet time) or leaves. Its effects (counters, messages,
 * records) go to the transaction's {@link MoveBatch}; its new row is the answer.
 */
final class ParticipantSteps {
    /** Activities one step may pass through: a definition that loops without a Wait stops here and goes on later. */
    static final int MAX_HOPS = 100;
    /** Events of one endpoint an EventCondition looks at. */
    static final int MAX_EVENTS = 1_000;
    private static final Logger LOG = LoggerFactory.getLogger(ParticipantSteps.class);

    private final JourneyMessages messages;
    private final SegmentMembers segments;
    private final EventLog events;
    private final SqlMessageLedger ledger;

    ParticipantSteps(JourneyMessages messages, SegmentMembers segments, EventLog events, SqlMessageLedger ledger) {
        this.messages = messages;
        this.segments = segments;
        this.events = events;
        this.ledger = ledger;
    }

    /** Criteria read once per transaction: segments by id, inline dimensions by their JSON. */
    static final class Criteria {
        private final Map<String, Optional<Criterion>> bySegment = new HashMap<>();
        private final Map<String, Optional<Criterion>> byDimensions = new HashMap<>();
        /** The moves of this transaction that succeeded so far: their messages count against the caps too. */
        private final MoveBatch done;

        Criteria() {
            this(new MoveBatch());
        }

        Criteria(MoveBatch done) {
            this.done = done;
        }
    }

    /** The outcome of one activity: rest with the row given, or go on to {@code next} (empty: leave). */
    private record Outcome(Optional<Participant> rest, Optional<String> next, Participant current) {
        static Outcome rest(Participant resting) {
            return new Outcome(Optional.of(resting), Optional.empty(), resting);
        }

        static Outcome go(Participant current, Optional<String> next) {
            return new Outcome(Optional.empty(), next, current);
        }
    }

    /**
     * Moves {@code p}; {@code endpoint} is its endpoint as GetEndpoint answers it (empty when deleted: it leaves).
     */
    Participant step(Handle handle, Participant p, JourneyPlan plan, Optional<ObjectNode> endpoint, AppDefaults app,
                     Instant now, MoveBatch batch, Criteria criteria) {
        batch.moved();
        if (endpoint.isEmpty()) {
            return p.phase() == Phase.ENTERING ? p.finished(now) : leave(p, now, batch);
        }
        Participant current = p;
        for (int hop = 0; hop < MAX_HOPS; hop++) {
            if (current.phase() == Phase.ENTERING) {
                batch.countRun(current, MetricKeys.ENDPOINT_ENTERED, 1);
                batch.countRun(current, MetricKeys.ENDPOINT_ACTIVE, 1);
                current = current.entered(now);
                if (plan.startActivity().isEmpty()) {
                    return leave(current, now, batch);
                }
                current = current.at(plan.startActivity().get(), Phase.ARRIVING, Optional.of(now), now);
                continue;
            }
            Optional<Activity> activity = current.activityId().flatMap(plan::activity);
            if (activity.isEmpty()) {
                // UpdateJourney removed the activity it was in (or it never existed): it leaves.
                return leave(current, now, batch);
            }
            Outcome outcome = run(handle, current, activity.get(), plan, endpoint.get(), app, now, batch, criteria);
            if (outcome.rest().isPresent()) {
                return outcome.rest().get();
            }
            if (outcome.next().isEmpty()) {
                return leave(outcome.current(), now, batch);
            }
            current = outcome.current().at(outcome.next().get(), Phase.ARRIVING, Optional.of(now), now);
        }
        LOG.warn("Journey {}: endpoint {} passed {} activities without a wait; it goes on in a minute",
                p.journeyId(), p.endpointId(), MAX_HOPS);
        return current.at(current.activityId().orElseThrow(), Phase.ARRIVING, Optional.of(now.plusSeconds(60)), now);
    }

    private static Participant leave(Participant p, Instant now, MoveBatch batch) {
        batch.countRun(p, MetricKeys.ENDPOINT_LEFT, 1);
        batch.countRun(p, MetricKeys.ENDPOINT_ACTIVE, -1);
        return p.finished(now);
    }

    private Outcome run(Handle handle, Participant p, Activity activity, JourneyPlan plan, ObjectNode endpoint,
                        AppDefaults app, Instant now, MoveBatch batch, Criteria criteria) {
        String id = activity.id();
        if (activity instanceof JourneyPlan.Wait wait) {
            if (p.phase() == Phase.WAITING) {
                batch.countActivity(p, id, "COMPLETED");
                return Outcome.go(p, wait.next());
            }
            if (wait.waitFor().isEmpty() && wait.waitUntil().filter(until -> !until.isAfter(now)).isPresent()) {
                batch.countActivity(p, id, "WAIT_DATE_PASSED");
                return Outcome.go(p, wait.next());
            }
            Instant until = wait.waitFor().map(p.arrivedAt()::plus).or(wait::waitUntil).orElse(now);
            if (until.isAfter(now)) {
                return Outcome.rest(p.at(id, Phase.WAITING, Optional.of(until), p.arrivedAt()));
            }
            batch.countActivity(p, id, "COMPLETED");
            return Outcome.go(p, wait.next());
        }
        if (activity instanceof JourneyPlan.Holdout holdout) {
            batch.countActivity(p, id, "TOTAL");
            if (ChoiceRules.heldOut(choice(p, id), holdout.percentage())) {
                batch.countActivity(p, id, "HOLDOUT");
                return Outcome.go(p, Optional.empty());
            }
            return Outcome.go(p, holdout.next());
        }
        if (activity instanceof JourneyPlan.RandomSplit split) {
            batch.countActivity(p, id, "TOTAL");
            if (split.branches().isEmpty()) {
                return Outcome.go(p, Optional.empty());
            }
            int branch = ChoiceRules.branch(choice(p, id),
                    split.branches().stream().map(JourneyPlan.Branch::percentage).toList());
            batch.countActivity(p, id, MetricKeys.branch(branch + 1));
            return Outcome.go(p, split.branches().get(branch).next());
        }
        if (activity instanceof ConditionalSplit split) {
            Optional<Participant> waiting = evaluationWait(p, id, split.evaluationWait(), now);
            if (waiting.isPresent()) {
                return Outcome.rest(waiting.get());
            }
            boolean holds = holds(split.condition(), p, endpoint, now, criteria);
            batch.countActivity(p, id, MetricKeys.branch(holds ? 1 : 2));
            return Outcome.go(p, holds ? split.whenTrue() : split.whenFalse());
        }
        if (activity instanceof MultiCondition split) {
            Optional<Participant> waiting = evaluationWait(p, id, split.evaluationWait(), now);
            if (waiting.isPresent()) {
                return Outcome.rest(waiting.get());
            }
            for (int i = 0; i < split.branches().size(); i++) {
                if (holds(split.branches().get(i).condition(), p, endpoint, now, criteria)) {
                    batch.countActivity(p, id, MetricKeys.branch(i + 1));
                    return Outcome.go(p, split.branches().get(i).next());
                }
            }
            batch.countActivity(p, id, MetricKeys.branch(split.branches().size() + 1));
            return Outcome.go(p, split.otherwise());
        }
        if (activity instanceof Message message) {
            return send(handle, p, message, plan, endpoint, app, now, batch, criteria);
        }
        if (activity instanceof JourneyPlan.ContactCenter contact) {
            batch.countActivity(p, id, "UNSUPPORTED_CHANNEL");
            return Outcome.go(p, contact.next());
        }
        return Outcome.go(p, Optional.empty());
    }

    private static double choice(Participant p, String activityId) {
        return ChoiceRules.percentile(p.journeyId(), p.endpointKey(), p.entries(), activityId);
    }

    /** A split with an EvaluationWaitTime rests until it is due, once; empty when it evaluates now. */
    private static Optional<Participant> evaluationWait(Participant p, String id, Optional<EvaluationWait> wait,
                                                        Instant now) {
        if (wait.isEmpty() || p.phase() == Phase.EVALUATING) {
            return Optional.empty();
        }
        Instant until = wait.get().waitFor().map(p.arrivedAt()::plus).or(wait.get()::waitUntil).orElse(now);
        return until.isAfter(now) ? Optional.of(p.at(id, Phase.EVALUATING, Optional.of(until), p.arrivedAt()))
                : Optional.empty();
    }

    private boolean holds(Conditions conditions, Participant p, ObjectNode endpoint, Instant now, Criteria criteria) {
        if (conditions.conditions().isEmpty()) {
            return conditions.all();
        }
        for (SimpleCondition condition : conditions.conditions()) {
            boolean holds = holds(condition, p, endpoint, now, criteria);
            if (holds != conditions.all()) {
                return holds;
            }
        }
        return conditions.all();
    }

    private boolean holds(SimpleCondition condition, Participant p, ObjectNode endpoint, Instant now,
                          Criteria criteria) {
        if (condition instanceof JourneyPlan.SegmentCondition segment) {
            return criteria.bySegment.computeIfAbsent(segment.segmentId(),
                            id -> segments.criterion(p.appId(), id, Optional.empty()))
                    .map(criterion -> segments.test(p.appId(), criterion, endpoint, now)).orElse(false);
        }
        if (condition instanceof JourneyPlan.DimensionsCondition dimensions) {
            return criteria.byDimensions.computeIfAbsent(dimensions.dimensions().toString(), key -> {
                try {
                    return Optional.of(segments.criterionOf(p.appId(), dimensions.dimensions()));
                } catch (RuntimeException e) {
                    LOG.warn("Journey {}: a split's segmentDimensions cannot be read ({}); it is false",
                            p.journeyId(), e.getMessage());
                    return Optional.empty();
                }
            }).map(criterion -> segments.test(p.appId(), criterion, endpoint, now)).orElse(false);
        }
        EventCondition event = (EventCondition) condition;
        for (EventRecord record : events.ofEndpoint(p.appId(), p.endpointId(), p.enteredAt(), MAX_EVENTS)) {
            if (record.received().isAfter(now)) {
                continue;
            }
            if (event.messageActivity().isPresent()
                    && !(p.journeyId().equals(record.attributes().get("journey_id"))
                    && event.messageActivity().get().equals(record.attributes().get("journey_activity_id")))) {
                continue;
            }
            if (EventFilterRules.matches(event.dimensions(), record.eventType(), record.attributes(),
                    record.metrics())) {
                return true;
            }
        }
        return false;
    }

    private Outcome send(Handle handle, Participant p, Message message, JourneyPlan plan, ObjectNode endpoint,
                         AppDefaults app, Instant now, MoveBatch batch, Criteria criteria) {
        String id = message.id();
        Origin origin = Origin.journey(p.journeyId(), p.runId(), id);
        String key = p.messageKey(id);
        String messageId = UUID.nameUUIDFromBytes(key.getBytes(StandardCharsets.UTF_8)).toString();
        Optional<NewMessage.Rate> rate = (plan.limits().messagesPerSecond().isPresent()
                ? plan.limits().messagesPerSecond() : app.messagesPerSecond()).stream().boxed().findFirst()
                .filter(perSecond -> perSecond > 0)
                .map(perSecond -> new NewMessage.Rate("journey:" + p.journeyId(), perSecond));
        JourneyMessages.Prepared prepared = messages.prepare(new JourneyMessages.Request(p.appId(),
                message.kind().name(), message.templateName(), message.templateVersion(), message.messageConfig(),
                message.deliveryUri(), message.endpointTypes(), endpoint, messageId, key, origin, rate));
        if (prepared instanceof JourneyMessages.Refused refused) {
            return notSent(p, message, origin, refused.status(), refused.reason(), now, batch);
        }
        TimeZoneRules.Resolution zone = TimeZoneRules.resolve(endpoint, plan.timezoneEstimation());
        if (zone.zone().isPresent()) {
            Optional<Instant> blocked = SendingWindowRules.blockedUntil(plan, app.quietTime(), message.kind(), now,
                    zone.zone().get());
            if (blocked.isPresent()) {
                if (plan.waitForQuietTime()) {
                    return Outcome.rest(p.at(id, Phase.HOLDING, blocked, p.arrivedAt()));
                }
                return notSent(p, message, origin, "QUIET_TIME", "The endpoint's local time is in quiet time or "
                        + "outside the journey's open hours", now, batch);
            }
        }
        if (p.phase() == Phase.HOLDING) {
            batch.record(messages.notSent(p.appId(), p.endpointKey(), origin, "", "QUIET_TIME_WAIT_FINISHED",
                    "The quiet time ended; the message is sent", recordId(key, "QUIET_TIME_WAIT_FINISHED"), now));
        }
        CapRules.Caps caps = CapRules.caps(plan.limits(), app.journeyLimits());
        if (caps.daily() > 0 || caps.total() > 0 || caps.timeframe() > 0) {
            CapRules.Sent sent = ledger.sent(handle, p.appId(), p.endpointKey(), p.journeyId(), now,
                    caps.timeframeDays(), p.messages());
            // The ledger holds committed moves only; this move's and this transaction's messages are added here.
            long[] own = batch.pendingSent(p.appId(), p.endpointKey(), p.journeyId());
            long[] others = criteria.done.pendingSent(p.appId(), p.endpointKey(), p.journeyId());
            sent = new CapRules.Sent(sent.journeyLastDay() + own[0] + others[0], sent.journeyEver(),
                    sent.appInTimeframe() + (caps.timeframeDays() > 0 ? own[1] + others[1] : 0));
            Optional<String> refusal = CapRules.refusal(caps, sent);
            if (refusal.isPresent()) {
                return notSent(p, message, origin, refusal.get(), "The endpoint reached the journey's "
                        + refusal.get() + " limit", now, batch);
            }
        }
        batch.queue(((JourneyMessages.Ready) prepared).message());
        batch.sent(p.appId(), p.endpointKey(), p.journeyId());
        return Outcome.go(p.withMessage(), message.next());
    }

    private Outcome notSent(Participant p, Message message, Origin origin, String status, String reason, Instant now,
                            MoveBatch batch) {
        batch.countActivity(p, message.id(), status);
        batch.record(messages.notSent(p.appId(), p.endpointKey(), origin, message.kind().name(), status, reason,
                recordId(p.messageKey(message.id()), status), now));
        return Outcome.go(p, message.next());
    }

    private static String recordId(String messageKey, String status) {
        return UUID.nameUUIDFromBytes((messageKey + "#" + status).getBytes(StandardCharsets.UTF_8)).toString();
    }

}
