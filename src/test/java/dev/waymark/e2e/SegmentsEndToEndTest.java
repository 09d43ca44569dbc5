package dev.waymark.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.pinpoint.model.AttributeDimension;
import software.amazon.awssdk.services.pinpoint.model.BadRequestException;
import software.amazon.awssdk.services.pinpoint.model.ConflictException;
import software.amazon.awssdk.services.pinpoint.model.MetricDimension;
import software.amazon.awssdk.services.pinpoint.model.NotFoundException;
import software.amazon.awssdk.services.pinpoint.model.SegmentDimensions;
import software.amazon.awssdk.services.pinpoint.model.SegmentResponse;
import software.amazon.awssdk.services.pinpoint.model.SegmentsResponse;
import software.amazon.awssdk.services.pinpoint.model.SetDimension;
import software.amazon.awssdk.services.pinpoint.model.State;
import software.amazon.awssdk.services.pinpoint.model.WriteSegmentRequest;

/** The segment operations through the Java SDK: each operation and status, versions, paging, tags, deletion. */
class SegmentsEndToEndTest extends EndToEndTest {
    static final SegmentDimensions PRO_IN_FRANCE = SegmentDimensions.builder()
            .attributes(Map.of("plan", AttributeDimension.builder().attributeType("INCLUSIVE").values("pro").build()))
            .metrics(Map.of("visits", MetricDimension.builder().comparisonOperator("GREATER_THAN").value(2.0).build()))
            .location(l -> l.country(SetDimension.builder().values("FR").build()))
            .build();
    static final SegmentDimensions SMS = SegmentDimensions.builder()
            .demographic(d -> d.channel(SetDimension.builder().dimensionType("INCLUSIVE").values("SMS").build()))
            .build();

    /** An app without the sample segments, so that listings hold only what a test made. */
    String bareApp(String name) {
        return client.createApp(r -> r.createApplicationRequest(a -> a.name(name))).applicationResponse().id();
    }

    SegmentResponse create(String app, WriteSegmentRequest request) {
        return client.createSegment(r -> r.applicationId(app).writeSegmentRequest(request)).segmentResponse();
    }

    static WriteSegmentRequest dimensional(String name, SegmentDimensions dimensions) {
        return WriteSegmentRequest.builder().name(name).dimensions(dimensions).build();
    }

    @Test
    void createGetUpdateAndVersions() throws Exception {
        String app = bareApp("segments");
        Instant before = Instant.now().minusSeconds(1);
        SegmentResponse created = create(app, dimensional("pro in France", PRO_IN_FRANCE).toBuilder()
                .tags(Map.of("team", "growth")).build());
        assertThat(created.id()).matches("[0-9a-f]{32}");
        assertThat(created.applicationId()).isEqualTo(app);
        assertThat(created.arn()).isEqualTo("arn:aws:mobiletargeting:us-east-1:000000000000:apps/" + app
                + "/segments/" + created.id());
        assertThat(created.name()).isEqualTo("pro in France");
        assertThat(created.segmentTypeAsString()).isEqualTo("DIMENSIONAL");
        assertThat(created.version()).isEqualTo(1);
        assertThat(created.dimensions()).isEqualTo(PRO_IN_FRANCE);
        assertThat(created.segmentGroups()).isNull();
        assertThat(created.importDefinition()).isNull();
        assertThat(created.tags()).isEqualTo(Map.of("team", "growth"));
        assertThat(Instant.parse(created.creationDate())).isAfter(before);
        assertThat(created.lastModifiedDate()).isEqualTo(created.creationDate());

        SegmentResponse read = client.getSegment(r -> r.applicationId(app).segmentId(created.id())).segmentResponse();
        assertThat(read).isEqualTo(created);

        // Tags in an update are ignored; the whole definition is replaced.
        SegmentResponse updated = client.updateSegment(r -> r.applicationId(app).segmentId(created.id())
                .writeSegmentRequest(dimensional("sms", SMS).toBuilder().tags(Map.of("team", "other")).build()))
                .segmentResponse();
        assertThat(updated.version()).isEqualTo(2);
        assertThat(updated.name()).isEqualTo("sms");
        assertThat(updated.dimensions()).isEqualTo(SMS);
        assertThat(updated.creationDate()).isEqualTo(created.creationDate());
        assertThat(updated.tags()).isEqualTo(Map.of("team", "growth"));
        assertThat(client.getSegment(r -> r.applicationId(app).segmentId(created.id())).segmentResponse())
                .isEqualTo(updated);

        SegmentResponse first = client.getSegmentVersion(r -> r.applicationId(app).segmentId(created.id())
                .version("1")).segmentResponse();
        assertThat(first.version()).isEqualTo(1);
        assertThat(first.name()).isEqualTo("pro in France");
        assertThat(first.dimensions()).isEqualTo(PRO_IN_FRANCE);
        SegmentsResponse versions = client.getSegmentVersions(r -> r.applicationId(app).segmentId(created.id()))
                .segmentsResponse();
        assertThat(versions.item()).extracting(SegmentResponse::version).containsExactly(1, 2);
        assertThat(versions.nextToken()).isNull();

        assertThatThrownBy(() -> client.getSegmentVersion(r -> r.applicationId(app).segmentId(created.id())
                .version("3"))).isInstanceOf(NotFoundException.class).hasMessageContaining("has no version 3");
        for (String bad : List.of("0", "-1", "one", "1.5", "99999999999")) {
            assertThatThrownBy(() -> client.getSegmentVersion(r -> r.applicationId(app).segmentId(created.id())
                    .version(bad))).as(bad).isInstanceOf(BadRequestException.class)
                    .hasMessageContaining("Version must be a positive integer");
        }
        assertThatThrownBy(() -> client.getSegmentVersions(r -> r.applicationId(app).segmentId("nope")))
                .isInstanceOf(NotFoundException.class)
                .hasMessageContaining("Segment 'nope' not found in application '" + app + "'");
    }

    @Test
    void createAnswers201AndUnknownMembersAreNotKept() throws Exception {
        String app = bareApp("wire");
        HttpResponse<String> response = SignedHttp.send(waymark.endpoint().toString(), "POST",
                "/v1/apps/" + app + "/segments", "{\"Name\":\"all\",\"Dimensions\":{},\"Surprise\":1}");
        assertThat(response.statusCode()).isEqualTo(201);
        assertThat(response.body()).contains("\"SegmentType\":\"DIMENSIONAL\"").doesNotContain("Surprise");
    }

    @Test
    void segmentsAndVersionsArePaged() {
        String app = bareApp("paging");
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ids.add(create(app, dimensional("s" + i, SMS)).id());
        }
        List<String> seen = new ArrayList<>();
        String token = null;
        int pages = 0;
        do {
            String from = token;
            SegmentsResponse page = client.getSegments(r -> r.applicationId(app).pageSize("2").token(from))
                    .segmentsResponse();
            page.item().forEach(segment -> seen.add(segment.id()));
            token = page.nextToken();
            pages++;
        } while (token != null);
        assertThat(seen).isEqualTo(ids);
        assertThat(pages).isEqualTo(3);

        String segment = ids.get(0);
        for (int i = 0; i < 4; i++) {
            int n = i;
            client.updateSegment(r -> r.applicationId(app).segmentId(segment)
                    .writeSegmentRequest(dimensional("v" + (n + 2), SMS)));
        }
        List<Integer> versions = new ArrayList<>();
        token = null;
        do {
            String from = token;
            SegmentsResponse page = client.getSegmentVersions(r -> r.applicationId(app).segmentId(segment)
                    .pageSize("2").token(from)).segmentsResponse();
            page.item().forEach(version -> versions.add(version.version()));
            token = page.nextToken();
        } while (token != null);
        assertThat(versions).containsExactly(1, 2, 3, 4, 5);
        String other = ids.get(1);
        String versionToken = client.getSegmentVersions(r -> r.applicationId(app).segmentId(segment).pageSize("1"))
                .segmentsResponse().nextToken();
        assertThatThrownBy(() -> client.getSegmentVersions(r -> r.applicationId(app).segmentId(other)
                .token(versionToken))).as("a token of another segment's listing")
                .isInstanceOf(BadRequestException.class);
    }

    @Test
    void tagsOnSegmentArnsGoWithTheSegment() {
        String app = bareApp("tags");
        SegmentResponse segment = create(app, dimensional("tagged", SMS));
        client.tagResource(r -> r.resourceArn(segment.arn()).tagsModel(t -> t.tags(Map.of("a", "1", "b", "2"))));
        client.untagResource(r -> r.resourceArn(segment.arn()).tagKeys("b"));
        assertThat(client.listTagsForResource(r -> r.resourceArn(segment.arn())).tagsModel().tags())
                .isEqualTo(Map.of("a", "1"));
        assertThat(client.getSegment(r -> r.applicationId(app).segmentId(segment.id())).segmentResponse().tags())
                .isEqualTo(Map.of("a", "1"));
        String appArn = "arn:aws:mobiletargeting:us-east-1:000000000000:apps/" + app;
        assertThat(client.listTagsForResource(r -> r.resourceArn(appArn)).tagsModel().tags()).isEmpty();

        SegmentResponse deleted = client.deleteSegment(r -> r.applicationId(app).segmentId(segment.id()))
                .segmentResponse();
        assertThat(deleted.id()).isEqualTo(segment.id());
        assertThat(deleted.tags()).isEqualTo(Map.of("a", "1"));
        assertThatThrownBy(() -> client.listTagsForResource(r -> r.resourceArn(segment.arn())))
                .isInstanceOf(NotFoundException.class).hasMessageContaining("Segment '" + segment.id() + "'");
        assertThatThrownBy(() -> client.tagResource(r -> r.resourceArn(segment.arn())
                .tagsModel(t -> t.tags(Map.of("c", "3"))))).isInstanceOf(NotFoundException.class);
    }

    @Test
    void deleteAnswersTheDeletedSegmentThenNotFound() {
        String app = bareApp("delete");
        SegmentResponse segment = create(app, dimensional("gone", SMS));
        client.updateSegment(r -> r.applicationId(app).segmentId(segment.id())
                .writeSegmentRequest(dimensional("gone v2", SMS)));
        SegmentResponse deleted = client.deleteSegment(r -> r.applicationId(app).segmentId(segment.id()))
                .segmentResponse();
        assertThat(deleted.version()).isEqualTo(2);
        assertThat(deleted.name()).isEqualTo("gone v2");
        for (Runnable call : List.<Runnable>of(
                () -> client.getSegment(r -> r.applicationId(app).segmentId(segment.id())),
                () -> client.deleteSegment(r -> r.applicationId(app).segmentId(segment.id())),
                () -> client.updateSegment(r -> r.applicationId(app).segmentId(segment.id())
                        .writeSegmentRequest(dimensional("again", SMS))),
                () -> client.getSegmentVersion(r -> r.applicationId(app).segmentId(segment.id()).version("1")))) {
            assertThatThrownBy(call::run).isInstanceOf(NotFoundException.class)
                    .hasMessageContaining("Segment '" + segment.id() + "' not found in application '" + app + "'");
        }
        assertThat(client.getSegments(r -> r.applicationId(app)).segmentsResponse().item())
                .extracting(SegmentResponse::id).doesNotContain(segment.id());
        assertThatThrownBy(() -> client.getSegments(r -> r.applicationId("noapp")))
                .isInstanceOf(NotFoundException.class).hasMessageContaining("Application 'noapp' not found");
    }

    @Test
    void aSourceSegmentCannotBeDeletedWhileAnotherSegmentIsBuiltOnIt() {
        String app = bareApp("sources");
        SegmentResponse base = create(app, dimensional("base", SMS));
        SegmentResponse built = client.createSegment(r -> r.applicationId(app).writeSegmentRequest(w -> w
                .name("built").segmentGroups(g -> g.groups(group -> group.sourceSegments(source -> source
                        .id(base.id())))))).segmentResponse();
        assertThatThrownBy(() -> client.deleteSegment(r -> r.applicationId(app).segmentId(base.id())))
                .isInstanceOf(ConflictException.class).hasMessageContaining(base.id()).hasMessageContaining(built.id());
        client.updateSegment(r -> r.applicationId(app).segmentId(built.id())
                .writeSegmentRequest(dimensional("built without it", SMS)));
        client.deleteSegment(r -> r.applicationId(app).segmentId(base.id()));
    }

    @Test
    void aSegmentAPublishedJourneyUsesCannotBeDeletedAndJourneysNeedTheirSegments() {
        String app = bareApp("used");
        SegmentResponse segment = create(app, dimensional("entry", SMS));
        var missing = SampleJourneys.simple("missing").toBuilder().state(State.ACTIVE)
                .startCondition(s -> s.segmentStartCondition(c -> c.segmentId("no-such-segment"))).build();
        assertThatThrownBy(() -> client.createJourney(r -> r.applicationId(app).writeJourneyRequest(missing)))
                .isInstanceOf(BadRequestException.class).hasMessageContaining("no-such-segment");
        var journey = client.createJourney(r -> r.applicationId(app).writeJourneyRequest(SampleJourneys
                .startingTomorrow("uses-it").toBuilder().state(State.ACTIVE)
                .startCondition(s -> s.segmentStartCondition(c -> c.segmentId(segment.id()))).build()))
                .journeyResponse();
        assertThatThrownBy(() -> client.deleteSegment(r -> r.applicationId(app).segmentId(segment.id())))
                .isInstanceOf(ConflictException.class).hasMessageContaining(journey.id());
        assertThat(client.getSegment(r -> r.applicationId(app).segmentId(segment.id())).segmentResponse().id())
                .isEqualTo(segment.id());
        client.updateJourneyState(r -> r.applicationId(app).journeyId(journey.id())
                .journeyStateRequest(s -> s.state(State.CANCELLED)));
        client.deleteSegment(r -> r.applicationId(app).segmentId(segment.id()));
    }

    @Test
    void deleteAppRemovesItsSegmentsTheirVersionsAndTags() throws Exception {
        String app = bareApp("doomed");
        SegmentResponse segment = create(app, dimensional("doomed", SMS).toBuilder().tags(Map.of("k", "v")).build());
        client.updateSegment(r -> r.applicationId(app).segmentId(segment.id())
                .writeSegmentRequest(dimensional("doomed 2", SMS)));
        assertThat(count("SELECT count(*) FROM segment_versions WHERE app_id = '" + app + "'")).isEqualTo(2);
        assertThat(count("SELECT count(*) FROM tags WHERE resource_id LIKE 'segments/" + app + "/%'")).isEqualTo(1);
        client.deleteApp(r -> r.applicationId(app));
        assertThat(count("SELECT count(*) FROM segments WHERE app_id = '" + app + "'")).isZero();
        assertThat(count("SELECT count(*) FROM segment_versions WHERE app_id = '" + app + "'")).isZero();
        assertThat(count("SELECT count(*) FROM tags WHERE resource_id LIKE 'segments/" + app + "/%'")).isZero();
    }

    @Test
    void hostileDefinitionsAreRefusedAndBodiesBounded() throws Exception {
        String app = bareApp("hostile");
        String base = waymark.endpoint().toString();
        String path = "/v1/apps/" + app + "/segments";
        // Above the 1 MiB body limit.
        String huge = "{\"Name\":\"" + "x".repeat(1_100_000) + "\"}";
        assertThat(SignedHttp.send(base, "POST", path, huge).statusCode()).isEqualTo(413);
        // Nested deeper than any body may be.
        String deep = "{\"Name\":\"deep\",\"SegmentGroups\":{\"Groups\":[" + "[".repeat(100) + "]".repeat(100) + "]}}";
        HttpResponse<String> deepResponse = SignedHttp.send(base, "POST", path, deep);
        assertThat(deepResponse.statusCode()).isEqualTo(400);
        // A segment cannot be its own source.
        SegmentResponse segment = create(app, dimensional("self", SMS));
        HttpResponse<String> self = SignedHttp.send(base, "PUT", path + "/" + segment.id(),
                "{\"Name\":\"self\",\"SegmentGroups\":{\"Include\":\"ALL\",\"Groups\":[{\"SourceType\":\"ANY\","
                        + "\"SourceSegments\":[{\"Id\":\"" + segment.id() + "\"}]}]}}");
        assertThat(self.statusCode()).as(self.body()).isEqualTo(400);
        assertThat(client.getSegment(r -> r.applicationId(app).segmentId(segment.id())).segmentResponse().version())
                .isEqualTo(1);
        // An unknown source segment.
        HttpResponse<String> unknown = SignedHttp.send(base, "POST", path,
                "{\"Name\":\"orphan\",\"SegmentGroups\":{\"Include\":\"ALL\",\"Groups\":[{\"SourceType\":\"ANY\","
                        + "\"SourceSegments\":[{\"Id\":\"nowhere\"}]}]}}");
        assertThat(unknown.statusCode()).as(unknown.body()).isEqualTo(400);
        assertThat(unknown.body()).contains("nowhere");
        // Ten thousand values in one dimension fit in the body; the rules bound them.
        String values = String.join(",", IntStream.range(0, 10_000).mapToObj(i -> "\"v" + i + "\"").toList());
        HttpResponse<String> many = SignedHttp.send(base, "POST", path, "{\"Name\":\"many\",\"Dimensions\":"
                + "{\"Attributes\":{\"a\":{\"AttributeType\":\"INCLUSIVE\",\"Values\":[" + values + "]}}}}");
        assertThat(many.statusCode()).as(many.body()).isIn(201, 400);
        assertThat(client.getSegments(r -> r.applicationId(app)).segmentsResponse().item()).hasSizeLessThanOrEqualTo(2);
    }

    @Test
    void eachRuleOfADefinitionReachesTheClientAsBadRequestNamingTheMember() throws Exception {
        String app = bareApp("rules");
        String path = "/v1/apps/" + app + "/segments";
        Map<String, String> refusals = new java.util.LinkedHashMap<>();
        refusals.put("{\"Name\":\"n\"}", "Dimensions or SegmentGroups is required");
        refusals.put("{\"Dimensions\":{},\"SegmentGroups\":{\"Groups\":[{}]}}",
                "Dimensions and SegmentGroups cannot both be set");
        refusals.put("{\"SegmentGroups\":{\"Groups\":[]}}", "SegmentGroups.Groups must hold 1 to 5 groups");
        refusals.put("{\"SegmentGroups\":{\"Groups\":[{\"Dimensions\":[{},{\"Metrics\":{\"score\":"
                + "{\"ComparisonOperator\":\"ABOVE\",\"Value\":1}}}]}]}}",
                "SegmentGroups.Groups[0].Dimensions[1].Metrics.score.ComparisonOperator must be one of");
        refusals.put("{\"Dimensions\":{\"Attributes\":{\"plan\":{\"AttributeType\":\"BETWEEN\","
                + "\"Values\":[\"2025-01-01T00:00:00Z\"]}}}}", "Dimensions.Attributes.plan.Values must hold exactly two");
        refusals.put("{\"Dimensions\":{\"Attributes\":{\"plan\":{\"AttributeType\":\"NOT_BETWEEN\","
                + "\"Values\":[]}}}}", "Dimensions.Attributes.plan.AttributeType must be one of");
        refusals.put("{\"Dimensions\":{\"Location\":{\"GPSPoint\":{\"Coordinates\":{\"Latitude\":91,"
                + "\"Longitude\":0}}}}}", "Dimensions.Location.GPSPoint.Coordinates.Latitude must be a number");
        refusals.put("{\"SegmentGroups\":{\"Groups\":[{\"SourceSegments\":[{\"Id\":\"s\",\"Version\":0}]}]}}",
                "SegmentGroups.Groups[0].SourceSegments[0].Version must be 1 or more");
        refusals.put("{\"Dimensions\":{\"Attributes\":{\"plan\":{\"Values\":[" + "\"v\",".repeat(100)
                + "\"v\"]}}}}", "Dimensions.Attributes.plan.Values holds 101 values; the limit is 100");
        for (Map.Entry<String, String> refusal : refusals.entrySet()) {
            HttpResponse<String> response = SignedHttp.send(waymark.endpoint().toString(), "POST", path,
                    refusal.getKey());
            assertThat(response.statusCode()).as(refusal.getKey()).isEqualTo(400);
            assertThat(response.headers().firstValue("x-amzn-ErrorType")).hasValue("BadRequestException");
            assertThat(response.body()).as(refusal.getKey()).contains(refusal.getValue());
        }
        // Through the SDK too, and on UpdateSegment.
        SegmentResponse segment = create(app, dimensional("ok", SMS));
        assertThatThrownBy(() -> client.updateSegment(r -> r.applicationId(app).segmentId(segment.id())
                .writeSegmentRequest(w -> w.name("bad").dimensions(d -> d.metrics(Map.of("visits", MetricDimension
                        .builder().comparisonOperator("MORE").value(1.0).build()))))))
                .isInstanceOf(BadRequestException.class)
                .hasMessageContaining("Dimensions.Metrics.visits.ComparisonOperator must be one of");
        assertThat(client.getSegments(r -> r.applicationId(app)).segmentsResponse().item()).hasSize(1);
    }

    private long count(String sql) throws Exception {
        try (Connection db = DriverManager.getConnection(waymark.jdbcUrl());
             ResultSet rows = db.createStatement().executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        }
    }
}
