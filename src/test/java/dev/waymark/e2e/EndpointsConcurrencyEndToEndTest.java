package dev.waymark.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.waymark.wire.Json;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Concurrent batches that share endpoints, users and addresses: none fails (on PostgreSQL they deadlocked before
 * writes of one app were serialised), every user's endpoints carry the same user attributes, none has more than 15.
 */
class EndpointsConcurrencyEndToEndTest extends EndToEndTest {
    @Test
    void overlappingBatchesAllApplyAndUsersStayInSync() throws Exception {
        String app = createApp("contended");
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> batches = new ArrayList<>();
            for (int b = 0; b < 60; b++) {
                int seed = b;
                batches.add(pool.submit(() -> {
                    Random random = new Random(seed);
                    List<ObjectNode> items = new ArrayList<>();
                    for (int i = 0; i < 50; i++) {
                        items.add((ObjectNode) Json.parseStored("{\"Id\":\"ep-" + random.nextInt(300)
                                + "\",\"ChannelType\":\"GCM\",\"Address\":\"a" + random.nextInt(50)
                                + "\",\"Attributes\":{\"x" + random.nextInt(20) + "\":[\"v\"]},\"User\":{\"UserId\":\"u"
                                + random.nextInt(30) + "\",\"UserAttributes\":{\"k" + random.nextInt(5) + "\":[\""
                                + seed + "\"]}}}"));
                    }
                    waymark.server().store().endpoints().update(app, items);
                    return null;
                }));
            }
            for (Future<?> batch : batches) {
                batch.get();
            }
        } finally {
            pool.shutdownNow();
        }
        for (int u = 0; u < 30; u++) {
            List<ObjectNode> endpoints = waymark.server().store().endpoints().byUser(app, "u" + u);
            Set<String> versions = new HashSet<>();
            endpoints.forEach(endpoint -> versions.add(endpoint.path("User").path("UserAttributes").toString()));
            assertThat(endpoints).as("endpoints of u%d", u).hasSizeLessThanOrEqualTo(15);
            assertThat(versions).as("user attributes of u%d", u).hasSizeLessThanOrEqualTo(1);
        }
    }
}
