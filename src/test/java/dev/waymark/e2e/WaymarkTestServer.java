package dev.waymark.e2e;

import dev.waymark.server.ServerConfig;
import dev.waymark.server.WaymarkServer;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.util.function.UnaryOperator;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.pinpoint.PinpointClient;

/** A real Waymark on a free port of 127.0.0.1 with its own SQLite file, and real SDK clients for it. */
final class WaymarkTestServer implements AutoCloseable {
    static final String ACCESS_KEY = "AKIDEXAMPLE";
    static final String SECRET_KEY = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

    private final WaymarkServer server;
    private final ServerConfig config;
    private final PinpointClient client;

    private WaymarkTestServer(WaymarkServer server, ServerConfig config) {
        this.server = server;
        this.config = config;
        this.client = client(UnaryOperator.identity());
    }

    static WaymarkTestServer start(Path dataDir) throws Exception {
        return start(ServerConfig.defaults(dataDir, 0));
    }

    static WaymarkTestServer start(ServerConfig config) throws Exception {
        return new WaymarkTestServer(WaymarkServer.start(seeded(config), Clock.systemUTC()), config);
    }

    /** A server whose clock and run scheduler the test drives by hand. */
    static WaymarkTestServer start(ServerConfig config, Clock clock, WaymarkServer.SchedulerFactory schedulers)
            throws Exception {
        return new WaymarkTestServer(WaymarkServer.start(seeded(config), clock, schedulers), config);
    }

    /** Signatures on, with the key the test clients sign with as the admin key. */
    private static ServerConfig seeded(ServerConfig config) {
        return config.withSecurity(config.security().withSeed(ACCESS_KEY, SECRET_KEY));
    }

    WaymarkServer server() {
        return server;
    }

    PinpointClient client() {
        return client;
    }

    /** The segments the sample journeys name, so that journeys naming them can be published. */
    static final java.util.List<String> SAMPLE_SEGMENTS = java.util.List.of("segment1", "seg1", "seg2", "s");

    /**
     * Makes the app's {@link #SAMPLE_SEGMENTS} as IMPORT segments (with no members), as an import job with
     * DefineSegment and those SegmentIds would: CreateSegment cannot choose an id.
     */
    void defineSampleSegments(String appId) {
        dev.waymark.store.sql.SqlStore store = (dev.waymark.store.sql.SqlStore) server.store();
        dev.waymark.segments.SegmentAudience segments = new dev.waymark.segments.SegmentAudience(store.segments(),
                store.dialect(), store.endpoints(), store.events(), Clock.systemUTC());
        for (String segmentId : SAMPLE_SEGMENTS) {
            com.fasterxml.jackson.databind.node.ObjectNode definition = dev.waymark.wire.Json.MAPPER.createObjectNode()
                    .put("Format", "CSV").put("RoleArn", "arn:aws:iam::000000000000:role/import")
                    .put("S3Url", "s3://samples/" + segmentId + ".csv");
            segments.defineImport(appId, segmentId, segmentId, definition);
        }
    }

    /** The JDBC URL of this server's store (SQLite file or PostgreSQL database, user included). */
    String jdbcUrl() {
        return config.jdbcUrl();
    }

    URI endpoint() {
        return URI.create(server.url());
    }

    /** A client of the Waymark at {@code url}, signing with the given key, retries off. */
    static PinpointClient clientFor(String url, String keyId, String secret) {
        return PinpointClient.builder().endpointOverride(URI.create(url)).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(keyId, secret)))
                .overrideConfiguration(o -> o.retryStrategy(r -> r.maxAttempts(1)))
                .build();
    }

    /** A client of the Waymark at {@code url}, signing with the test admin key, retries off. */
    static PinpointClient clientFor(String url) {
        return clientFor(url, ACCESS_KEY, SECRET_KEY);
    }

    /** A client with retries off, so that every error is seen once; {@code custom} may change its configuration. */
    PinpointClient client(UnaryOperator<ClientOverrideConfiguration.Builder> custom) {
        return PinpointClient.builder()
                .endpointOverride(endpoint())
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
                .overrideConfiguration(o -> custom.apply(o.retryStrategy(r -> r.maxAttempts(1))))
                .build();
    }

    @Override
    public void close() {
        client.close();
        server.close();
    }
}
