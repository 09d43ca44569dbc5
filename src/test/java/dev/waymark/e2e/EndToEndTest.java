package dev.waymark.e2e;

import dev.waymark.server.ServerConfig;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.services.pinpoint.PinpointClient;

/**
 * A fresh Waymark with its own store for each test, and a real SDK client for it; every test runs once on SQLite
 * and once on PostgreSQL.
 */
@ParameterizedClass(name = "{0}")
@ValueSource(strings = {"sqlite", "postgresql"})
abstract class EndToEndTest {
    @Parameter
    String store;

    @TempDir
    Path dataDir;
    WaymarkTestServer waymark;
    PinpointClient client;

    @BeforeEach
    void startWaymark() throws Exception {
        waymark = WaymarkTestServer.start(TestDatabases.configure(ServerConfig.defaults(dataDir, 0), store));
        client = waymark.client();
    }

    @AfterEach
    void stopWaymark() {
        waymark.close();
    }

    /** A new app with the segments the sample journeys name. */
    String createApp(String name) {
        String app = client.createApp(r -> r.createApplicationRequest(a -> a.name(name))).applicationResponse().id();
        waymark.defineSampleSegments(app);
        return app;
    }

    /** A segment of every endpoint of the app (a journey is published only with segments that exist). */
    String everyone(String appId) {
        return everyone(client, appId);
    }

    static String everyone(PinpointClient client, String appId) {
        return client.createSegment(r -> r.applicationId(appId).writeSegmentRequest(s -> s.name("everyone")
                .dimensions(d -> { }))).segmentResponse().id();
    }
}
