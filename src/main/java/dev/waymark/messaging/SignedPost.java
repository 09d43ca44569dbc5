package dev.waymark.messaging;

import com.fasterxml.jackson.databind.JsonNode;
import dev.waymark.wire.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One JSON POST to a receiver, signed, with the message's idempotency key, and its answer classified: 2xx delivered;
 * 408, 429, 5xx, no connection or no answer in time worth another try; any other status refused for good. Each
 * transport has its own, so that a slow receiver holds up only its own channel.
 */
final class SignedPost {
    /** How long to wait for a connection and for a whole answer. */
    record Timeouts(Duration connect, Duration request) {
        static final Timeouts DEFAULT = new Timeouts(Duration.ofSeconds(5), Duration.ofSeconds(15));
    }

    /** What a receiver answered: its status, and its body up to the byte limit (the rest is never read). */
    record Answer(int status, byte[] body) {
        Optional<JsonNode> json() {
            try {
                JsonNode node = Json.MAPPER.readTree(body);
                return node != null && node.isObject() ? Optional.of(node) : Optional.empty();
            } catch (IOException | RuntimeException e) {
                return Optional.empty();
            }
        }

        /** The first characters of the body, control characters replaced, for a status message. */
        String excerpt() {
            String text = new String(body, 0, Math.min(body.length, 400), StandardCharsets.UTF_8).strip();
            text = text.replaceAll("\\p{Cntrl}", " ");
            return text.length() > 200 ? text.substring(0, 200) + "..." : text;
        }
    }

    private volatile HttpClient client;
    private final Optional<WebhookSignature.Signer> signer;
    private final Clock clock;
    private final Timeouts timeouts;

    SignedPost(Optional<String> secret, Clock clock, Timeouts timeouts) {
        this.signer = secret.map(WebhookSignature.Signer::new);
        this.clock = clock;
        this.timeouts = timeouts;
    }

    /**
     * The client, built at the first post rather than at start-up: building one loads the JDK's trust store (a tenth
     * of a second of every start), and most servers never post.
     */
    private HttpClient client() {
        HttpClient built = client;
        if (built == null) {
            synchronized (this) {
                built = client;
                if (built == null) {
                    // Redirects off: the configured receiver must not send Waymark's requests somewhere else.
                    built = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                            .connectTimeout(timeouts.connect()).followRedirects(HttpClient.Redirect.NEVER).build();
                    client = built;
                }
            }
        }
        return built;
    }

    /** The longest {@link #post} takes: the connection, then the request and its answer, with a second to spare. */
    Duration longestPost() {
        return timeouts.connect().plus(timeouts.request()).plusSeconds(1);
    }

    /**
     * Posts {@code body}; the answer, or the failure to get one as a transient failure (statusCode 0). An answer of
     * any status is returned as it is: {@link #classify} says what it means.
     */
    Result post(URI url, String idempotencyKey, byte[] body, int maxAnswerBytes) {
        return post(url, url.getHost(), idempotencyKey, body, maxAnswerBytes);
    }

    /**
     * As {@link #post(URI, String, byte[], int)}, naming the receiver {@code receiver} in the failures it tells: an
     * operator's webhook by its role, since they reach API clients, who are not to learn where it is.
     */
    Result post(URI url, String receiver, String idempotencyKey, byte[] body, int maxAnswerBytes) {
        HttpRequest.Builder request = HttpRequest.newBuilder(url).timeout(timeouts.request())
                .header("Content-Type", "application/json")
                .header("User-Agent", "Waymark")
                .header("Idempotency-Key", headerSafe(idempotencyKey))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        signer.ifPresent(key -> request.header(WebhookSignature.HEADER,
                key.header(clock.instant().getEpochSecond(), body)));
        // Synchronous send: the JDK then completes the exchange on this thread, without a hand-over to its executor
        // (twice the calls per second of sendAsync(...).get() on two cores).
        long deadline = System.nanoTime() + timeouts.request().toNanos();
        AtomicReference<CappedBody> reading = new AtomicReference<>();
        try {
            HttpResponse<byte[]> response = client().send(request.build(), info -> {
                CappedBody capped = new CappedBody(maxAnswerBytes, deadline, info.statusCode());
                reading.set(capped);
                return capped;
            });
            return new Result(Optional.of(new Answer(response.statusCode(), response.body())), Optional.empty());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return failed("interrupted while waiting for " + receiver);
        } catch (HttpConnectTimeoutException e) {
            return failed("no connection to " + receiver + " within " + timeouts.connect().toSeconds() + " s");
        } catch (HttpTimeoutException e) {
            return failed("no answer from " + receiver + " within " + timeouts.request().toSeconds() + " s");
        } catch (ConnectException e) {
            return failed("cannot connect to " + (receiver.equals(url.getHost()) ? receiver + ":" + url.getPort()
                    : receiver) + " (" + ConnectException.class.getSimpleName() + ")");
        } catch (IOException e) {
            // The answer was read up to its limit and the rest discarded with the connection: cancelling the rest can
            // still fail the exchange, after what was kept is complete.
            Optional<Answer> kept = Optional.ofNullable(reading.get()).flatMap(CappedBody::whole);
            if (kept.isPresent()) {
                return new Result(kept, Optional.empty());
            }
            if (e.getCause() instanceof TimeoutException) {
                return failed("no whole answer from " + receiver + " within " + timeouts.request().toSeconds()
                        + " s");
            }
            return failed("POST to " + receiver + " failed: " + e.getClass().getSimpleName());
        }
    }

    /** What an answer means for the message (the body read for a MessageId only on success). */
    static Delivery classify(Answer answer) {
        int status = answer.status();
        if (status >= 200 && status < 300) {
            Optional<String> messageId = answer.json().map(json -> json.path("MessageId"))
                    .filter(JsonNode::isTextual).map(JsonNode::textValue)
                    .filter(id -> !id.isEmpty() && id.length() <= 255);
            return Delivery.delivered(status, "HTTP " + status, messageId);
        }
        String message = "HTTP " + status + (answer.body().length == 0 ? "" : ": " + answer.excerpt());
        if (status == 408 || status == 429 || status >= 500) {
            return Delivery.transientFailure(status, message);
        }
        if (status >= 300 && status < 400) {
            return Delivery.permanentFailure(status, message + " (redirects are not followed)");
        }
        return Delivery.permanentFailure(status, message);
    }

    /**
     * A key as an HTTP header value: visible ASCII stays, anything else (and '%') is written as %XX of its UTF-8
     * bytes, so that no key can break the header or be confused with another.
     */
    static String headerSafe(String key) {
        StringBuilder safe = new StringBuilder(key.length());
        for (byte b : key.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c > 32 && c < 127 && c != '%') {
                safe.append((char) c);
            } else {
                safe.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return safe.toString();
    }

    private static Result failed(String message) {
        return new Result(Optional.empty(), Optional.of(Delivery.transientFailure(0, message)));
    }

    /** An answer, or the failure that stands for one. */
    record Result(Optional<Answer> answer, Optional<Delivery> failure) {}

    /** Keeps the first {@code limit} bytes of a body and stops reading there: a receiver cannot fill the heap. */
    private static final class CappedBody implements HttpResponse.BodySubscriber<byte[]> {
        private final int limit;
        private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
        private final CompletableFuture<byte[]> result = new CompletableFuture<>();
        private final long deadline;
        private final int status;
        private Flow.Subscription subscription;

        CappedBody(int limit, long deadline, int status) {
            this.limit = limit;
            this.deadline = deadline;
            this.status = status;
        }

        /** The answer, when its body was kept whole up to the limit. */
        Optional<Answer> whole() {
            return result.isDone() && !result.isCompletedExceptionally() && kept.size() >= limit
                    ? Optional.of(new Answer(status, result.join())) : Optional.empty();
        }

        @Override
        public CompletableFuture<byte[]> getBody() {
            return result;
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            this.subscription = subscription;
            // The request timeout ends when the headers arrive; a body that trickles is bounded by the same deadline.
            result.orTimeout(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())),
                    TimeUnit.MILLISECONDS).whenComplete((body, error) -> {
                        if (error != null) {
                            subscription.cancel();
                        }
                    });
            subscription.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(List<ByteBuffer> buffers) {
            for (ByteBuffer buffer : buffers) {
                int take = Math.min(buffer.remaining(), limit - kept.size());
                byte[] bytes = new byte[take];
                buffer.get(bytes);
                kept.write(bytes, 0, take);
            }
            if (kept.size() >= limit && !result.isDone()) {
                // Enough: the rest is discarded with the connection.
                result.complete(kept.toByteArray());
                subscription.cancel();
            }
        }

        @Override
        public void onError(Throwable error) {
            result.completeExceptionally(error);
        }

        @Override
        public void onComplete() {
            result.complete(kept.toByteArray());
        }
    }
}
