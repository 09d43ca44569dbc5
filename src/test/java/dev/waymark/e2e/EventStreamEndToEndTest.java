package dev.waymark.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.pinpoint.model.BadRequestException;
import software.amazon.awssdk.services.pinpoint.model.EventStream;
import software.amazon.awssdk.services.pinpoint.model.NotFoundException;

/** PutEventStream, GetEventStream and DeleteEventStream through the Java SDK: stored per app, replaced, refused. */
class EventStreamEndToEndTest extends EndToEndTest {
    private static final String KINESIS = "arn:aws:kinesis:us-east-1:123456789012:stream/pinpoint-events";
    private static final String FIREHOSE = "arn:aws:firehose:eu-west-1:123456789012:deliverystream/events";
    private static final String ROLE = "arn:aws:iam::123456789012:role/service-role/pinpoint-stream";

    private EventStream put(String app, String destination, String role) {
        return client.putEventStream(r -> r.applicationId(app).writeEventStream(w -> w
                .destinationStreamArn(destination).roleArn(role))).eventStream();
    }

    @Test
    void putGetReplaceAndDelete() {
        String app = createApp("stream");
        Instant before = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        EventStream put = put(app, KINESIS, ROLE);
        assertThat(put.applicationId()).isEqualTo(app);
        assertThat(put.destinationStreamArn()).isEqualTo(KINESIS);
        assertThat(put.roleArn()).isEqualTo(ROLE);
        assertThat(put.lastUpdatedBy()).isEqualTo(WaymarkTestServer.ACCESS_KEY);
        assertThat(Instant.parse(put.lastModifiedDate())).isBetween(before, Instant.now());

        assertThat(client.getEventStream(r -> r.applicationId(app)).eventStream()).isEqualTo(put);

        EventStream replaced = put(app, FIREHOSE, ROLE);
        assertThat(client.getEventStream(r -> r.applicationId(app)).eventStream().destinationStreamArn())
                .isEqualTo(FIREHOSE);
        EventStream webhook = put(app, "https://hooks.example.com/pinpoint?k=v", ROLE);
        assertThat(webhook.destinationStreamArn()).isEqualTo("https://hooks.example.com/pinpoint?k=v");

        // Another app's stream is its own.
        String other = createApp("other");
        assertThatThrownBy(() -> client.getEventStream(r -> r.applicationId(other)))
                .isInstanceOf(NotFoundException.class).hasMessageContaining("event stream");

        EventStream deleted = client.deleteEventStream(r -> r.applicationId(app)).eventStream();
        assertThat(deleted.destinationStreamArn()).isEqualTo(webhook.destinationStreamArn());
        assertThat(replaced.applicationId()).isEqualTo(app);
        assertThatThrownBy(() -> client.getEventStream(r -> r.applicationId(app)))
                .isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> client.deleteEventStream(r -> r.applicationId(app)))
                .isInstanceOf(NotFoundException.class);
    }

    @Test
    void badDestinationsRolesAndAbsentAppsAreRefused() {
        String app = createApp("stream");
        assertThatThrownBy(() -> put(app, "http://hooks.example.com/plain", ROLE))
                .isInstanceOf(BadRequestException.class).hasMessageContaining("DestinationStreamArn");
        assertThatThrownBy(() -> put(app, "arn:aws:sqs:us-east-1:123456789012:queue", ROLE))
                .isInstanceOf(BadRequestException.class).hasMessageContaining("DestinationStreamArn");
        assertThatThrownBy(() -> put(app, KINESIS, "arn:aws:iam::123456789012:user/someone"))
                .isInstanceOf(BadRequestException.class).hasMessageContaining("RoleArn");
        assertThatThrownBy(() -> put(app, "https://" + "a".repeat(3000) + ".example.com/", ROLE))
                .isInstanceOf(BadRequestException.class).hasMessageContaining("2048");
        assertThatThrownBy(() -> client.putEventStream(r -> r.applicationId(app).writeEventStream(w -> w
                .destinationStreamArn(KINESIS)))).isInstanceOf(BadRequestException.class)
                .hasMessageContaining("RoleArn");
        assertThatThrownBy(() -> client.getEventStream(r -> r.applicationId(app)))
                .isInstanceOf(NotFoundException.class);

        assertThatThrownBy(() -> put("noapp", KINESIS, ROLE))
                .isInstanceOf(NotFoundException.class).hasMessageContaining("noapp");
        assertThatThrownBy(() -> client.getEventStream(r -> r.applicationId("noapp")))
                .isInstanceOf(NotFoundException.class).hasMessageContaining("noapp");
        assertThatThrownBy(() -> client.deleteEventStream(r -> r.applicationId("noapp")))
                .isInstanceOf(NotFoundException.class).hasMessageContaining("noapp");
    }

    @Test
    void theStreamGoesWithItsApp() {
        String app = createApp("stream");
        put(app, KINESIS, ROLE);
        client.deleteApp(r -> r.applicationId(app));
        String again = createApp("stream");
        assertThatThrownBy(() -> client.getEventStream(r -> r.applicationId(again)))
                .isInstanceOf(NotFoundException.class);
        assertThat(((dev.waymark.store.sql.SqlStore) waymark.server().store()).eventStreams().find(app)).isEmpty();
    }
}
