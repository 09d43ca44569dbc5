package dev.waymark.e2e;

import static dev.waymark.e2e.ImportExportJobsEndToEndTest.awaitExport;
import static dev.waymark.e2e.ImportExportJobsEndToEndTest.awaitImport;
import static dev.waymark.e2e.ImportExportJobsEndToEndTest.exported;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.waymark.server.ServerConfig;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.pinpoint.model.BadRequestException;
import software.amazon.awssdk.services.pinpoint.model.EndpointBatchItem;
import software.amazon.awssdk.services.pinpoint.model.ExportJobResponse;
import software.amazon.awssdk.services.pinpoint.model.ImportJobResponse;
import software.amazon.awssdk.services.pinpoint.model.NotFoundException;
import software.amazon.awssdk.services.pinpoint.model.SegmentGroup;
import software.amazon.awssdk.services.pinpoint.model.SegmentReference;
import software.amazon.awssdk.services.pinpoint.model.SegmentResponse;
import software.amazon.awssdk.services.pinpoint.model.WriteSegmentRequest;

/** A segment's members read back through export jobs; IMPORT segments made and counted by import jobs. */
class SegmentMembershipEndToEndTest extends EndToEndTest {
    private static final String ROLE = "arn:aws:iam::000000000000:role/jobs";

    @TempDir
    Path files;
    Path imports;
    Path exports;

    /** This test's Waymark again on the same store, with --import-dir and --export-dir. */
    @BeforeEach
    void withDirectories() throws Exception {
        imports = Files.createDirectories(files.resolve("imports"));
        exports = Files.createDirectories(files.resolve("exports"));
        ServerConfig same = store.equals("sqlite") ? ServerConfig.defaults(dataDir, 0)
                : ServerConfig.defaults(dataDir, 0).withDbUrl(waymark.jdbcUrl());
        waymark.close();
        waymark = WaymarkTestServer.start(same.withImportDir(imports).withExportDir(exports));
        client = waymark.client();
    }

    /** The endpoint ids an export of the segment (at {@code version} when given) writes. */
    List<String> exportedIds(String app, String segmentId, Integer version) throws Exception {
        ExportJobResponse created = client.createExportJob(r -> r.applicationId(app).exportJobRequest(e -> e
                .roleArn(ROLE).s3UrlPrefix(exports.toUri().toString()).segmentId(segmentId).segmentVersion(version)))
                .exportJobResponse();
        ExportJobResponse done = awaitExport(client, app, created.id());
        assertThat(done.jobStatusAsString()).as(String.valueOf(done.failures())).isEqualTo("COMPLETED");
        try (InputStream in = Files.newInputStream(exports.resolve(created.id()).resolve("endpoints-1.json.gz"))) {
            List<JsonNode> endpoints = exported(in);
            assertThat(done.totalProcessed()).isEqualTo(endpoints.size());
            return endpoints.stream().map(node -> node.get("Id").asText()).toList();
        }
    }

    void endpoints(String app, EndpointBatchItem... items) {
        client.updateEndpointsBatch(r -> r.applicationId(app).endpointBatchRequest(b -> b.item(items)));
    }

    static EndpointBatchItem endpoint(String id, String channel, String plan, double visits, String country) {
        return EndpointBatchItem.builder().id(id).channelType(channel)
                .address(channel.equals("SMS") ? "+1555555" + String.format("%04d", Math.abs(id.hashCode()) % 10000)
                        : id + "@example.com")
                .attributes(Map.of("plan", List.of(plan))).metrics(Map.of("visits", visits))
                .location(l -> l.country(country)).build();
    }

    @Test
    void aDimensionalSegmentExportsTheEndpointsThatMeetEveryDimension() throws Exception {
        String app = createApp("dimensional");
        endpoints(app, endpoint("in", "EMAIL", "pro", 5, "FR"), endpoint("free", "EMAIL", "free", 5, "FR"),
                endpoint("few", "EMAIL", "pro", 1, "FR"), endpoint("abroad", "EMAIL", "pro", 5, "DE"),
                endpoint("also", "SMS", "pro", 3, "FR"));
        SegmentResponse segment = client.createSegment(r -> r.applicationId(app).writeSegmentRequest(
                SegmentsEndToEndTest.dimensional("pro in France", SegmentsEndToEndTest.PRO_IN_FRANCE)))
                .segmentResponse();
        assertThat(exportedIds(app, segment.id(), null)).containsExactly("also", "in");

        // Version 2 holds the SMS endpoints; version 1 still selects as it did.
        client.updateSegment(r -> r.applicationId(app).segmentId(segment.id())
                .writeSegmentRequest(SegmentsEndToEndTest.dimensional("sms", SegmentsEndToEndTest.SMS)));
        assertThat(exportedIds(app, segment.id(), null)).containsExactly("also");
        assertThat(exportedIds(app, segment.id(), 1)).containsExactly("also", "in");

        // A group over a source segment: the source's members that are also EMAIL endpoints... of version 1.
        SegmentResponse grouped = client.createSegment(r -> r.applicationId(app).writeSegmentRequest(
                WriteSegmentRequest.builder().name("pro in France by email").segmentGroups(g -> g.include("ALL")
                        .groups(SegmentGroup.builder().sourceType("ANY")
                                .sourceSegments(SegmentReference.builder().id(segment.id()).version(1).build())
                                .type("ALL").dimensions(d -> d.demographic(m -> m.channel(c -> c.values("EMAIL"))))
                                .build())).build())).segmentResponse();
        assertThat(exportedIds(app, grouped.id(), null)).containsExactly("in");

        assertThatThrownBy(() -> exportedIds(app, segment.id(), 3)).isInstanceOf(NotFoundException.class)
                .hasMessageContaining("has no version 3");
        assertThatThrownBy(() -> exportedIds(app, segment.id(), 0)).isInstanceOf(BadRequestException.class)
                .hasMessageContaining("SegmentVersion");
        assertThatThrownBy(() -> exportedIds(app, "nope", null)).isInstanceOf(NotFoundException.class)
                .hasMessageContaining("Segment 'nope' not found");
        assertThatThrownBy(() -> client.getSegmentExportJobs(r -> r.applicationId(app).segmentId("nope")))
                .isInstanceOf(NotFoundException.class);
        assertThat(client.getSegmentExportJobs(r -> r.applicationId(app).segmentId(segment.id()))
                .exportJobsResponse().item()).hasSize(3);
    }

    @Test
    void anImportJobWithDefineSegmentMakesAnImportSegmentAndCountsIt() throws Exception {
        String app = createApp("imported");
        endpoints(app, endpoint("outsider", "EMAIL", "pro", 5, "FR"));
        Path file = Files.writeString(imports.resolve("people.csv"), "ChannelType,Address,Id\n"
                + "EMAIL,a@example.com,a\nEMAIL,b@example.com,b\nSMS,+15555550100,c\n");
        ImportJobResponse created = client.createImportJob(r -> r.applicationId(app).importJobRequest(i -> i
                .format("CSV").roleArn(ROLE).s3Url(file.toUri().toString()).defineSegment(true)
                .segmentName("From a file").externalId("ext"))).importJobResponse();
        String segmentId = created.definition().segmentId();
        // The segment exists as soon as the job does.
        SegmentResponse early = client.getSegment(r -> r.applicationId(app).segmentId(segmentId)).segmentResponse();
        assertThat(early.segmentTypeAsString()).isEqualTo("IMPORT");
        assertThat(early.name()).isEqualTo("From a file");
        assertThat(awaitImport(client, app, created.id()).jobStatusAsString()).isEqualTo("COMPLETED");

        SegmentResponse segment = client.getSegment(r -> r.applicationId(app).segmentId(segmentId)).segmentResponse();
        assertThat(segment.version()).isEqualTo(1);
        assertThat(segment.dimensions()).isNull();
        assertThat(segment.importDefinition().size()).isEqualTo(3);
        assertThat(segment.importDefinition().channelCounts()).isEqualTo(Map.of("EMAIL", 2, "SMS", 1));
        assertThat(segment.importDefinition().formatAsString()).isEqualTo("CSV");
        assertThat(segment.importDefinition().s3Url()).isEqualTo(file.toUri().toString());
        assertThat(segment.importDefinition().roleArn()).isEqualTo(ROLE);
        assertThat(segment.importDefinition().externalId()).isEqualTo("ext");
        assertThat(exportedIds(app, segmentId, null)).containsExactly("a", "b", "c");

        // A second import into it by SegmentId adds members and counts the whole segment again.
        Path more = Files.writeString(imports.resolve("more.csv"), "ChannelType,Address,Id\nEMAIL,d@example.com,d\n");
        ImportJobResponse second = client.createImportJob(r -> r.applicationId(app).importJobRequest(i -> i
                .format("CSV").roleArn(ROLE).s3Url(more.toUri().toString()).segmentId(segmentId))).importJobResponse();
        assertThat(awaitImport(client, app, second.id()).jobStatusAsString()).isEqualTo("COMPLETED");
        segment = client.getSegment(r -> r.applicationId(app).segmentId(segmentId)).segmentResponse();
        assertThat(segment.importDefinition().size()).isEqualTo(4);
        assertThat(segment.importDefinition().channelCounts()).isEqualTo(Map.of("EMAIL", 3, "SMS", 1));
        assertThat(exportedIds(app, segmentId, null)).containsExactly("a", "b", "c", "d");
        assertThat(client.getSegmentImportJobs(r -> r.applicationId(app).segmentId(segmentId)).importJobsResponse()
                .item()).extracting(ImportJobResponse::id).containsExactly(created.id(), second.id());

        // An IMPORT segment may be renamed, keeping its ImportDefinition; its members are not a definition.
        SegmentResponse renamed = client.updateSegment(r -> r.applicationId(app).segmentId(segmentId)
                .writeSegmentRequest(w -> w.name("renamed"))).segmentResponse();
        assertThat(renamed.version()).isEqualTo(2);
        assertThat(renamed.segmentTypeAsString()).isEqualTo("IMPORT");
        assertThat(renamed.importDefinition()).isEqualTo(segment.importDefinition());
        assertThatThrownBy(() -> client.updateSegment(r -> r.applicationId(app).segmentId(segmentId)
                .writeSegmentRequest(SegmentsEndToEndTest.dimensional("no", SegmentsEndToEndTest.SMS))))
                .isInstanceOf(BadRequestException.class).hasMessageContaining("IMPORT segment");

        // Import jobs name only IMPORT segments that exist.
        SegmentResponse dimensional = client.createSegment(r -> r.applicationId(app).writeSegmentRequest(
                SegmentsEndToEndTest.dimensional("dims", SegmentsEndToEndTest.SMS))).segmentResponse();
        assertThatThrownBy(() -> client.createImportJob(r -> r.applicationId(app).importJobRequest(i -> i
                .format("CSV").roleArn(ROLE).s3Url(more.toUri().toString()).segmentId(dimensional.id()))))
                .isInstanceOf(BadRequestException.class).hasMessageContaining(dimensional.id())
                .hasMessageContaining("DIMENSIONAL");
        assertThatThrownBy(() -> client.createImportJob(r -> r.applicationId(app).importJobRequest(i -> i
                .format("CSV").roleArn(ROLE).s3Url(more.toUri().toString()).segmentId(dimensional.id())
                .defineSegment(true)))).isInstanceOf(BadRequestException.class)
                .hasMessageContaining(dimensional.id());
        assertThatThrownBy(() -> client.createImportJob(r -> r.applicationId(app).importJobRequest(i -> i
                .format("CSV").roleArn(ROLE).s3Url(more.toUri().toString()).segmentId("nope"))))
                .isInstanceOf(NotFoundException.class).hasMessageContaining("Segment 'nope' not found");
        assertThatThrownBy(() -> client.createImportJob(r -> r.applicationId(app).importJobRequest(i -> i
                .format("CSV").roleArn(ROLE).s3Url(more.toUri().toString()).segmentId("a/b").defineSegment(true))))
                .isInstanceOf(BadRequestException.class).hasMessageContaining("SegmentId");

        // A segment built on the IMPORT segment as its source.
        SegmentResponse emailOfImported = client.createSegment(r -> r.applicationId(app).writeSegmentRequest(
                WriteSegmentRequest.builder().name("imported email").segmentGroups(g -> g.include("ALL")
                        .groups(SegmentGroup.builder().sourceType("ANY")
                                .sourceSegments(SegmentReference.builder().id(segmentId).build())
                                .dimensions(d -> d.demographic(m -> m.channel(c -> c.values("EMAIL"))))
                                .build())).build())).segmentResponse();
        assertThat(exportedIds(app, emailOfImported.id(), null)).containsExactly("a", "b", "d");
    }
}
