package dev.waymark.messaging;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.waymark.audience.EndpointStore;
import dev.waymark.audience.EventAppender;
import dev.waymark.audience.EventRecord;
import dev.waymark.http.ApiRequest;
import dev.waymark.http.ApiResponse;
import dev.waymark.wire.Json;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tracking URLs that emails carry, answered without a signature (recipients' mail clients follow them):
 * {@code GET /t/o/{token}} the pixel, {@code GET /t/c/{token}} a redirect to the link, {@code GET /t/u/{token}} a page
 * whose button POSTs to the same URL to unsubscribe. Each records {@code _email.open}, {@code _email.click} or {@code _email.unsubscribe} on the message's
 * endpoint, once per message (per link, for clicks) and hour as Pinpoint counts them: the event id is derived from
 * the message, the type, the hour and the link, and the event log keeps the first of equal ids. A token that is not
 * ours answers 404 with no body and records nothing.
 */
public final class TrackingApi {
    private static final Logger LOG = LoggerFactory.getLogger(TrackingApi.class);
    /** The smallest transparent GIF: 1×1, one transparent colour (43 bytes). */
    private static final byte[] PIXEL = HexFormat.of().parseHex(
            "47494638396101000100800000000000ffffff21f90401000000002c00000000010001000002024401003b");
    private static final Map<String, String> NO_STORE = Map.of("Cache-Control", "no-store");
    private static final long HOUR_MS = 3_600_000L;
    /** Records written lately, by event id: a pixel loaded again (every time the mail is shown) costs no query. */
    private static final int MAX_REMEMBERED = 100_000;

    private final Jdbi jdbi;
    private final EventAppender events;
    private final EndpointStore endpoints;
    private final TrackingToken tokens;
    private final Clock clock;
    private final Cache<String, Boolean> recorded = Caffeine.newBuilder().maximumSize(MAX_REMEMBERED)
            .expireAfterWrite(Duration.ofHours(1)).build();

    public TrackingApi(Jdbi jdbi, EventAppender events, EndpointStore endpoints, TrackingToken tokens, Clock clock) {
        this.jdbi = jdbi;
        this.events = events;
        this.endpoints = endpoints;
        this.tokens = tokens;
        this.clock = clock;
    }

    /** The pixel: records an open, answers the GIF. */
    public ApiResponse open(ApiRequest request) {
        Optional<TrackingToken.Fields> fields = tokens.verify(request.label("token"), TrackingToken.Kind.OPEN);
        if (fields.isEmpty()) {
            return notFound();
        }
        record(fields.get(), "_email.open");
        return new ApiResponse(200, new ApiResponse.Bytes(PIXEL, "image/gif", NO_STORE));
    }

    /** A link: records a click, redirects to the link the token carries. */
    public ApiResponse click(ApiRequest request) {
        Optional<TrackingToken.Fields> fields = tokens.verify(request.label("token"), TrackingToken.Kind.CLICK);
        if (fields.isEmpty() || fields.get().link().isEmpty()) {
            return notFound();
        }
        record(fields.get(), "_email.click");
        Map<String, String> headers = new LinkedHashMap<>(NO_STORE);
        headers.put("Location", fields.get().link().get());
        return new ApiResponse(302, new ApiResponse.Bytes(new byte[0], "text/plain; charset=utf-8", headers));
    }

    /**
     * The unsubscribe link, followed: a page with one button that POSTs back. Nothing changes on a GET, because mail
     * scanners (Safe Links, Mimecast) follow every link of a message they inspect and would opt the recipient out.
     */
    public ApiResponse confirmUnsubscribe(ApiRequest request) {
        if (tokens.verify(request.label("token"), TrackingToken.Kind.UNSUBSCRIBE).isEmpty()) {
            return notFound();
        }
        return page("Unsubscribe", "<form method=\"post\"><p>Stop receiving these emails?</p>"
                + "<button type=\"submit\">Unsubscribe</button></form>");
    }

    /** Unsubscribe (the page's button, or a mail client's one-click POST, RFC 8058): OptOut ALL on the endpoint. */
    public ApiResponse unsubscribe(ApiRequest request) {
        Optional<TrackingToken.Fields> fields = tokens.verify(request.label("token"), TrackingToken.Kind.UNSUBSCRIBE);
        if (fields.isEmpty()) {
            return notFound();
        }
        TrackingToken.Fields token = fields.get();
        try {
            if (endpoints.find(token.appId(), token.endpointId()).isPresent()) {
                endpoints.updateOne(token.appId(), token.endpointId(), Json.MAPPER.createObjectNode()
                        .put("OptOut", "ALL"));
                record(token, "_email.unsubscribe");
            }
        } catch (RuntimeException e) {
            // The endpoint went away meanwhile (or its app): the recipient still sees the page they asked for.
            LOG.warn("Unsubscribe of endpoint {} in app {} not applied: {}", token.endpointId(), token.appId(),
                    e.toString());
        }
        return page("Unsubscribed", "<p>You are unsubscribed.</p>");
    }

    private static ApiResponse page(String title, String body) {
        return new ApiResponse(200, new ApiResponse.Bytes(("<!DOCTYPE html><html><head><meta charset=\"utf-8\">"
                + "<title>" + title + "</title></head><body>" + body + "</body></html>")
                .getBytes(StandardCharsets.UTF_8), "text/html; charset=utf-8", NO_STORE));
    }

    /** Writes the record unless one of the same id is stored; an endpoint or app deleted since writes nothing. */
    private void record(TrackingToken.Fields token, String type) {
        Instant now = clock.instant();
        long hour = now.toEpochMilli() / HOUR_MS;
        String eventId = token.messageId() + ":" + type + ":" + hour
                + token.link().map(link -> ":" + digest(link)).orElse("");
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put("message_id", token.messageId());
        attributes.put("channel", Channel.EMAIL.name());
        token.link().ifPresent(link -> attributes.put("link", link));
        token.origin().journeyId().ifPresent(id -> attributes.put("journey_id", id));
        token.origin().runId().ifPresent(id -> attributes.put("journey_run_id", id));
        token.origin().activityId().ifPresent(id -> attributes.put("journey_activity_id", id));
        EventRecord event = new EventRecord(token.appId(), events.endpointKey(token.endpointId()), eventId, type, now,
                now, Map.copyOf(attributes), Map.of(), Optional.empty(), Optional.empty());
        String remembered = token.appId() + "/" + eventId;
        if (recorded.getIfPresent(remembered) != null) {
            return;
        }
        try {
            if (endpoints.find(token.appId(), token.endpointId()).isPresent()) {
                jdbi.useTransaction(handle -> events.append(handle, List.of(event)));
                recorded.put(remembered, Boolean.TRUE);
            }
        } catch (RuntimeException e) {
            // Deleted between the read and the write: the recipient gets the pixel or the link all the same.
            LOG.warn("{} of message {} not recorded: {}", type, token.messageId(), e.toString());
        }
    }

    private static String digest(String link) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(link.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    private static ApiResponse notFound() {
        return new ApiResponse(404, new ApiResponse.Bytes(new byte[0], "text/plain; charset=utf-8", NO_STORE));
    }
}
