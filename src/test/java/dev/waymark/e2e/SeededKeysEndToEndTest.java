package dev.waymark.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.waymark.auth.AccessKey;
import dev.waymark.server.ServerConfig;
import dev.waymark.store.sql.SqlStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.pinpoint.PinpointClient;
import software.amazon.awssdk.services.pinpoint.model.ForbiddenException;

/** The admin key seeded from WAYMARK_ACCESS_KEY_ID, and the key the first start creates, on several nodes. */
class SeededKeysEndToEndTest extends EndToEndTest {
    private static final int NODES = 6;

    @Test
    void aRevokedSeededKeyStaysRevokedAfterARestart() throws Exception {
        String seeded = WaymarkTestServer.ACCESS_KEY;
        assertThat(waymark.server().store().accessKeys().revoke(seeded, Instant.now())).isTrue();
        String url = waymark.jdbcUrl();
        waymark.close();

        ServerConfig config = ServerConfig.defaults(dataDir, 0);
        waymark = WaymarkTestServer.start(store.equals("postgresql") ? config.withDbUrl(url) : config);
        assertThat(waymark.server().store().accessKeys().find(seeded).orElseThrow().revokedAt()).isPresent();
        PinpointClient revoked = waymark.client();
        assertThatThrownBy(() -> revoked.getApps(r -> { })).isInstanceOf(ForbiddenException.class)
                .hasMessageContaining("revoked");
    }

    @Test
    void nodesStartingTogetherCreateOneKeyAndSeedWithoutFailing() throws Exception {
        String url = store.equals("postgresql") ? TestDatabases.newPostgresDatabase()
                : "jdbc:sqlite:" + dataDir.resolve("keys.db");
        List<SqlStore> nodes = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(NODES);
        try {
            for (int i = 0; i < NODES; i++) {
                nodes.add(SqlStore.open(url));
            }
            CyclicBarrier together = new CyclicBarrier(NODES);
            List<Future<Boolean>> created = new ArrayList<>();
            for (SqlStore node : nodes) {
                created.add(pool.submit(() -> {
                    together.await();
                    return node.accessKeys().insertIfNone(AccessKey.generate(true, Set.of(), false, Instant.now()));
                }));
            }
            int creators = 0;
            for (Future<Boolean> each : created) {
                creators += each.get() ? 1 : 0;
            }
            assertThat(creators).isEqualTo(1);

            AccessKey seed = new AccessKey("WMKSEEDEDTOGETHER", "secret", true, Set.of(), false, Instant.now(),
                    Optional.empty());
            List<Future<?>> seeding = new ArrayList<>();
            for (SqlStore node : nodes) {
                seeding.add(pool.submit(() -> {
                    together.await();
                    node.accessKeys().seed(seed);
                    return null;
                }));
            }
            for (Future<?> each : seeding) {
                each.get();
            }
            assertThat(nodes.get(0).accessKeys().list()).hasSize(2);
        } finally {
            pool.shutdownNow();
            nodes.forEach(SqlStore::close);
        }
    }
}
