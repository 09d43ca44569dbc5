package dev.waymark.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.waymark.auth.AccessKey;
import dev.waymark.server.ServerConfig;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.pinpoint.PinpointClient;
import software.amazon.awssdk.services.pinpoint.model.BadRequestException;
import software.amazon.awssdk.services.pinpoint.model.ExportJobResponse;
import software.amazon.awssdk.services.pinpoint.model.ForbiddenException;
import software.amazon.awssdk.services.pinpoint.model.ImportJobResponse;
import software.amazon.awssdk.services.pinpoint.model.ImportJobsResponse;
import software.amazon.awssdk.services.pinpoint.model.NotFoundException;

/** Import and export jobs through the Java SDK: formats, sources, refusals, progress, paging, segments, scoped keys. */
class ImportExportJobsEndToEndTest extends EndToEndTest {
    private static final String ROLE = "arn:aws:iam::000000000000:role/import";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path files;

    Path imports;
    Path exports;

    /** Restarts this test's Waymark on the same store with --import-dir and --export-dir set. */
    void withDirectories(UnaryOperator<ServerConfig> more) throws Exception {
        imports = Files.createDirectories(files.resolve("imports"));
        exports = Files.createDirectories(files.resolve("exports"));
        ServerConfig same = store.equals("sqlite") ? ServerConfig.defaults(dataDir, 0)
                : ServerConfig.defaults(dataDir, 0).withDbUrl(waymark.jdbcUrl());
        waymark.close();
        waymark = WaymarkTestServer.start(more.apply(same.withImportDir(imports).withExportDir(exports)));
        client = waymark.client();
    }

    ImportJobResponse importJob(String app, String format, String url) {
        return client.createImportJob(r -> r.applicationId(app).importJobRequest(i -> i.format(format).roleArn(ROLE)
                .s3Url(url))).importJobResponse();
    }

    static ImportJobResponse awaitImport(PinpointClient client, String app, String jobId) throws InterruptedException {
        return awaitImport(client, app, jobId, 60);
    }

    /** Polls the job until it ends or {@code seconds} pass; returns it as last seen. */
    static ImportJobResponse awaitImport(PinpointClient client, String app, String jobId, int seconds)
            throws InterruptedException {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        while (true) {
            ImportJobResponse job = client.getImportJob(r -> r.applicationId(app).jobId(jobId)).importJobResponse();
            if (Set.of("COMPLETED", "FAILED").contains(job.jobStatusAsString()) || System.nanoTime() > deadline) {
                return job;
            }
            Thread.sleep(100);
        }
    }

    static ExportJobResponse awaitExport(PinpointClient client, String app, String jobId) throws InterruptedException {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (true) {
            ExportJobResponse job = client.getExportJob(r -> r.applicationId(app).jobId(jobId)).exportJobResponse();
            if (Set.of("COMPLETED", "FAILED").contains(job.jobStatusAsString()) || System.nanoTime() > deadline) {
                return job;
            }
            Thread.sleep(50);
        }
    }

    /** The endpoints of an export file (gzip, one JSON object a line). */
    static List<JsonNode> exported(InputStream gzip) throws IOException {
        List<JsonNode> endpoints = new ArrayList<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(new GZIPInputStream(gzip),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                endpoints.add(JSON.readTree(line));
            }
        }
        return endpoints;
    }

    @Test
    void aCsvFileImportsItsRowsAndReportsEachBadRowWithItsLine() throws Exception {
        withDirectories(UnaryOperator.identity());
        String app = createApp("csv");
        Path file = Files.writeString(imports.resolve("people.csv"),
                "ChannelType,Address,Id,User.UserId,Attributes.Plan,Attributes.Plan,User.UserAttributes.Name,"
                        + "Metrics.visits,Demographic.Timezone,Location.Country\n"
                        + "EMAIL,one@example.com,imported-1,u1,pro,team,Ada,3,Europe/Paris,FR\n"
                        + "EMAIL,two@example.com,imported-2,u2,free,,,,,\n"
                        + "EMAIL,three@example.com,imported-3,u3,,,,many,,\n"
                        + "PIGEON,four@example.com,imported-4,u4,,,,,,\n"
                        + "SMS,+15555550100,imported-5,,,,,,,\n");
        ImportJobResponse created = importJob(app, "CSV", file.toUri().toString());
        assertThat(created.type()).isEqualTo("IMPORT");
        assertThat(created.applicationId()).isEqualTo(app);
        assertThat(created.definition().s3Url()).isEqualTo(file.toUri().toString());
        assertThat(created.definition().roleArn()).isEqualTo(ROLE);
        assertThat(created.definition().formatAsString()).isEqualTo("CSV");
        assertThat(Instant.parse(created.creationDate())).isBefore(Instant.now().plusSeconds(1));

        ImportJobResponse done = awaitImport(client, app, created.id());
        assertThat(done.jobStatusAsString()).isEqualTo("COMPLETED");
        assertThat(done.totalPieces()).isEqualTo(1);
        assertThat(done.completedPieces()).isEqualTo(1);
        assertThat(done.failedPieces()).isZero();
        assertThat(done.totalProcessed()).isEqualTo(5);
        assertThat(done.totalFailures()).isEqualTo(2);
        assertThat(done.failures()).hasSize(2);
        assertThat(done.failures().get(0)).startsWith("line 4: Metrics.visits must be a number");
        assertThat(done.failures().get(1)).startsWith("line 5: ").containsIgnoringCase("ChannelType");
        assertThat(done.completionDate()).isNotNull();

        var one = client.getEndpoint(r -> r.applicationId(app).endpointId("imported-1")).endpointResponse();
        assertThat(one.attributes()).containsEntry("Plan", List.of("pro", "team"));
        assertThat(one.user().userAttributes()).containsEntry("Name", List.of("Ada"));
        assertThat(one.metrics()).containsEntry("visits", 3.0);
        assertThat(one.demographic().timezone()).isEqualTo("Europe/Paris");
        assertThat(one.location().country()).isEqualTo("FR");
        assertThat(client.getEndpoint(r -> r.applicationId(app).endpointId("imported-5")).endpointResponse().address())
                .isEqualTo("+15555550100");
        assertThatThrownBy(() -> client.getEndpoint(r -> r.applicationId(app).endpointId("imported-3")))
                .isInstanceOf(NotFoundException.class);
    }

    @Test
    void aJsonFileImportsOneEndpointBatchItemALine() throws Exception {
        withDirectories(UnaryOperator.identity());
        String app = createApp("json");
        Path file = Files.writeString(imports.resolve("people.json"),
                "{\"Id\":\"j1\",\"ChannelType\":\"EMAIL\",\"Address\":\"j1@example.com\",\"Attributes\":{\"A\":[\"x\"]}}\n"
                        + "{not json}\n"
                        + "{\"Id\":\"j2\",\"ChannelType\":\"EMAIL\",\"Address\":\"j2@example.com\"}\n"
                        + "{\"Id\":5,\"ChannelType\":\"EMAIL\",\"Address\":\"five@example.com\"}\n"
                        + "{\"Id\":\"j3\",\"Attributes\":\"not a map\"}\n");
        ImportJobResponse done = awaitImport(client, app, importJob(app, "JSON", file.toUri().toString()).id());
        assertThat(done.jobStatusAsString()).isEqualTo("COMPLETED");
        assertThat(done.totalProcessed()).isEqualTo(5);
        assertThat(done.totalFailures()).isEqualTo(3);
        assertThat(done.failures().get(0)).startsWith("line 2: the line is not valid JSON");
        assertThat(done.failures().get(1)).startsWith("line 4: ");
        assertThat(done.failures().get(2)).startsWith("line 5: ");
        assertThat(client.getEndpoint(r -> r.applicationId(app).endpointId("j1")).endpointResponse().attributes())
                .containsEntry("A", List.of("x"));
    }

    @Test
    void aDirectoryImportsEachFileOfTheFormatAndABrokenFileFailsAlone() throws Exception {
        withDirectories(UnaryOperator.identity());
        String app = createApp("directory");
        Path batch = Files.createDirectories(imports.resolve("batch/inner"));
        Files.writeString(imports.resolve("batch/a.csv"), "ChannelType,Address,Id\nEMAIL,a@example.com,d1\n");
        Files.writeString(batch.resolve("b.csv"), "ChannelType,Address,Id\nEMAIL,b@example.com,d2\n"
                + "EMAIL,c@example.com,d3\n");
        Files.writeString(imports.resolve("batch/broken.csv"), "ChannelType,Shoe.Size\nEMAIL,44\n");
        Files.writeString(imports.resolve("batch/ignored.json"), "{\"Id\":\"never\"}\n");
        ImportJobResponse done = awaitImport(client, app, importJob(app, "CSV", imports.resolve("batch").toUri()
                .toString()).id());
        assertThat(done.jobStatusAsString()).isEqualTo("FAILED");
        assertThat(done.totalPieces()).isEqualTo(3);
        assertThat(done.completedPieces()).isEqualTo(2);
        assertThat(done.failedPieces()).isEqualTo(1);
        assertThat(done.totalProcessed()).isEqualTo(3);
        assertThat(done.failures()).singleElement().asString()
                .startsWith("broken.csv line 1: unknown column 'Shoe.Size'");
        assertThat(client.getEndpoint(r -> r.applicationId(app).endpointId("d3")).endpointResponse().address())
                .isEqualTo("c@example.com");
        assertThatThrownBy(() -> client.getEndpoint(r -> r.applicationId(app).endpointId("never")))
                .isInstanceOf(NotFoundException.class);
    }

    @Test
    void onlyTheFirstHundredFailuresAreKeptButAllAreCounted() throws Exception {
        withDirectories(UnaryOperator.identity());
        String app = createApp("failures");
        StringBuilder csv = new StringBuilder("ChannelType,Address,Id,Metrics.visits\n");
        for (int i = 0; i < 150; i++) {
            csv.append("EMAIL,bad").append(i).append("@example.com,bad").append(i).append(",lots\n");
        }
        csv.append("EMAIL,good@example.com,good,1\n");
        Path file = Files.writeString(imports.resolve("failures.csv"), csv.toString());
        ImportJobResponse done = awaitImport(client, app, importJob(app, "CSV", file.toUri().toString()).id());
        assertThat(done.jobStatusAsString()).isEqualTo("COMPLETED");
        assertThat(done.totalProcessed()).isEqualTo(151);
        assertThat(done.totalFailures()).isEqualTo(150);
        assertThat(done.failures()).hasSize(100);
        assertThat(done.failures().get(99)).startsWith("line 101: Metrics.visits must be a number");
    }

    @Test
    void fileUrlsAreRefusedWithoutTheFlagAndOutsideTheDirectory() throws Exception {
        String app = createApp("refusals");
        Path outside = Files.writeString(files.resolve("secret.csv"), "Id\nx\n");
        assertBadRequest(() -> importJob(app, "CSV", outside.toUri().toString()),
                "file:// URLs are refused because the server was started without --import-dir");
        assertBadRequest(() -> client.createExportJob(r -> r.applicationId(app).exportJobRequest(e -> e.roleArn(ROLE)
                .s3UrlPrefix(files.toUri().toString()))), "started without --export-dir");

        withDirectories(UnaryOperator.identity());
        String rule = "file:// URLs must name a path inside the directory set by --import-dir";
        assertBadRequest(() -> importJob(app, "CSV", outside.toUri().toString()), rule);
        assertBadRequest(() -> importJob(app, "CSV", "file://" + imports + "/../secret.csv"), rule);
        Path link = imports.resolve("link.csv");
        Files.createSymbolicLink(link, outside);
        assertBadRequest(() -> importJob(app, "CSV", link.toUri().toString()), rule);
        Path linkedDir = imports.resolve("elsewhere");
        Files.createSymbolicLink(linkedDir, files);
        assertBadRequest(() -> importJob(app, "CSV", "file://" + linkedDir + "/secret.csv"), rule);
        assertBadRequest(() -> importJob(app, "CSV", "file:///etc/passwd"), rule);
        assertBadRequest(() -> importJob(app, "CSV", "file:secret.csv"), rule);
        assertBadRequest(() -> client.createExportJob(r -> r.applicationId(app).exportJobRequest(e -> e.roleArn(ROLE)
                .s3UrlPrefix(files.toUri().toString()))), "inside the directory set by --export-dir");

        assertBadRequest(() -> importJob(app, "XML", "s3://bucket/key"), "ImportJobRequest.Format must be CSV or JSON");
        assertBadRequest(() -> client.createImportJob(r -> r.applicationId(app).importJobRequest(i -> i.format("CSV")
                .s3Url("s3://bucket/key"))), "ImportJobRequest.RoleArn is required");
        assertBadRequest(() -> client.createImportJob(r -> r.applicationId(app).importJobRequest(i -> i.format("CSV")
                .roleArn(ROLE))), "ImportJobRequest.S3Url is required");
        assertBadRequest(() -> importJob(app, "CSV", "ftp://host/file"), "must be an s3://, https:// or file:// URL");
        assertThatThrownBy(() -> client.createExportJob(r -> r.applicationId(app).exportJobRequest(e -> e.roleArn(ROLE)
                .s3UrlPrefix("s3://bucket/x").segmentId("nope")))).isInstanceOf(NotFoundException.class)
                .hasMessageContaining("Segment 'nope' not found in application '" + app + "'");
        assertThat(client.getImportJobs(r -> r.applicationId(app)).importJobsResponse().item()).isEmpty();
    }

    @Test
    void jobsArePagedAndBelongToTheirApp() throws Exception {
        withDirectories(UnaryOperator.identity());
        String app = createApp("paged");
        String other = createApp("other");
        Path file = Files.writeString(imports.resolve("one.csv"), "ChannelType,Address,Id\nEMAIL,a@example.com,p1\n");
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ids.add(importJob(app, "CSV", file.toUri().toString()).id());
        }
        List<String> listed = new ArrayList<>();
        String token = null;
        int pages = 0;
        do {
            String from = token;
            ImportJobsResponse page = client.getImportJobs(r -> r.applicationId(app).pageSize("2").token(from))
                    .importJobsResponse();
            page.item().forEach(job -> listed.add(job.id()));
            token = page.nextToken();
            pages++;
        } while (token != null);
        assertThat(listed).containsExactlyInAnyOrderElementsOf(ids);
        assertThat(pages).isEqualTo(3);
        assertThat(client.getImportJobs(r -> r.applicationId(other)).importJobsResponse().item()).isEmpty();
        assertThatThrownBy(() -> client.getImportJob(r -> r.applicationId(other).jobId(ids.get(0))))
                .isInstanceOf(NotFoundException.class).hasMessageContaining(ids.get(0));
        assertThatThrownBy(() -> client.getExportJob(r -> r.applicationId(app).jobId(ids.get(0))))
                .isInstanceOf(NotFoundException.class);

        AccessKey key = AccessKey.generate(false, Set.of(other), false, Instant.now());
        waymark.server().store().accessKeys().insert(key);
        try (PinpointClient scoped = PinpointClient.builder().endpointOverride(waymark.endpoint())
                .region(Region.US_EAST_1).credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(key.id(), key.secret())))
                .overrideConfiguration(o -> o.retryStrategy(r -> r.maxAttempts(1))).build()) {
            assertThatThrownBy(() -> scoped.getImportJob(r -> r.applicationId(app).jobId(ids.get(0))))
                    .isInstanceOf(ForbiddenException.class);
            assertThatThrownBy(() -> scoped.getImportJobs(r -> r.applicationId(app)))
                    .isInstanceOf(ForbiddenException.class);
            assertThatThrownBy(() -> scoped.createImportJob(r -> r.applicationId(app).importJobRequest(i -> i
                    .format("CSV").roleArn(ROLE).s3Url(file.toUri().toString())))).isInstanceOf(ForbiddenException.class);
            // A scoped key reads only its app's folder of the import directory: tenants do not read each other's files.
            assertBadRequest(() -> scoped.createImportJob(r -> r.applicationId(other).importJobRequest(i -> i
                    .format("CSV").roleArn(ROLE).s3Url(file.toUri().toString()))), "its folder " + other);
            Path ownFile = Files.writeString(Files.createDirectories(imports.resolve(other)).resolve("own.csv"),
                    "ChannelType,Address,Id\nEMAIL,o@example.com,o1\n");
            String own = scoped.createImportJob(r -> r.applicationId(other).importJobRequest(i -> i.format("CSV")
                    .roleArn(ROLE).s3Url(ownFile.toUri().toString()))).importJobResponse().id();
            assertThat(scoped.getImportJobs(r -> r.applicationId(other)).importJobsResponse().item())
                    .extracting(ImportJobResponse::id).containsExactly(own);
        }
        for (String id : ids) {
            assertThat(awaitImport(client, app, id).jobStatusAsString()).isEqualTo("COMPLETED");
        }
        client.deleteApp(r -> r.applicationId(app));
        try (var db = java.sql.DriverManager.getConnection(waymark.jdbcUrl());
             var rows = db.createStatement().executeQuery("SELECT count(*) FROM audience_jobs WHERE app_id = '"
                     + app + "'")) {
            rows.next();
            assertThat(rows.getInt(1)).as("the deleted app's jobs").isZero();
        }
    }

    @Test
    void defineSegmentKeepsTheImportedEndpointsAndAnExportOfItWritesOnlyThem() throws Exception {
        withDirectories(UnaryOperator.identity());
        String app = createApp("segment");
        client.updateEndpoint(r -> r.applicationId(app).endpointId("outsider").endpointRequest(e -> e
                .channelType("EMAIL").address("outsider@example.com")));
        Path file = Files.writeString(imports.resolve("segment.csv"),
                "ChannelType,Address,Id\nEMAIL,s1@example.com,s1\nEMAIL,s2@example.com,s2\n");
        ImportJobResponse created = client.createImportJob(r -> r.applicationId(app).importJobRequest(i -> i
                .format("CSV").roleArn(ROLE).s3Url(file.toUri().toString()).defineSegment(true)
                .segmentName("From a file"))).importJobResponse();
        String segment = created.definition().segmentId();
        assertThat(segment).isNotBlank();
        assertThat(created.definition().segmentName()).isEqualTo("From a file");
        assertThat(created.definition().defineSegment()).isTrue();
        assertThat(awaitImport(client, app, created.id()).jobStatusAsString()).isEqualTo("COMPLETED");
        assertThat(client.getSegmentImportJobs(r -> r.applicationId(app).segmentId(segment)).importJobsResponse()
                .item()).extracting(ImportJobResponse::id).containsExactly(created.id());
        assertThatThrownBy(() -> client.getSegmentImportJobs(r -> r.applicationId(app).segmentId("unknown")))
                .isInstanceOf(NotFoundException.class);

        Path target = Files.createDirectories(exports.resolve("segment"));
        ExportJobResponse export = client.createExportJob(r -> r.applicationId(app).exportJobRequest(e -> e
                .roleArn(ROLE).s3UrlPrefix(target.toUri().toString()).segmentId(segment))).exportJobResponse();
        assertThat(export.type()).isEqualTo("EXPORT");
        assertThat(export.definition().segmentId()).isEqualTo(segment);
        ExportJobResponse done = awaitExport(client, app, export.id());
        assertThat(done.jobStatusAsString()).isEqualTo("COMPLETED");
        assertThat(done.totalProcessed()).isEqualTo(2);
        try (InputStream in = Files.newInputStream(target.resolve(export.id()).resolve("endpoints-1.json.gz"))) {
            assertThat(exported(in)).extracting(node -> node.get("Id").asText()).containsExactlyInAnyOrder("s1", "s2");
        }
        assertThat(client.getSegmentExportJobs(r -> r.applicationId(app).segmentId(segment)).exportJobsResponse()
                .item()).extracting(ExportJobResponse::id).containsExactly(export.id());
    }

    @Test
    void anExportWritesEveryEndpointOfTheApp() throws Exception {
        withDirectories(UnaryOperator.identity());
        String app = createApp("export");
        for (int i = 0; i < 2500; i += 100) {
            int from = i;
            client.updateEndpointsBatch(r -> r.applicationId(app).endpointBatchRequest(b -> b.item(
                    java.util.stream.IntStream.range(from, from + 100).mapToObj(n -> software.amazon.awssdk.services
                            .pinpoint.model.EndpointBatchItem.builder().id("e" + n).channelType("EMAIL")
                            .address("e" + n + "@example.com").build()).toList())));
        }
        ExportJobResponse export = client.createExportJob(r -> r.applicationId(app).exportJobRequest(e -> e
                .roleArn(ROLE).s3UrlPrefix(exports.toUri().toString()))).exportJobResponse();
        assertThat(export.jobStatusAsString()).isEqualTo("CREATED");
        ExportJobResponse done = awaitExport(client, app, export.id());
        assertThat(done.jobStatusAsString()).isEqualTo("COMPLETED");
        assertThat(done.totalProcessed()).isEqualTo(2500);
        assertThat(done.totalPieces()).isEqualTo(1);
        assertThat(done.completedPieces()).isEqualTo(1);
        List<JsonNode> endpoints;
        try (InputStream in = Files.newInputStream(exports.resolve(export.id()).resolve("endpoints-1.json.gz"))) {
            endpoints = exported(in);
        }
        assertThat(endpoints).hasSize(2500);
        assertThat(endpoints).extracting(node -> node.get("Id").asText()).doesNotHaveDuplicates();
        assertThat(endpoints.get(0).get("ApplicationId").asText()).isEqualTo(app);
        assertThat(client.getExportJobs(r -> r.applicationId(app)).exportJobsResponse().item())
                .extracting(ExportJobResponse::id).containsExactly(export.id());
    }

    @Test
    void s3PrefixesImportEachFileAsAPieceAndExportsWriteAnObject() throws Exception {
        try (MotoServer s3Server = MotoServer.start(files)) {
            // The server's S3 client finds these through the SDK's usual credential chain (system properties first).
            System.setProperty("aws.accessKeyId", "testing");
            System.setProperty("aws.secretAccessKey", "testing");
            withDirectories(config -> config.withJobs(config.jobs().withS3Endpoint(s3Server.endpoint())));
            try (S3Client s3 = S3Client.builder().endpointOverride(s3Server.endpoint()).forcePathStyle(true)
                    .region(Region.US_EAST_1).credentialsProvider(StaticCredentialsProvider.create(
                            AwsBasicCredentials.create("testing", "testing"))).build()) {
                s3.createBucket(r -> r.bucket("audience"));
                s3.putObject(r -> r.bucket("audience").key("in/a.csv"), RequestBody.fromString(
                        "ChannelType,Address,Id\nEMAIL,a1@example.com,a1\nEMAIL,a2@example.com,a2\n"));
                s3.putObject(r -> r.bucket("audience").key("in/more/b.csv"), RequestBody.fromString(
                        "ChannelType,Address,Id\nEMAIL,b1@example.com,b1\nEMAIL,b2@example.com,\n"));
                s3.putObject(r -> r.bucket("audience").key("in/notes.txt"), RequestBody.fromString("not a CSV"));
                String app = createApp("s3");
                ImportJobResponse done = awaitImport(client, app, importJob(app, "CSV", "s3://audience/in/").id());
                assertThat(done.jobStatusAsString()).isEqualTo("COMPLETED");
                assertThat(done.totalPieces()).isEqualTo(2);
                assertThat(done.completedPieces()).isEqualTo(2);
                assertThat(done.totalProcessed()).isEqualTo(4);
                assertThat(done.totalFailures()).isZero();
                assertThat(client.getEndpoint(r -> r.applicationId(app).endpointId("b1")).endpointResponse().address())
                        .isEqualTo("b1@example.com");

                ImportJobResponse missing = awaitImport(client, app, importJob(app, "CSV", "s3://nobucket/x.csv").id());
                assertThat(missing.jobStatusAsString()).isEqualTo("FAILED");
                assertThat(missing.failures()).singleElement().asString().startsWith("S3Url cannot be read");

                ExportJobResponse export = awaitExport(client, app, client.createExportJob(r -> r.applicationId(app)
                        .exportJobRequest(e -> e.roleArn(ROLE).s3UrlPrefix("s3://audience/out/"))).exportJobResponse()
                        .id());
                assertThat(export.jobStatusAsString()).isEqualTo("COMPLETED");
                assertThat(export.totalProcessed()).isEqualTo(4);
                try (InputStream in = s3.getObject(r -> r.bucket("audience")
                        .key("out/" + export.id() + "/endpoints-1.json.gz"))) {
                    assertThat(exported(in)).hasSize(4);
                }
            }
        } finally {
            System.clearProperty("aws.accessKeyId");
            System.clearProperty("aws.secretAccessKey");
        }
    }

    /** moto's S3 server in a process of its own (python3 -m moto.server), on a port it picks. */
    record MotoServer(Process process, URI endpoint) implements AutoCloseable {
        static MotoServer start(Path directory) throws Exception {
            Process process = new ProcessBuilder("python3", "-m", "moto.server", "-H", "127.0.0.1", "-p", "0")
                    .redirectErrorStream(true).redirectOutput(directory.resolve("moto.log").toFile()).start();
            long deadline = System.nanoTime() + 30_000_000_000L;
            Pattern running = Pattern.compile("Running on (http://127\\.0\\.0\\.1:[0-9]+)");
            while (System.nanoTime() < deadline && process.isAlive()) {
                Matcher matcher = running.matcher(Files.readString(directory.resolve("moto.log")));
                if (matcher.find()) {
                    return new MotoServer(process, URI.create(matcher.group(1)));
                }
                Thread.sleep(100);
            }
            process.destroyForcibly();
            Assumptions.assumeTrue(System.getenv("CI") != null, "moto (python3 -m moto.server) is not available: "
                    + Files.readString(directory.resolve("moto.log")));
            throw new IllegalStateException("moto did not start: " + Files.readString(directory.resolve("moto.log")));
        }

        @Override
        public void close() throws InterruptedException {
            process.destroy();
            process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
        }
    }

    private static void assertBadRequest(Runnable call, String message) {
        assertThatThrownBy(call::run).isInstanceOf(BadRequestException.class).hasMessageContaining(message);
    }
}
