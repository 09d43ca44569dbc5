package dev.waymark.engine;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;

/** The journey_messages table (V18): what the engine queued to each endpoint, for DailyCap and TimeframeCap. */
final class SqlMessageLedger {
    /** TimeframeCap's Days are at most 30; rows older than this answer no cap and are pruned. */
    static final Duration KEPT = Duration.ofDays(31);

    /** What was sent to the endpoint: by this journey in the last 24 h, by the app's journeys in the last days. */
    CapRules.Sent sent(Handle handle, String appId, String endpointKey, String journeyId, Instant now,
                       int timeframeDays, int journeyEver) {
        long dayAgo = now.minus(Duration.ofDays(1)).toEpochMilli();
        long frameStart = now.minus(Duration.ofDays(Math.max(1, timeframeDays))).toEpochMilli();
        long from = Math.min(dayAgo, frameStart);
        long[] counts = {0, 0};
        handle.createQuery("SELECT journey_id, sent_ms FROM journey_messages WHERE app_id = :app AND "
                        + "endpoint_key = :key AND sent_ms > :from")
                .bind("app", appId).bind("key", endpointKey).bind("from", from)
                .map((rs, ctx) -> {
                    long sentAt = rs.getLong(2);
                    if (journeyId.equals(rs.getString(1)) && sentAt > dayAgo) {
                        counts[0]++;
                    }
                    if (timeframeDays > 0 && sentAt > frameStart) {
                        counts[1]++;
                    }
                    return null;
                }).forEach(row -> { });
        return new CapRules.Sent(counts[0], journeyEver, counts[1]);
    }

    /** Writes the messages a batch of moves queued, with those moves. */
    static void add(Handle handle, List<MoveBatch.Sent> sent, Instant at) {
        PreparedBatch batch = handle.prepareBatch("INSERT INTO journey_messages (app_id, endpoint_key, journey_id, "
                + "sent_ms) VALUES (:app, :key, :journey, :at)");
        for (MoveBatch.Sent message : sent) {
            batch.bind("app", message.appId()).bind("key", message.endpointKey()).bind("journey", message.journeyId())
                    .bind("at", at.toEpochMilli()).add();
        }
        batch.execute();
    }

    /** Deletes up to {@code limit} rows older than any cap looks; the number deleted. */
    int prune(Handle handle, Instant now, int limit) {
        return handle.createUpdate("DELETE FROM journey_messages WHERE sent_ms IN (SELECT sent_ms FROM journey_messages "
                        + "WHERE sent_ms < :cutoff LIMIT :limit) AND sent_ms < :cutoff")
                .bind("cutoff", now.minus(KEPT).toEpochMilli()).bind("limit", limit).execute();
    }
}
