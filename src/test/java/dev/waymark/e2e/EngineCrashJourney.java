package dev.waymark.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.waymark.wire.Json;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.pinpoint.PinpointClient;
import software.amazon.awssdk.services.pinpoint.model.Activity;
import software.amazon.awssdk.services.pinpoint.model.EndpointBatchItem;
import software.amazon.awssdk.services.pinpoint.model.JourneyRunResponse;
import software.amazon.awssdk.services.pinpoint.model.SMSMessageActivity;
import software.amazon.awssdk.services.pinpoint.model.State;
import software.amazon.awssdk.services.pinpoint.model.WaitActivity;
import software.amazon.awssdk.services.pinpoint.model.WaitTime;
import software.amazon.awssdk.services.pinpoint.model.WriteJourneyRequest;

/**
 * The journey the engine's kill -9 tests run, and what they check at its end. {@code Wait PT1S → SMS → Wait PT1S →
 * SMS} over a segment of SMS endpoints, delivered to an in-process SMS webhook receiver that keeps every copy it is
 * handed by Idempotency-Key; at the end every endpoint has each message, a repeat carries the first copy's key, and
 * every counter, the participants' rows, the outbox and the event log say each participant moved once.
 */
final class EngineCrashJourney implements AutoCloseable {
    static final String SECRET = "an-engine-crash-webhook-secret";
    static final List<String> ACTIVITIES = List.of("wait1", "sms1", "wait2", "sms2");
    /**
     * SMS messages one node holds at most between its claim and the record of their outcome (OutboxSender: 32
     * threads, four claimed ahead for each): the most one kill can have handed over without recording.
     */
    static final int SMS_MOST_IN_HAND = 128;
    private static final String TEMPLATE = "crash-sms";
    private static final Pattern MOVES = Pattern.compile("(?m)^waymark_engine_moves_total(?:\\{[^}]*})? (\\S+)$");

    /**
     * One message as the receiver saw it: whose, from which activity, under which key, how many copies, and in which
     * epoch (the test's count of kills when it arrived) the first copy arrived.
     */
    record Delivery(String endpointId, String activityId, String messageId, AtomicInteger copies, int epoch) {}

    private final int endpoints;
    private final String jdbcUrl;
    private final HttpServer receiver;
    private final ExecutorService receiverThreads = Executors.newFixedThreadPool(32);
    private final Map<String, Delivery> byKey = new ConcurrentHashMap<>();
    /** The endpoints each activity's message reached. */
    private final Map<String, Set<String>> reached = new ConcurrentHashMap<>();
    /** Keys that arrived with a body naming another endpoint, activity or message id than their first copy. */
    private final List<String> mismatches = java.util.Collections.synchronizedList(new ArrayList<>());
    /** Repeats that arrived in the epoch of their first copy: no kill came between, so nothing excuses them. */
    private final List<String> repeatsWithoutKill = java.util.Collections.synchronizedList(new ArrayList<>());
    private final AtomicLong posts = new AtomicLong();
    /** When each request arrived (System.nanoTime), and whether it was a first copy. */
    private final java.util.Queue<long[]> arrivals = new java.util.concurrent.ConcurrentLinkedQueue<>();
    private final AtomicInteger epoch = new AtomicInteger();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final long born = System.nanoTime();
    private final List<String> timeline = new ArrayList<>();
    private String app;
    private String journey;

    /** A journey over {@code endpoints} SMS endpoints on the store at {@code jdbcUrl}, and its receiver, started. */
    EngineCrashJourney(int endpoints, String jdbcUrl) throws IOException {
        this.endpoints = endpoints;
        this.jdbcUrl = jdbcUrl;
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 256);
        receiver.setExecutor(receiverThreads);
        receiver.createContext("/sms", this::receive);
        receiver.start();
    }

    /**
     * The arguments of {@code waymark serve} that deliver SMS to the receiver; a dead node's hand-overs are retaken
     * after 10 s (a shorter lease could expire under a live node on a loaded machine, and its repeat would not be the
     * crash's).
     */
    List<String> serverArguments() {
        return List.of("--sms-webhook", "http://127.0.0.1:" + receiver.getAddress().getPort() + "/sms",
                "--webhook-secret", SECRET, "--allow-http-delivery", "--outbox-lease", "PT10S");
    }

    /**
     * Called after a kill: later copies belong to a new epoch. Requests the dead process had fully written are read
     * first (a short pause), so that they count in the epoch it died in.
     */
    void killed() throws InterruptedException {
        Thread.sleep(300);
        epoch.incrementAndGet();
    }

    private void receive(HttpExchange exchange) throws IOException {
        try (InputStream in = exchange.getRequestBody()) {
            JsonNode body = Json.MAPPER.readTree(in.readAllBytes());
            String key = String.valueOf(exchange.getRequestHeaders().getFirst("Idempotency-Key"));
            posts.incrementAndGet();
            Delivery fresh = new Delivery(body.path("EndpointId").asText(), body.path("ActivityId").asText(),
                    body.path("MessageId").asText(), new AtomicInteger(), epoch.get());
            Delivery first = byKey.putIfAbsent(key, fresh);
            (first == null ? fresh : first).copies().incrementAndGet();
            reached.computeIfAbsent(fresh.activityId(), a -> ConcurrentHashMap.newKeySet()).add(fresh.endpointId());
            arrivals.add(new long[] {System.nanoTime(), first == null ? 1 : 0});
            if (first != null) {
                checkRepeat(key, first, fresh);
            }
            exchange.sendResponseHeaders(200, -1);
        } finally {
            exchange.close();
        }
    }

    /** A repeat must carry its first copy's message and come after a kill. */
    private void checkRepeat(String key, Delivery first, Delivery repeat) {
        if (!first.endpointId().equals(repeat.endpointId()) || !first.activityId().equals(repeat.activityId())
                || !first.messageId().equals(repeat.messageId())) {
            mismatches.add(key + ": " + first + " then " + repeat);
        } else if (repeat.epoch() == first.epoch()) {
            repeatsWithoutKill.add(key + " (epoch " + first.epoch() + ")");
        }
    }

    /**
     * Through {@code client}: an app with its SMS channel on, the SMS template, the endpoints (ids {@code ep-00000}…,
     * each its own phone number) and a segment of them all, then the journey published; its id.
     */
    String publish(PinpointClient client) {
        return publish(client, 0);
    }

    /** As {@link #publish(PinpointClient)}, the journey's Limits.MessagesPerSecond set when positive. */
    String publish(PinpointClient client, int messagesPerSecond) {
        app = client.createApp(r -> r.createApplicationRequest(a -> a.name("engine-crash"))).applicationResponse().id();
        client.updateSmsChannel(r -> r.applicationId(app).smsChannelRequest(c -> c.enabled(true)));
        client.createSmsTemplate(r -> r.templateName(TEMPLATE + "-" + app).smsTemplateRequest(t -> t
                .body("Hello {{Id}}")));
        // Four batches at a time: the set-up is a third of the test on a loaded machine otherwise.
        ExecutorService batches = Executors.newFixedThreadPool(4);
        try {
            List<java.util.concurrent.Future<?>> sent = new ArrayList<>();
            for (int from = 0; from < endpoints; from += 100) {
                List<EndpointBatchItem> items = new ArrayList<>();
                for (int i = from; i < Math.min(endpoints, from + 100); i++) {
                    items.add(EndpointBatchItem.builder().id(endpointId(i)).channelType("SMS")
                            .address(String.format("+1206%07d", i)).build());
                }
                sent.add(batches.submit(() -> client.updateEndpointsBatch(r -> r.applicationId(app)
                        .endpointBatchRequest(b -> b.item(items)))));
            }
            for (java.util.concurrent.Future<?> batch : sent) {
                batch.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("UpdateEndpointsBatch failed", e.getCause());
        } finally {
            batches.shutdownNow();
        }
        String segment = EndToEndTest.everyone(client, app);
        WaitActivity second = WaitActivity.builder().waitTime(WaitTime.builder().waitFor("PT1S").build()).build();
        mark("set up");
        WriteJourneyRequest.Builder request = WriteJourneyRequest.builder().name("crash")
                .startCondition(s -> s.segmentStartCondition(c -> c.segmentId(segment)))
                .startActivity("wait1")
                .activities(Map.of(
                        "wait1", Activity.builder().waitValue(second.toBuilder().nextActivity("sms1").build()).build(),
                        "sms1", Activity.builder().sms(sms().nextActivity("wait2").build()).build(),
                        "wait2", Activity.builder().waitValue(second.toBuilder().nextActivity("sms2").build()).build(),
                        "sms2", Activity.builder().sms(sms().build()).build()));
        if (messagesPerSecond > 0) {
            request.limits(l -> l.messagesPerSecond(messagesPerSecond));
        }
        journey = client.createJourney(r -> r.applicationId(app).writeJourneyRequest(request.build()))
                .journeyResponse().id();
        client.updateJourneyState(r -> r.applicationId(app).journeyId(journey)
                .journeyStateRequest(s -> s.state(State.ACTIVE)));
        mark("published");
        return journey;
    }

    private SMSMessageActivity.Builder sms() {
        return SMSMessageActivity.builder().templateName(TEMPLATE + "-" + app);
    }

    static String endpointId(int i) {
        return String.format("ep-%05d", i);
    }

    String app() {
        return app;
    }

    /** Notes the moment of {@code what} on the timeline the tests print, in seconds since this journey was made. */
    void mark(String what) {
        timeline.add(String.format("%s %.1f s", what, (System.nanoTime() - born) / 1e9));
    }

    String timeline() {
        return String.join(", ", timeline);
    }

    /** The endpoints the message of {@code activityId} reached. */
    int delivered(String activityId) {
        Set<String> endpointIds = reached.get(activityId);
        return endpointIds == null ? 0 : endpointIds.size();
    }

    /** The most requests that arrived within any {@code window}: first copies only, or repeats included. */
    long mostWithin(Duration window, boolean withRepeats) {
        long[] times = arrivals.stream().filter(arrival -> withRepeats || arrival[1] == 1)
                .mapToLong(arrival -> arrival[0]).sorted().toArray();
        long most = 0;
        for (int from = 0, to = 0; to < times.length; to++) {
            while (times[to] - times[from] >= window.toNanos()) {
                from++;
            }
            most = Math.max(most, to - from + 1);
        }
        return most;
    }

    /** Requests the receiver took, repeats included. */
    long posts() {
        return posts.get();
    }

    /** The participants' rows in the store now (entered or not). */
    long participants() {
        return query("SELECT COUNT(*) FROM participants", rows -> rows.next() ? rows.getLong(1) : 0L);
    }

    /** The engine's moves a node has committed (its /metrics), -1 when it does not answer within 5 s. */
    long moves(WaymarkProcess node) {
        return moves(node, Duration.ofSeconds(5));
    }

    /** The engine's moves a node has committed (its /metrics), -1 when it does not answer within {@code timeout}. */
    long moves(WaymarkProcess node, Duration timeout) {
        try {
            HttpResponse<String> metrics = http.send(HttpRequest.newBuilder(URI.create(node.url() + "/metrics"))
                    .timeout(timeout).build(), HttpResponse.BodyHandlers.ofString());
            Matcher matcher = MOVES.matcher(metrics.body());
            return matcher.find() ? (long) Double.parseDouble(matcher.group(1)) : 0;
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /**
     * Waits (polling {@code client}) until every message arrived, the counters show every participant gone and the
     * journey COMPLETED; fails with what is missing after {@code timeout}.
     */
    void awaitEnd(PinpointClient client, Duration timeout) throws InterruptedException {
        await(timeout, () -> delivered("sms1") >= endpoints && delivered("sms2") >= endpoints,
                () -> "sms1 " + delivered("sms1") + ", sms2 " + delivered("sms2"));
        mark("all delivered");
        // A message's outcome (and its SUCCESS count) is recorded a moment after the receiver answers.
        await(timeout, () -> outboxStates().equals(Map.of("DELIVERED", 2L * endpoints)),
                () -> "outbox " + outboxStates());
        await(timeout, () -> state(client) == State.COMPLETED, () -> "sms1 " + delivered("sms1") + ", sms2 "
                + delivered("sms2") + ", journey " + state(client) + ", metrics " + journeyMetrics(client)
                + ", participants by phase " + phases());
        mark("COMPLETED");
    }

    private State state(PinpointClient client) {
        return client.getJourney(r -> r.applicationId(app).journeyId(journey)).journeyResponse().state();
    }

    /**
     * Every check of the end: each endpoint got each message under one key and the repeats carried it; the counters
     * at journey, run and activity level are exact; every participant entered once, left, and was given two messages;
     * the outbox delivered each message once; the event log holds each outcome once. The number of repeats.
     */
    long checkEnd(PinpointClient client) {
        assertThat(mismatches).as("a repeat carries its first copy's endpoint, activity and MessageId").isEmpty();
        assertThat(repeatsWithoutKill).as("a repeat only after a kill").isEmpty();
        Map<String, List<String>> keysByMessage = new TreeMap<>();
        List<String> otherKeys = new ArrayList<>();
        byKey.forEach((key, delivery) -> {
            keysByMessage.computeIfAbsent(delivery.endpointId() + " " + delivery.activityId(), m -> new ArrayList<>())
                    .add(key);
            if (!key.equals(journey + "/" + delivery.endpointId() + "/1/" + delivery.activityId())) {
                otherKeys.add(key);
            }
        });
        List<String> missing = new ArrayList<>();
        for (int i = 0; i < endpoints; i++) {
            for (String activity : List.of("sms1", "sms2")) {
                if (!keysByMessage.containsKey(endpointId(i) + " " + activity)) {
                    missing.add(endpointId(i) + " " + activity);
                }
            }
        }
        assertThat(firstFew(missing)).as("messages never received").isEmpty();
        assertThat(firstFew(keysByMessage.entrySet().stream().filter(m -> m.getValue().size() > 1).toList()))
                .as("messages received under more than one key").isEmpty();
        assertThat(firstFew(otherKeys)).as("keys that are not journey/endpoint/1/activity").isEmpty();
        assertThat(keysByMessage).as("messages received").hasSize(2 * endpoints);
        long repeats = posts.get() - byKey.size();
        assertThat(repeatsByKill()).as("repeats by the kill that caused them: only messages the dead node held")
                .allSatisfy((kill, count) -> assertThat(count).isLessThanOrEqualTo(SMS_MOST_IN_HAND));

        Map<String, String> journeyMetrics = journeyMetrics(client);
        assertThat(journeyMetrics).as("journey metrics").containsEntry("ENDPOINT_ENTERED", n(endpoints))
                .containsEntry("ENDPOINT_LEFT", n(endpoints)).containsEntry("ENDPOINT_ACTIVE", "0")
                .doesNotContainKeys("ACTIVE_ENDPOINT_REJECTED", "REENTRY_CAP_EXCEEDED", "CANCELLED");
        List<JourneyRunResponse> runs = client.getJourneyRuns(r -> r.applicationId(app).journeyId(journey))
                .journeyRunsResponse().item();
        assertThat(runs).as("runs").hasSize(1);
        assertThat(runs.get(0).statusAsString()).isEqualTo("COMPLETED");
        Map<String, String> runMetrics = client.getJourneyRunExecutionMetrics(r -> r.applicationId(app)
                .journeyId(journey).runId(runs.get(0).runId())).journeyRunExecutionMetricsResponse().metrics();
        assertThat(runMetrics).as("run metrics: every endpoint produced once, entered once, left once")
                .isEqualTo(Map.of("ENDPOINT_PRODUCED", n(endpoints), "ENDPOINT_ENTERED", n(endpoints),
                        "ENDPOINT_LEFT", n(endpoints), "ENDPOINT_ACTIVE", "0"));
        Map<String, Map<String, String>> activities = new LinkedHashMap<>();
        for (String activity : ACTIVITIES) {
            activities.put(activity, client.getJourneyExecutionActivityMetrics(r -> r.applicationId(app)
                    .journeyId(journey).journeyActivityId(activity)).journeyExecutionActivityMetricsResponse()
                    .metrics());
        }
        assertThat(activities).as("activity metrics: none moved twice").isEqualTo(Map.of(
                "wait1", Map.of("COMPLETED", n(endpoints)), "sms1", Map.of("SUCCESS", n(endpoints)),
                "wait2", Map.of("COMPLETED", n(endpoints)), "sms2", Map.of("SUCCESS", n(endpoints))));

        assertThat(query("SELECT phase, entries, messages, COUNT(*) FROM participants GROUP BY phase, entries, "
                + "messages", EngineCrashJourney::rows)).as("participants: (phase, entries, messages) → how many")
                .isEqualTo(Map.of("FINISHED 1 2", (long) endpoints));
        assertThat(outboxStates()).as("outbox").isEqualTo(Map.of("DELIVERED", 2L * endpoints));
        assertThat(query("SELECT event_type, COUNT(*) FROM events WHERE app_id = '" + app + "' GROUP BY event_type",
                EngineCrashJourney::rows)).as("event log: each outcome once")
                .isEqualTo(Map.of("_journey.send", 2L * endpoints, "_SMS.SUCCESS", 2L * endpoints));
        return repeats;
    }

    private Map<String, String> journeyMetrics(PinpointClient client) {
        return client.getJourneyExecutionMetrics(r -> r.applicationId(app).journeyId(journey))
                .journeyExecutionMetricsResponse().metrics();
    }

    private Map<String, Long> outboxStates() {
        return query("SELECT state, COUNT(*) FROM outbox GROUP BY state", EngineCrashJourney::rows);
    }

    /** Participants still in the journey, by phase, straight from the store. */
    Map<String, Long> phases() {
        return query("SELECT phase, COUNT(*) FROM participants WHERE finished_ms IS NULL GROUP BY phase",
                EngineCrashJourney::rows);
    }

    /** How many, and the first five: enough to read in a failure, short enough to print. */
    private static List<String> firstFew(List<?> items) {
        if (items.isEmpty()) {
            return List.of();
        }
        List<String> few = new ArrayList<>(List.of(items.size() + " in all"));
        items.stream().limit(5).map(String::valueOf).forEach(few::add);
        return few;
    }

    private static String n(long value) {
        return Long.toString(value);
    }

    /** A grouped count: every column but the last joined by spaces → the last. */
    private static Map<String, Long> rows(ResultSet rows) throws SQLException {
        Map<String, Long> counts = new TreeMap<>();
        int columns = rows.getMetaData().getColumnCount();
        while (rows.next()) {
            List<String> key = new ArrayList<>();
            for (int c = 1; c < columns; c++) {
                key.add(rows.getString(c));
            }
            counts.put(String.join(" ", key), rows.getLong(columns));
        }
        return counts;
    }

    /** What a result set gives. */
    interface Reader<T> {
        T read(ResultSet rows) throws SQLException;
    }

    /** A query straight on the store, beside the servers (SQLite's WAL lets it read while they write). */
    <T> T query(String sql, Reader<T> reader) {
        try (Connection db = DriverManager.getConnection(jdbcUrl); Statement statement = db.createStatement();
             ResultSet rows = statement.executeQuery(sql)) {
            return reader.read(rows);
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    /** Polls {@code done} every 20 ms; fails with {@code state} after {@code timeout}. */
    static void await(Duration timeout, BooleanSupplier done, java.util.function.Supplier<String> state)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("after " + timeout + ": " + state.get());
            }
            Thread.sleep(20);
        }
    }

    /** Repeated copies by the kill that caused them: kill n ends epoch n - 1, in which their first copy arrived. */
    Map<Integer, Long> repeatsByKill() {
        Map<Integer, Long> repeats = new TreeMap<>();
        byKey.values().stream().filter(d -> d.copies().get() > 1)
                .forEach(d -> repeats.merge(d.epoch() + 1, (long) d.copies().get() - 1, Long::sum));
        return repeats;
    }

    @Override
    public void close() {
        receiver.stop(0);
        receiverThreads.shutdownNow();
    }
}
