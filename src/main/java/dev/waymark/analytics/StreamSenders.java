package dev.waymark.analytics;

import dev.waymark.analytics.SqlEventStreamQueue.Queued;
import dev.waymark.messaging.WebhookSignature;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.firehose.FirehoseClient;
import software.amazon.awssdk.services.firehose.model.PutRecordBatchResponse;
import software.amazon.awssdk.services.firehose.model.PutRecordBatchResponseEntry;
import software.amazon.awssdk.services.firehose.model.Record;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResultEntry;

/**
 * Sends a batch of queued records to a stream's destination: Kinesis PutRecords (partition key the endpoint, so that
 * an endpoint's records stay in order in one shard), Firehose PutRecordBatch (each record one line of JSON), or one
 * signed POST of a JSON array to a webhook. Says how many of the batch's first records were delivered: a partial
 * failure delivers the records before the first failed one, and the rest is sent again in order.
 */
final class StreamSenders implements AutoCloseable {
    /** Kinesis and Firehose take at most 500 records per call. */
    static final int MAX_BATCH = 500;
    /** Under Firehose's 4 MiB per call (Kinesis allows 5 MiB): a batch stops before it would pass it. */
    static final int MAX_BATCH_BYTES = 4 * 1024 * 1024 - 64 * 1024;
    private static final int MAX_REGIONS = 64;
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(15);
    /** A whole SDK call, its own retries included: well inside the deliverer's 30 s lease. */
    private static final Duration AWS_CALL_TIMEOUT = Duration.ofSeconds(20);

    /** The outcome of one batch: how many of its first records were delivered, and why the next one was not. */
    record Sent(int delivered, Optional<String> failure) {
        static Sent all(int count) {
            return new Sent(count, Optional.empty());
        }

        static Sent failed(int delivered, String why) {
            return new Sent(delivered, Optional.of(why));
        }
    }

    private final Optional<URI> awsEndpoint;
    private final Optional<String> webhookSecret;
    private final Clock clock;
    private final AwsCredentialsProvider credentials;
    private final SdkHttpClient awsHttp;
    private final HttpClient webhooks;
    private final Map<Region, KinesisClient> kinesis = new ConcurrentHashMap<>();
    private final Map<Region, FirehoseClient> firehose = new ConcurrentHashMap<>();

    StreamSenders(Optional<URI> awsEndpoint, Optional<String> webhookSecret, Clock clock) {
        this(awsEndpoint, webhookSecret, clock, DefaultCredentialsProvider.builder().build());
    }

    StreamSenders(Optional<URI> awsEndpoint, Optional<String> webhookSecret, Clock clock,
                  AwsCredentialsProvider credentials) {
        this.awsEndpoint = awsEndpoint;
        this.webhookSecret = webhookSecret;
        this.clock = clock;
        this.credentials = credentials;
        this.awsHttp = UrlConnectionHttpClient.builder().connectionTimeout(CONNECT_TIMEOUT)
                .socketTimeout(REQUEST_TIMEOUT).build();
        // Redirects off: the configured receiver must not send the app's events somewhere else.
        this.webhooks = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(CONNECT_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    Sent send(EventStreamTarget target, List<Queued> batch) {
        try {
            return switch (target.kind()) {
                case WEBHOOK -> webhook(target.url(), batch);
                case KINESIS -> kinesis(target, batch);
                case FIREHOSE -> firehose(target, batch);
            };
        } catch (SdkException e) {
            return Sent.failed(0, target.kind() + " " + target.name() + ": " + e.getMessage());
        }
    }

    private Sent webhook(URI url, List<Queued> batch) {
        StringBuilder json = new StringBuilder().append('[');
        for (Queued row : batch) {
            json.append(json.length() > 1 ? "," : "").append(row.record());
        }
        byte[] body = json.append(']').toString().getBytes(StandardCharsets.UTF_8);
        HttpRequest.Builder request = HttpRequest.newBuilder(url).timeout(REQUEST_TIMEOUT)
                .header("Content-Type", "application/json").header("User-Agent", "Waymark")
                // The same batch sent again starts with the same row: the key lets a receiver see the repeat.
                .header("Idempotency-Key", "event-stream-" + batch.get(0).id() + "-" + batch.size())
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        webhookSecret.ifPresent(secret -> request.header(WebhookSignature.HEADER,
                WebhookSignature.header(secret, clock.instant().getEpochSecond(), body)));
        try {
            int status = webhooks.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
            return status >= 200 && status < 300 ? Sent.all(batch.size())
                    : Sent.failed(0, "POST to " + url.getHost() + " answered HTTP " + status);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Sent.failed(0, "interrupted while posting to " + url.getHost());
        } catch (IOException e) {
            return Sent.failed(0, "POST to " + url.getHost() + " failed: " + e);
        }
    }

    private Sent kinesis(EventStreamTarget target, List<Queued> batch) {
        KinesisClient client = client(kinesis, target.region(), region -> KinesisClient.builder()
                .httpClient(awsHttp).credentialsProvider(credentials).region(region)
                .overrideConfiguration(o -> o.apiCallTimeout(AWS_CALL_TIMEOUT))
                .applyMutation(builder -> awsEndpoint.ifPresent(builder::endpointOverride)).build());
        if (client == null) {
            return Sent.failed(0, "more than " + MAX_REGIONS + " regions in use");
        }
        List<PutRecordsRequestEntry> entries = batch.stream().map(row -> PutRecordsRequestEntry.builder()
                .partitionKey(partitionKey(row)).data(SdkBytes.fromUtf8String(row.record())).build()).toList();
        PutRecordsResponse response = client.putRecords(request -> request.streamName(target.name())
                .records(entries));
        if (response.failedRecordCount() == null || response.failedRecordCount() == 0) {
            return Sent.all(batch.size());
        }
        List<PutRecordsResultEntry> results = response.records();
        for (int i = 0; i < results.size(); i++) {
            if (results.get(i).errorCode() != null) {
                return Sent.failed(i, "Kinesis " + target.name() + ": " + results.get(i).errorCode() + " "
                        + results.get(i).errorMessage());
            }
        }
        return Sent.failed(0, "Kinesis " + target.name() + ": " + response.failedRecordCount() + " records failed");
    }

    private Sent firehose(EventStreamTarget target, List<Queued> batch) {
        FirehoseClient client = client(firehose, target.region(), region -> FirehoseClient.builder()
                .httpClient(awsHttp).credentialsProvider(credentials).region(region)
                .overrideConfiguration(o -> o.apiCallTimeout(AWS_CALL_TIMEOUT))
                .applyMutation(builder -> awsEndpoint.ifPresent(builder::endpointOverride)).build());
        if (client == null) {
            return Sent.failed(0, "more than " + MAX_REGIONS + " regions in use");
        }
        // Firehose concatenates records into its files: a newline after each keeps them one JSON object a line.
        List<Record> records = batch.stream().map(row -> Record.builder()
                .data(SdkBytes.fromUtf8String(row.record() + "\n")).build()).toList();
        PutRecordBatchResponse response = client.putRecordBatch(request -> request
                .deliveryStreamName(target.name()).records(records));
        if (response.failedPutCount() == null || response.failedPutCount() == 0) {
            return Sent.all(batch.size());
        }
        List<PutRecordBatchResponseEntry> results = response.requestResponses();
        for (int i = 0; i < results.size(); i++) {
            if (results.get(i).errorCode() != null) {
                return Sent.failed(i, "Firehose " + target.name() + ": " + results.get(i).errorCode() + " "
                        + results.get(i).errorMessage());
            }
        }
        return Sent.failed(0, "Firehose " + target.name() + ": " + response.failedPutCount() + " records failed");
    }

    /** An endpoint's records share a shard (in order); records without an endpoint share the app's key. */
    private static String partitionKey(Queued row) {
        String key = row.endpointKey().isEmpty() ? "-" : row.endpointKey();
        // Kinesis partition keys are at most 256 characters (endpoint ids are at most 128 in Waymark).
        return key.length() > 256 ? key.substring(0, 256) : key;
    }

    private <C> C client(Map<Region, C> clients, String regionName, java.util.function.Function<Region, C> build) {
        Region region = Region.of(regionName);
        C existing = clients.get(region);
        if (existing != null) {
            return existing;
        }
        if (clients.size() >= MAX_REGIONS) {
            return null;
        }
        return clients.computeIfAbsent(region, build);
    }

    @Override
    public void close() {
        kinesis.values().forEach(KinesisClient::close);
        firehose.values().forEach(FirehoseClient::close);
        awsHttp.close();
    }
}
