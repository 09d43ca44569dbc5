package dev.waymark.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.waymark.analytics.MetricKeys;
import dev.waymark.engine.Participant.Phase;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Optional;

/**
 * The entry filters of engine.md E1, in order, for segment runs and event starts alike: the first that refuses an
 * endpoint counts it at the run; an endpoint that passes enters at StartActivity, or with LocalTime waits for the
 * run's start time in its own zone.
 */
final class Admission {
    private Admission() {}

    /**
     * The participant row an endpoint gets in run {@code runId} (started at {@code runStart}), or empty when a filter
     * refuses it; {@code existing} is its row in this journey, if it has one. Counts go to {@code batch}.
     */
    static Optional<Participant> admit(JourneyPlan plan, String runId, Instant runStart, ObjectNode endpoint,
                                       String endpointKey, Optional<Participant> existing, Instant now,
                                       MoveBatch batch) {
        String refusal = null;
        Optional<ZoneId> zone = Optional.empty();
        if ("ALL".equals(text(endpoint, "OptOut"))) {
            refusal = "ENDPOINT_OPT_OUT";
        } else if ("INACTIVE".equals(text(endpoint, "EndpointStatus"))) {
            refusal = "ENDPOINT_INACTIVE";
        } else if (text(endpoint, "Address") == null || text(endpoint, "Address").isBlank()) {
            refusal = "ENDPOINT_MISSING_ADDRESS";
        } else if (plan.localTime()) {
            TimeZoneRules.Resolution resolved = TimeZoneRules.resolve(endpoint, plan.timezoneEstimation());
            zone = resolved.zone();
            if (zone.isEmpty()) {
                refusal = "ENDPOINT_MISSING_TIMEZONE";
            } else if (resolved.estimated()) {
                batch.count(plan.appId(), plan.journeyId(),
                        dev.waymark.analytics.CounterDelta.run(runId, "ENDPOINT_ESTIMATED_TIMEZONE", 1));
            }
        }
        if (refusal == null && existing.isPresent()) {
            Participant before = existing.get();
            if (before.finishedAt().isEmpty()) {
                refusal = MetricKeys.ACTIVE_ENDPOINT_REJECTED;
            } else if (reentryRefused(plan.limits(), before, now)) {
                refusal = MetricKeys.REENTRY_CAP_EXCEEDED;
            }
        }
        if (refusal != null) {
            batch.count(plan.appId(), plan.journeyId(), dev.waymark.analytics.CounterDelta.run(runId, refusal, 1));
            return Optional.empty();
        }
        int entry = existing.map(Participant::entries).orElse(0) + 1;
        int messages = existing.map(Participant::messages).orElse(0);
        String endpointId = text(endpoint, "Id");
        if (zone.isPresent()) {
            Instant local = EntryRules.localEntry(plan.startTime().orElse(runStart), plan.scheduleOffset(),
                    zone.get());
            if (local.isAfter(now)) {
                return Optional.of(new Participant(plan.appId(), plan.journeyId(), endpointKey, endpointId, entry,
                        runId, Optional.empty(), Phase.ENTERING, Optional.of(local), now, now, messages,
                        Optional.empty()));
            }
        }
        batch.count(plan.appId(), plan.journeyId(),
                dev.waymark.analytics.CounterDelta.run(runId, MetricKeys.ENDPOINT_ENTERED, 1));
        batch.count(plan.appId(), plan.journeyId(),
                dev.waymark.analytics.CounterDelta.run(runId, MetricKeys.ENDPOINT_ACTIVE, 1));
        return Optional.of(new Participant(plan.appId(), plan.journeyId(), endpointKey, endpointId, entry, runId,
                plan.startActivity(), Phase.ARRIVING, Optional.of(now), now, now, messages, Optional.empty()));
    }

    /** EndpointReentryCap reached, or EndpointReentryInterval not yet passed since the last entry. */
    private static boolean reentryRefused(JourneyPlan.Limits limits, Participant before, Instant now) {
        if (limits.endpointReentryCap().isPresent() && before.entries() >= limits.endpointReentryCap().getAsInt()) {
            return true;
        }
        Optional<Duration> interval = limits.endpointReentryInterval();
        return interval.isPresent() && now.isBefore(before.enteredAt().plus(interval.get()));
    }

    private static String text(ObjectNode endpoint, String member) {
        JsonNode value = endpoint.get(member);
        return value != null && value.isTextual() ? value.textValue() : null;
    }
}
