package dev.waymark.e2e;

import static dev.waymark.e2e.ImportExportJobsEndToEndTest.awaitExport;
import static org.assertj.core.api.Assertions.assertThat;

import dev.waymark.server.ServerConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.pinpoint.model.AttributeDimension;
import software.amazon.awssdk.services.pinpoint.model.EndpointBatchItem;
import software.amazon.awssdk.services.pinpoint.model.ExportJobResponse;
import software.amazon.awssdk.services.pinpoint.model.SegmentDimensions;
import software.amazon.awssdk.services.pinpoint.model.SegmentGroup;
import software.amazon.awssdk.services.pinpoint.model.SegmentReference;
import software.amazon.awssdk.services.pinpoint.model.WriteSegmentRequest;

/**
 * Segments at the limits the README allows (1,000 dimensions once sources are inlined) are evaluated by the database:
 * SQLite refuses an expression more than 1,000 deep, so the compiled SQL must not nest as deep as the list is long.
 */
class WideSegmentsEndToEndTest extends EndToEndTest {
    private static final String ROLE = "arn:aws:iam::000000000000:role/jobs";

    @TempDir
    Path files;
    Path exports;

    @BeforeEach
    void withDirectories() throws Exception {
        exports = Files.createDirectories(files.resolve("exports"));
        ServerConfig same = store.equals("sqlite") ? ServerConfig.defaults(dataDir, 0)
                : ServerConfig.defaults(dataDir, 0).withDbUrl(waymark.jdbcUrl());
        waymark.close();
        waymark = WaymarkTestServer.start(same.withExportDir(exports));
        client = waymark.client();
    }

    ExportJobResponse export(String app, String segmentId) throws Exception {
        ExportJobResponse created = client.createExportJob(r -> r.applicationId(app).exportJobRequest(e -> e
                .roleArn(ROLE).s3UrlPrefix(exports.toUri().toString()).segmentId(segmentId))).exportJobResponse();
        return awaitExport(client, app, created.id());
    }

    /** A segment of 10 source segments of 100 dimensions each: 1,000 dimensions inlined, within MAX_LEAVES. */
    String wide(String app, String type) {
        List<SegmentDimensions> dims = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            dims.add(SegmentDimensions.builder().attributes(Map.of("plan", AttributeDimension.builder()
                    .attributeType("INCLUSIVE").values("v" + i).build())).build());
        }
        String source = client.createSegment(r -> r.applicationId(app).writeSegmentRequest(WriteSegmentRequest
                .builder().name("hundred").segmentGroups(g -> g.include("ALL").groups(SegmentGroup.builder()
                        .type(type).dimensions(dims).build())).build())).segmentResponse().id();
        List<SegmentReference> sources = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            sources.add(SegmentReference.builder().id(source).build());
        }
        return client.createSegment(r -> r.applicationId(app).writeSegmentRequest(WriteSegmentRequest.builder()
                .name("thousand").segmentGroups(g -> g.include("ALL").groups(SegmentGroup.builder()
                        .sourceType(type.equals("ANY") ? "ANY" : "ALL").sourceSegments(sources).build())).build()))
                .segmentResponse().id();
    }

    @Test
    void aThousandDimensionsInOneOrExport() throws Exception {
        String app = createApp("wide-or");
        client.updateEndpointsBatch(r -> r.applicationId(app).endpointBatchRequest(b -> b.item(
                EndpointBatchItem.builder().id("gold").channelType("EMAIL").address("a@example.com")
                        .attributes(Map.of("plan", List.of("v7"))).build())));
        ExportJobResponse done = export(app, wide(app, "ANY"));
        assertThat(done.jobStatusAsString()).as(String.valueOf(done.failures())).isEqualTo("COMPLETED");
        assertThat(done.totalProcessed()).isEqualTo(1);
    }

    @Test
    void aThousandDimensionsInOneAndExport() throws Exception {
        String app = createApp("wide-and");
        client.updateEndpointsBatch(r -> r.applicationId(app).endpointBatchRequest(b -> b.item(
                EndpointBatchItem.builder().id("gold").channelType("EMAIL").address("a@example.com")
                        .attributes(Map.of("plan", List.of("v7"))).build())));
        ExportJobResponse done = export(app, wide(app, "ALL"));
        assertThat(done.jobStatusAsString()).as(String.valueOf(done.failures())).isEqualTo("COMPLETED");
    }
}
