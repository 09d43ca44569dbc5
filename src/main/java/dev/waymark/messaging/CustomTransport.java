package dev.waymark.messaging;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.waymark.wire.Json;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.LambdaClientBuilder;
import software.amazon.awssdk.services.lambda.model.InvocationType;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;

/**
 * CUSTOM activities: the activity's DeliveryUri receives Pinpoint's custom-channel payload, either as a signed POST to
 * an {@code https://} URL ({@code http://} with {@code --allow-http-delivery}) or as a synchronous invocation of a
 * Lambda function named by ARN or name. What the receiver answers per endpoint ({@code {"<endpoint id>":
 * {"EventAttributes": {...}}}}) comes back in {@link Delivery#eventAttributes()}, so that later splits can read it.
 *
 * <p>A function error ({@code X-Amz-Function-Error}: the function threw, timed out or ran out of memory) is retried
 * like a 5xx: such failures are usually momentary, and the outbox gives up after an hour anyway.
 */
public final class CustomTransport implements Transport {
    /** Pinpoint hands a custom receiver at most 50 endpoints per call. */
    static final int MAX_ENDPOINTS = 50;
    /** Event attributes kept per endpoint, and the longest name and value kept; the rest of an answer is ignored. */
    static final int MAX_ATTRIBUTES = 40;
    static final int MAX_ATTRIBUTE_NAME = 50;
    static final int MAX_ATTRIBUTE_VALUE = 200;
    /** The most of an answer read: 50 endpoints with 40 attributes of 200 characters fit well inside. */
    static final int MAX_ANSWER_BYTES = 1024 * 1024;
    /** A function as Lambda's Invoke accepts it: a name, a partial ARN or a full ARN, with an optional qualifier. */
    private static final Pattern FUNCTION = Pattern.compile("(arn:aws[a-zA-Z-]*:lambda:[a-z]{2}(-[a-z]+)+-\\d:)?"
            + "(\\d{12}:)?(function:)?[a-zA-Z0-9_-]{1,64}(:(\\$LATEST|[a-zA-Z0-9_-]{1,128}))?");
    private static final Region DEFAULT_REGION = Region.US_EAST_1;
    private static final int MAX_REGIONS = 64;

    private final boolean allowHttp;
    private final Optional<URI> lambdaEndpoint;
    private final AwsCredentialsProvider credentials;
    private final SignedPost post;
    private final SignedPost.Timeouts timeouts;
    private final Clock clock;
    private final SdkHttpClient lambdaHttp;
    private final Map<Region, LambdaClient> lambdas = new ConcurrentHashMap<>();

    /**
     * CUSTOM delivery with the operator's settings; URL deliveries are signed when a webhook secret is set (Pinpoint's
     * own custom webhooks are not signed, so without one they go unsigned).
     */
    public CustomTransport(boolean allowHttp, Optional<URI> lambdaEndpoint, Optional<String> webhookSecret) {
        this(allowHttp, lambdaEndpoint, webhookSecret, DefaultCredentialsProvider.builder().build(), Clock.systemUTC(),
                SignedPost.Timeouts.DEFAULT);
    }

    /** The tests' constructor: fixed credentials for a local Lambda stand-in, their own clock and timeouts. */
    CustomTransport(boolean allowHttp, Optional<URI> lambdaEndpoint, Optional<String> webhookSecret,
                    AwsCredentialsProvider credentials, Clock clock, SignedPost.Timeouts timeouts) {
        this.allowHttp = allowHttp;
        this.lambdaEndpoint = lambdaEndpoint;
        this.credentials = credentials;
        this.clock = clock;
        this.timeouts = timeouts;
        this.post = new SignedPost(webhookSecret, clock, timeouts);
        this.lambdaHttp = UrlConnectionHttpClient.builder().connectionTimeout(timeouts.connect())
                .socketTimeout(timeouts.request()).build();
    }

    @Override
    public Channel channel() {
        return Channel.CUSTOM;
    }

    @Override
    public Duration longestSend() {
        // A POST, or a Lambda call bounded by the request timeout and a second (invokeClient's apiCallTimeout).
        return post.longestPost().plusSeconds(1);
    }

    @Override
    public Delivery send(OutboundMessage message) {
        JsonNode endpoints = message.content().path("Endpoints");
        if (!endpoints.isObject() || endpoints.isEmpty()) {
            return Delivery.permanentFailure(0, "a CUSTOM message needs Endpoints, an object of endpoint ids");
        }
        if (endpoints.size() > MAX_ENDPOINTS) {
            return Delivery.permanentFailure(0, "a CUSTOM call carries at most " + MAX_ENDPOINTS + " endpoints, not "
                    + endpoints.size());
        }
        String destination = message.destination();
        String lower = destination.toLowerCase(Locale.ROOT);
        if (lower.startsWith("https://") || lower.startsWith("http://")) {
            return toUrl(message, destination);
        }
        if (destination.length() <= 256 && FUNCTION.matcher(destination).matches()) {
            return toLambda(message, destination);
        }
        return Delivery.permanentFailure(0, "DeliveryUri is neither an https:// URL nor a Lambda function name or ARN");
    }

    /** The payload a receiver gets: Pinpoint's custom-channel event, plus Waymark's run id and idempotency key. */
    ObjectNode payload(OutboundMessage message) {
        ObjectNode payload = Json.MAPPER.createObjectNode();
        payload.putObject("Message");
        JsonNode data = message.content().get("Data");
        if (data != null && !data.isNull()) {
            payload.put("Data", data.asText());
        }
        payload.put("ApplicationId", message.appId());
        Origin origin = message.origin();
        origin.journeyId().ifPresent(id -> payload.put("JourneyId", id));
        origin.activityId().ifPresent(id -> payload.put("ActivityId", id));
        origin.runId().ifPresent(id -> payload.put("RunId", id));
        origin.traceId().ifPresent(id -> payload.put("TraceId", id));
        payload.put("ScheduledTime", clock.instant().truncatedTo(ChronoUnit.MILLIS).toString());
        payload.put("MessageId", message.id());
        payload.put("IdempotencyKey", message.idempotencyKey());
        payload.set("Endpoints", message.content().get("Endpoints"));
        return payload;
    }

    private Delivery toUrl(OutboundMessage message, String destination) {
        URI url;
        try {
            url = new URI(destination);
        } catch (java.net.URISyntaxException e) {
            return Delivery.permanentFailure(0, "DeliveryUri is not a valid URL: " + e.getMessage());
        }
        String scheme = url.getScheme().toLowerCase(Locale.ROOT);
        if (url.getHost() == null || url.getRawUserInfo() != null || url.getRawFragment() != null) {
            return Delivery.permanentFailure(0, "DeliveryUri must be an https:// URL with a host, no user and no "
                    + "fragment");
        }
        if (scheme.equals("http") && !allowHttp) {
            return Delivery.permanentFailure(0, "DeliveryUri must be https:// (http:// needs --allow-http-delivery)");
        }
        if (!allowHttp) {
            Optional<Delivery> refused = refuseInternal(url.getHost());
            if (refused.isPresent()) {
                return refused.get();
            }
        }
        SignedPost.Result result = post.post(url, message.idempotencyKey(), Json.write(payload(message)),
                MAX_ANSWER_BYTES);
        if (result.failure().isPresent()) {
            return result.failure().get();
        }
        SignedPost.Answer answer = result.answer().orElseThrow();
        Delivery delivery = SignedPost.classify(answer);
        if (delivery.outcome() != Delivery.Outcome.DELIVERED) {
            return delivery;
        }
        return withAttributes(delivery, answer.json(), message.content().get("Endpoints"));
    }

    private Delivery toLambda(OutboundMessage message, String function) {
        if (lambdas.size() >= MAX_REGIONS && !lambdas.containsKey(regionOf(function))) {
            return Delivery.permanentFailure(0, "DeliveryUri names a Lambda region beyond the " + MAX_REGIONS
                    + " this server invokes");
        }
        InvokeResponse response;
        try {
            response = lambda(regionOf(function)).invoke(request -> request.functionName(function)
                    .invocationType(InvocationType.REQUEST_RESPONSE)
                    .payload(SdkBytes.fromByteArray(Json.write(payload(message)))));
        } catch (AwsServiceException e) {
            int status = e.statusCode();
            String text = "Lambda " + (e.awsErrorDetails() == null ? "error" : e.awsErrorDetails().errorCode())
                    + " (HTTP " + status + "): " + shortened(e.awsErrorDetails() == null ? e.getMessage()
                    : e.awsErrorDetails().errorMessage());
            return status == 408 || status == 429 || status >= 500 || status == 0
                    ? Delivery.transientFailure(status, text) : Delivery.permanentFailure(status, text);
        } catch (SdkException e) {
            // No answer: no connection, a timeout, or no credentials to sign with.
            return Delivery.transientFailure(0, "Lambda invoke failed: " + shortened(e.getMessage()));
        }
        byte[] answer = response.payload() == null ? new byte[0] : response.payload().asByteArray();
        int status = response.statusCode() == null ? 200 : response.statusCode();
        if (response.functionError() != null) {
            return Delivery.transientFailure(status, "function error " + response.functionError() + ": "
                    + new SignedPost.Answer(status, answer).excerpt());
        }
        Delivery delivered = Delivery.delivered(status, "Lambda " + status,
                Optional.ofNullable(response.responseMetadata().requestId()));
        Optional<JsonNode> json = answer.length > MAX_ANSWER_BYTES ? Optional.empty()
                : new SignedPost.Answer(status, answer).json();
        return withAttributes(delivered, json, message.content().get("Endpoints"));
    }

    /**
     * A DeliveryUri comes from an API client, not from the operator: without {@code --allow-http-delivery} (local
     * use) it may not lead the server to its own machine or network (loopback, link-local such as the cloud metadata
     * address, private and multicast addresses), where it could reach services that trust their neighbours. A name
     * that does not resolve is worth another try later.
     */
    private static Optional<Delivery> refuseInternal(String host) {
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(host);
        } catch (UnknownHostException e) {
            return Optional.of(Delivery.transientFailure(0, "DeliveryUri's host " + host + " does not resolve"));
        }
        for (InetAddress address : addresses) {
            byte[] raw = address.getAddress();
            boolean uniqueLocal = raw.length == 16 && (raw[0] & 0xfe) == 0xfc;
            if (address.isLoopbackAddress() || address.isLinkLocalAddress() || address.isSiteLocalAddress()
                    || address.isAnyLocalAddress() || address.isMulticastAddress() || uniqueLocal) {
                return Optional.of(Delivery.permanentFailure(0, "DeliveryUri's host " + host + " is a local or "
                        + "private address (" + address.getHostAddress() + "), refused without --allow-http-delivery"));
            }
        }
        return Optional.empty();
    }

    /**
     * The answer's {@code EventAttributes} per endpoint, for the endpoints that were sent only, bounded: at most
     * {@link #MAX_ATTRIBUTES} per endpoint, names up to {@link #MAX_ATTRIBUTE_NAME} and values up to
     * {@link #MAX_ATTRIBUTE_VALUE} characters; anything else is ignored.
     */
    static Delivery withAttributes(Delivery delivery, Optional<JsonNode> answer, JsonNode sentEndpoints) {
        if (answer.isEmpty()) {
            return delivery;
        }
        Map<String, Map<String, String>> byEndpoint = new LinkedHashMap<>();
        int seen = 0;
        for (Map.Entry<String, JsonNode> entry : answer.get().properties()) {
            if (++seen > MAX_ENDPOINTS * 2 || byEndpoint.size() == MAX_ENDPOINTS) {
                break;
            }
            JsonNode attributes = entry.getValue().path("EventAttributes");
            if (!sentEndpoints.has(entry.getKey()) || !attributes.isObject()) {
                continue;
            }
            Map<String, String> kept = new LinkedHashMap<>();
            int looked = 0;
            for (Map.Entry<String, JsonNode> attribute : attributes.properties()) {
                if (++looked > MAX_ATTRIBUTES * 2 || kept.size() == MAX_ATTRIBUTES) {
                    break;
                }
                String name = attribute.getKey();
                JsonNode value = attribute.getValue();
                if (name.isEmpty() || name.length() > MAX_ATTRIBUTE_NAME || !value.isValueNode() || value.isNull()
                        || value.asText().length() > MAX_ATTRIBUTE_VALUE) {
                    continue;
                }
                kept.put(name, value.asText());
            }
            if (!kept.isEmpty()) {
                byEndpoint.put(entry.getKey(), Map.copyOf(kept));
            }
        }
        return new Delivery(delivery.outcome(), delivery.statusCode(), delivery.statusMessage(),
                delivery.providerMessageId(), Map.copyOf(byEndpoint));
    }

    /** The region of a full ARN; a name or partial ARN is invoked in us-east-1 (or at --lambda-endpoint). */
    static Region regionOf(String function) {
        if (function.startsWith("arn:")) {
            return Region.of(function.split(":", 5)[3]);
        }
        return DEFAULT_REGION;
    }

    private LambdaClient lambda(Region region) {
        LambdaClient existing = lambdas.get(region);
        if (existing != null) {
            return existing;
        }
        return lambdas.computeIfAbsent(region, key -> {
            LambdaClientBuilder builder = LambdaClient.builder().region(key).credentialsProvider(credentials)
                    .httpClient(lambdaHttp)
                    // The outbox retries, with back-off; the SDK retrying as well would multiply the attempts.
                    .overrideConfiguration(override -> override.retryStrategy(AwsRetryStrategy.doNotRetry())
                            .apiCallTimeout(timeouts.request().plus(Duration.ofSeconds(1))));
            lambdaEndpoint.ifPresent(builder::endpointOverride);
            return builder.build();
        });
    }

    private static String shortened(String text) {
        String value = text == null ? "" : text.replaceAll("\\p{Cntrl}", " ").strip();
        return value.length() > 200 ? value.substring(0, 200) + "..." : value;
    }

    @Override
    public void close() {
        lambdas.values().forEach(LambdaClient::close);
        lambdas.clear();
        lambdaHttp.close();
    }
}
