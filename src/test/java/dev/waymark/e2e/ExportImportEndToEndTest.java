package dev.waymark.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.waymark.cli.WaymarkCommand;
import dev.waymark.runs.JourneyRun;
import dev.waymark.runs.RunStatus;
import dev.waymark.runs.StoredRuns;
import dev.waymark.server.ServerConfig;
import dev.waymark.store.sql.SqlStore;
import dev.waymark.store.sql.SqlTransfer;
import dev.waymark.wire.Ids;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.pinpoint.PinpointClient;
import software.amazon.awssdk.services.pinpoint.model.ApplicationResponse;
import software.amazon.awssdk.services.pinpoint.model.JourneyResponse;

/** Moving a store from SQLite to PostgreSQL with export and import: every API answer stays the same. */
class ExportImportEndToEndTest {
    @TempDir
    Path dir;

    @Test
    void fromSqliteToPostgresqlEveryAnswerIsTheSame() throws Exception {
        Path dataDir = dir.resolve("sqlite");
        List<Object> before;
        try (WaymarkTestServer sqlite = WaymarkTestServer.start(ServerConfig.defaults(dataDir, 0))) {
            PinpointClient client = sqlite.client();
            String app = client.createApp(r -> r.createApplicationRequest(a -> a.name("moved").tags(Map.of("k", "v"))))
                    .applicationResponse().id();
            client.createApp(r -> r.createApplicationRequest(a -> a.name("second")));
            sqlite.defineSampleSegments(app);
            String segment = client.createSegment(r -> r.applicationId(app).writeSegmentRequest(SegmentsEndToEndTest
                    .dimensional("moved", SegmentsEndToEndTest.PRO_IN_FRANCE).toBuilder().tags(Map.of("s", "t"))
                    .build())).segmentResponse().id();
            client.updateSegment(r -> r.applicationId(app).segmentId(segment).writeSegmentRequest(
                    SegmentsEndToEndTest.dimensional("moved 2", SegmentsEndToEndTest.SMS)));
            try (var db = java.sql.DriverManager.getConnection(sqlite.jdbcUrl())) {
                db.createStatement().executeUpdate("INSERT INTO import_segment_members (app_id, segment_id, "
                        + "endpoint_key) VALUES ('" + app + "', 'segment1', 'phone')");
            }
            client.updateApplicationSettings(r -> r.applicationId(app).writeApplicationSettingsRequest(w -> w
                    .quietTime(q -> q.start("22:00").end("07:00")).journeyLimits(j -> j.dailyCap(3))));
            String draft = client.createJourney(r -> r.applicationId(app)
                    .writeJourneyRequest(SampleJourneys.everything("draft"))).journeyResponse().id();
            String active = client.createJourney(r -> r.applicationId(app).writeJourneyRequest(SampleJourneys
                    .startingTomorrow("active").toBuilder().refreshFrequency("PT1H").state("ACTIVE").build()))
                    .journeyResponse().id();
            client.tagResource(r -> r.resourceArn("arn:aws:mobiletargeting:us-east-1:000000000000:apps/" + app
                    + "/journeys/" + active).tagsModel(t -> t.tags(Map.of("journey", "tag"))));
            Instant base = Instant.parse("2026-01-01T00:00:00Z");
            for (int i = 1; i <= 150; i++) {
                Instant at = base.plusSeconds(i);
                StoredRuns.insert(sqlite.jdbcUrl(), new JourneyRun(draft, Ids.newId(), i, RunStatus.COMPLETED,
                        at, at, at, at));
            }
            client.updateEndpoint(r -> r.applicationId(app).endpointId("Phone").endpointRequest(e -> e
                    .channelType("SMS").address("+12065550100").attributes(Map.of("plan", List.of("gold", "trial")))
                    .metrics(Map.of("visits", 2.5)).location(l -> l.country("US").latitude(47.6).longitude(-122.3))
                    .demographic(d -> d.timezone("America/Los_Angeles")).user(u -> u.userId("alice")
                            .userAttributes(Map.of("name", List.of("Alice"))))));
            client.removeAttributes(r -> r.applicationId(app).attributeType("endpoint-custom-attributes")
                    .updateAttributesRequest(u -> u.blacklist("secret*")));
            client.putEvents(r -> r.applicationId(app).eventsRequest(e -> e.batchItem(Map.of("phone",
                    software.amazon.awssdk.services.pinpoint.model.EventsBatch.builder()
                            .endpoint(p -> p.channelType("SMS").address("+12065550100"))
                            .events(Map.of("e1", software.amazon.awssdk.services.pinpoint.model.Event.builder()
                                    .eventType("call.made").timestamp("2026-01-01T00:00:00Z")
                                    .attributes(Map.of("kind", "voice")).metrics(Map.of("seconds", 12.0))
                                    .session(x -> x.id("s1").startTimestamp("2026-01-01T00:00:00Z")).build()))
                            .build()))));
            before = answers(client, app);
            before.add(endpointAnswers(client, app));
            before.add(sqlite.server().store().events().ofEndpoint(app, "phone", Instant.EPOCH, 10));
        }

        Path file = dir.resolve("waymark.jsonl");
        assertThat(run("export", file.toString(), "--data-dir", dataDir.toString()))
                .contains("151 journey runs").contains("2 apps").contains("1 app settings").contains("2 journeys");
        String postgres = TestDatabases.newPostgresDatabase();
        assertThat(run("import", file.toString(), "--db-url", postgres)).contains("imported").contains("151 journey runs");
        assertThat(runFailing("import", file.toString(), "--db-url", postgres)).isEqualTo(1);

        try (WaymarkTestServer moved = WaymarkTestServer.start(ServerConfig.defaults(dir.resolve("unused"), 0)
                .withDbUrl(postgres))) {
            PinpointClient client = moved.client();
            String app = client.getApps(r -> r.pageSize("1")).applicationsResponse().item().get(0).id();
            List<Object> after = answers(client, app);
            after.add(endpointAnswers(client, app));
            after.add(moved.server().store().events().ofEndpoint(app, "phone", Instant.EPOCH, 10));
            assertThat(after).isEqualTo(before);
            try (var db = java.sql.DriverManager.getConnection(moved.jdbcUrl());
                 var rows = db.createStatement().executeQuery("SELECT count(*) FROM import_segment_members")) {
                rows.next();
                assertThat(rows.getInt(1)).as("IMPORT segment members moved").isEqualTo(1);
            }
            // Positions continue after the moved segments: a new one is listed last.
            String added = client.createSegment(r -> r.applicationId(app).writeSegmentRequest(SegmentsEndToEndTest
                    .dimensional("new", SegmentsEndToEndTest.SMS))).segmentResponse().id();
            assertThat(client.getSegments(r -> r.applicationId(app)).segmentsResponse().item())
                    .last().extracting(software.amazon.awssdk.services.pinpoint.model.SegmentResponse::id)
                    .isEqualTo(added);
            // The blacklist moved too: new values for it are not captured.
            client.updateEndpoint(r -> r.applicationId(app).endpointId("phone").endpointRequest(e -> e
                    .attributes(Map.of("secretCode", List.of("1")))));
            assertThat(client.getEndpoint(r -> r.applicationId(app).endpointId("phone")).endpointResponse()
                    .attributes()).doesNotContainKey("secretCode");
        }
    }

    private static List<Object> endpointAnswers(PinpointClient client, String app) {
        return List.of(client.getEndpoint(r -> r.applicationId(app).endpointId("phone")).endpointResponse(),
                client.getUserEndpoints(r -> r.applicationId(app).userId("alice")).endpointsResponse());
    }

    @Test
    void theExportIsOwnerOnlyAndATruncatedOrAlteredFileIsRefused() throws Exception {
        Path dataDir = dir.resolve("source");
        try (WaymarkTestServer sqlite = WaymarkTestServer.start(ServerConfig.defaults(dataDir, 0))) {
            String app = sqlite.client().createApp(r -> r.createApplicationRequest(a -> a.name("kept")))
                    .applicationResponse().id();
            sqlite.client().createJourney(r -> r.applicationId(app).writeJourneyRequest(SampleJourneys.simple("j")));
        }
        Path file = dir.resolve("backup.jsonl");
        run("export", file.toString(), "--data-dir", dataDir.toString());
        assertThat(Files.getPosixFilePermissions(file)).containsExactlyInAnyOrder(
                PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
        try (var listing = Files.list(dir)) {
            assertThat(listing.map(path -> path.getFileName().toString())).containsExactlyInAnyOrder("source",
                    "backup.jsonl");
        }
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);

        Path withoutTrailer = dir.resolve("truncated.jsonl");
        Files.write(withoutTrailer, lines.subList(0, lines.size() - 1), StandardCharsets.UTF_8);
        assertRefused(withoutTrailer, "trailer");
        Path cut = dir.resolve("cut.jsonl");
        byte[] whole = Files.readAllBytes(file);
        Files.write(cut, java.util.Arrays.copyOf(whole, whole.length / 2));
        assertRefused(cut, "nothing was imported");

        // A column the store does not know, in a file whose trailer is made to match: refused all the same.
        List<String> altered = new ArrayList<>(lines.subList(0, lines.size() - 1));
        int appLine = altered.indexOf(altered.stream().filter(line -> line.contains("\"table\":\"apps\"")).findFirst()
                .orElseThrow());
        altered.set(appLine, altered.get(appLine).replace("{\"id\"", "{\"name) VALUES ('x'); --\":1,\"id\""));
        StringBuilder body = new StringBuilder();
        altered.forEach(line -> body.append(line).append('\n'));
        String sha = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                .digest(body.toString().getBytes(StandardCharsets.UTF_8)));
        String trailer = lines.get(lines.size() - 1).replaceAll("\"sha256\":\"[0-9a-f]+\"", "\"sha256\":\"" + sha + "\"");
        Path unknownColumn = dir.resolve("column.jsonl");
        Files.writeString(unknownColumn, body + trailer + "\n", StandardCharsets.UTF_8);
        assertRefused(unknownColumn, "has no column 'name) VALUES ('x'); --'");
    }

    @Test
    void importIntoNonEmptyKeepsWhatTheFileDoesNotHold() throws Exception {
        Path dataDir = dir.resolve("store");
        String app;
        String journey;
        try (WaymarkTestServer sqlite = WaymarkTestServer.start(ServerConfig.defaults(dataDir, 0))) {
            app = sqlite.client().createApp(r -> r.createApplicationRequest(a -> a.name("merged")))
                    .applicationResponse().id();
            journey = sqlite.client().createJourney(r -> r.applicationId(app)
                    .writeJourneyRequest(SampleJourneys.simple("in-file"))).journeyResponse().id();
            insertRuns(sqlite, journey, 1, 2);
        }
        Path file = dir.resolve("backup.jsonl");
        run("export", file.toString(), "--data-dir", dataDir.toString());
        String later;
        try (WaymarkTestServer sqlite = WaymarkTestServer.start(ServerConfig.defaults(dataDir, 0))) {
            later = sqlite.client().createJourney(r -> r.applicationId(app)
                    .writeJourneyRequest(SampleJourneys.simple("not-in-file"))).journeyResponse().id();
            insertRuns(sqlite, journey, 3, 4);
        }

        assertThat(run("import", file.toString(), "--into-non-empty", "--data-dir", dataDir.toString()))
                .contains("1 apps").contains("2 journey runs");

        try (WaymarkTestServer sqlite = WaymarkTestServer.start(ServerConfig.defaults(dataDir, 0))) {
            PinpointClient client = sqlite.client();
            assertThat(client.listJourneys(r -> r.applicationId(app)).journeysResponse().item())
                    .extracting(JourneyResponse::id).containsExactly(journey, later);
            assertThat(RunPages.walk(client, app, journey, "100").get(0).item()).hasSize(4);
        }
    }

    private static void insertRuns(WaymarkTestServer server, String journey, int from, int to) {
        Instant base = Instant.parse("2026-01-01T00:00:00Z");
        for (int i = from; i <= to; i++) {
            Instant at = base.plusSeconds(i);
            StoredRuns.insert(server.jdbcUrl(), new JourneyRun(journey, Ids.newId(), i, RunStatus.COMPLETED,
                    at, at, at, at));
        }
    }

    /** Import of {@code file} into a new store fails naming {@code why}, imports nothing, and never says 100 %. */
    private void assertRefused(Path file, String why) throws Exception {
        Path target = dir.resolve("target-" + file.getFileName());
        PrintStream original = System.err;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        System.setErr(new PrintStream(printed, true, StandardCharsets.UTF_8));
        int code;
        try {
            code = WaymarkCommand.commandLine().execute("import", file.toString(), "--data-dir", target.toString());
        } finally {
            System.setErr(original);
        }
        String errors = printed.toString(StandardCharsets.UTF_8);
        assertThat(code).as(errors).isEqualTo(1);
        assertThat(errors).contains(why).doesNotContain("100%");
        try (SqlStore store = SqlStore.open("jdbc:sqlite:" + target.resolve("waymark.db"))) {
            assertThat(SqlTransfer.isEmpty(store)).isTrue();
        }
    }

    /** Everything a client can read, page tokens included. */
    private static List<Object> answers(PinpointClient client, String app) {
        List<Object> answers = new ArrayList<>();
        var firstApps = client.getApps(r -> r.pageSize("1")).applicationsResponse();
        answers.add(firstApps);
        answers.add(client.getApps(r -> r.pageSize("1").token(firstApps.nextToken())).applicationsResponse());
        answers.add(client.getApp(r -> r.applicationId(app)).applicationResponse());
        List<JourneyResponse> journeys = client.listJourneys(r -> r.applicationId(app)).journeysResponse().item();
        answers.add(journeys);
        for (JourneyResponse journey : journeys) {
            var runs = client.getJourneyRuns(r -> r.applicationId(app).journeyId(journey.id())).journeyRunsResponse();
            answers.add(runs);
            if (runs.nextToken() != null) {
                answers.add(client.getJourneyRuns(r -> r.applicationId(app).journeyId(journey.id())
                        .token(runs.nextToken())).journeyRunsResponse());
            }
            answers.add(client.listTagsForResource(r -> r.resourceArn(
                    "arn:aws:mobiletargeting:us-east-1:000000000000:apps/" + app + "/journeys/" + journey.id()))
                    .tagsModel());
        }
        answers.add(client.getApplicationSettings(r -> r.applicationId(app)).applicationSettingsResource());
        var segments = client.getSegments(r -> r.applicationId(app)).segmentsResponse();
        answers.add(segments);
        for (var segment : segments.item()) {
            answers.add(client.getSegmentVersions(r -> r.applicationId(app).segmentId(segment.id()))
                    .segmentsResponse());
            answers.add(client.listTagsForResource(r -> r.resourceArn(segment.arn())).tagsModel());
        }
        assertThat(segments.item()).hasSize(WaymarkTestServer.SAMPLE_SEGMENTS.size() + 1);
        assertThat(answers).hasSizeGreaterThan(7);
        assertThat(((List<?>) answers.get(3))).hasSize(2);
        assertThat(firstApps.item()).extracting(ApplicationResponse::name).containsExactly("moved");
        return answers;
    }

    private static String run(String... args) {
        PrintStream original = System.out;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
        try {
            assertThat(WaymarkCommand.commandLine().execute(args)).as(String.join(" ", args)).isZero();
        } finally {
            System.setOut(original);
        }
        return printed.toString(StandardCharsets.UTF_8);
    }

    private static int runFailing(String... args) {
        PrintStream original = System.err;
        System.setErr(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        try {
            return WaymarkCommand.commandLine().execute(args);
        } finally {
            System.setErr(original);
        }
    }
}
