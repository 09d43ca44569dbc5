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
import software.amazon.awssdk.services.pinpoint.PinpointClient;
import software.amazon.awssdk.services.pinpoint.model.EndpointBatchItem;

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

    /**
     * More writers of one app than the store has connections (PostgreSQL's pool holds 16): each waits its turn on
     * this node without holding a connection, so none times out waiting for one (they did, as 500s, when each writer
     * waited for the app's lock inside the database).
     */
    @Test
    void moreConcurrentWritersOfOneAppThanConnectionsAllSucceed() throws Exception {
        String app = createApp("crowded");
        int writers = 64;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try (PinpointClient noRetries = waymark.client(o -> o)) {
            List<Future<?>> sent = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                int writer = w;
                sent.add(pool.submit(() -> {
                    for (int round = 0; round < 3; round++) {
                        List<EndpointBatchItem> items = new ArrayList<>();
                        for (int i = 0; i < 100; i++) {
                            String id = "w" + writer + "-" + round + "-" + i;
                            java.util.Map<String, List<String>> attributes = new java.util.HashMap<>();
                            for (int a = 0; a < 10; a++) {
                                attributes.put("attr" + a, List.of("value-" + a + "-" + i));
                            }
                            items.add(EndpointBatchItem.builder().id(id).channelType("EMAIL")
                                    .address(id + "@example.com").attributes(attributes).build());
                        }
                        noRetries.updateEndpointsBatch(r -> r.applicationId(app)
                                .endpointBatchRequest(b -> b.item(items)));
                    }
                    return null;
                }));
            }
            for (Future<?> future : sent) {
                future.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(waymark.server().store().endpoints().count(app)).isEqualTo(writers * 3 * 100L);
    }
}
