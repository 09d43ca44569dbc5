package dev.waymark.e2e;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.pinpoint.PinpointClient;

/** A fresh Waymark with its own data directory for each test, and a real SDK client for it. */
abstract class EndToEndTest {
    @TempDir
    Path dataDir;
    WaymarkTestServer waymark;
    PinpointClient client;

    @BeforeEach
    void startWaymark() throws Exception {
        waymark = WaymarkTestServer.start(dataDir);
        client = waymark.client();
    }

    @AfterEach
    void stopWaymark() {
        waymark.close();
    }

    String createApp(String name) {
        return client.createApp(r -> r.createApplicationRequest(a -> a.name(name))).applicationResponse().id();
    }
}
