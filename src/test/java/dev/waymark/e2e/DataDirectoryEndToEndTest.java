package dev.waymark.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.waymark.server.ServerConfig;
import dev.waymark.server.WaymarkServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded store's directory holds every secret, and only one server may serve it. */
class DataDirectoryEndToEndTest {
    @TempDir
    Path dir;

    @Test
    void theDirectoryAndTheDatabaseAreTheOwnersOnly() throws Exception {
        Path dataDir = dir.resolve("waymark-data");
        try (WaymarkTestServer waymark = WaymarkTestServer.start(dataDir)) {
            waymark.client().createApp(r -> r.createApplicationRequest(a -> a.name("secret-holder")));
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dataDir))).isEqualTo("rwx------");
            for (String file : new String[] {"waymark.db", "waymark.db-wal"}) {
                assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dataDir.resolve(file))))
                        .as(file).isEqualTo("rw-------");
            }
        }
    }

    @Test
    void aSecondServerOnTheSameDirectoryIsRefusedInOneLine() throws Exception {
        Path dataDir = dir.resolve("waymark-data");
        try (WaymarkTestServer first = WaymarkTestServer.start(dataDir)) {
            assertThatThrownBy(() -> WaymarkServer.start(ServerConfig.defaults(dataDir, 0), Clock.systemUTC()))
                    .isInstanceOf(WaymarkServer.StartupException.class)
                    .hasMessageContaining("another Waymark server is already running on the data directory")
                    .hasMessageNotContaining("\n");
            first.client().getApps(r -> { });
        }
        // Once the first has stopped, the directory is free again.
        try (WaymarkTestServer again = WaymarkTestServer.start(dataDir)) {
            again.client().getApps(r -> { });
        }
    }
}
