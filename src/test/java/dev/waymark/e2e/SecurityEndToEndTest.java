package dev.waymark.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.waymark.auth.SecuritySettings;
import dev.waymark.cli.WaymarkCommand;
import dev.waymark.server.ServerConfig;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.client.config.SdkAdvancedClientOption;
import software.amazon.awssdk.core.signer.Signer;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.pinpoint.PinpointClient;
import software.amazon.awssdk.services.pinpoint.model.ApplicationResponse;
import software.amazon.awssdk.services.pinpoint.model.ForbiddenException;
import software.amazon.awssdk.services.pinpoint.model.TooManyRequestsException;

/** Every refusal of the security layer, as the Java SDK's typed exceptions, and keys managed while running. */
class SecurityEndToEndTest extends EndToEndTest {

    @Test
    void everyKindOfBadCredentialIsForbiddenAndSaysWhy() {
        assertForbidden(client(AnonymousCredentialsProvider.create()), "Missing authentication");
        assertForbidden(client("AKIDUNKNOWN", "whatever"), "Unknown access key: AKIDUNKNOWN");
        assertForbidden(client(WaymarkTestServer.ACCESS_KEY, "the-wrong-secret"), "Bad signature");
        PinpointClient expired = waymark.client(o -> o.putAdvancedOption(SdkAdvancedClientOption.SIGNER,
                signedAt(Instant.now().minus(Duration.ofMinutes(10)))));
        assertForbidden(expired, "Signature expired");
        PinpointClient fromTheFuture = waymark.client(o -> o.putAdvancedOption(SdkAdvancedClientOption.SIGNER,
                signedAt(Instant.now().plus(Duration.ofMinutes(10)))));
        assertForbidden(fromTheFuture, "Signature expired");
        PinpointClient slightlyOff = waymark.client(o -> o.putAdvancedOption(SdkAdvancedClientOption.SIGNER,
                signedAt(Instant.now().minus(Duration.ofMinutes(3)))));
        assertThat(slightlyOff.getApps(r -> { }).applicationsResponse().item()).isEmpty();
    }

    @Test
    void healthNeedsNoSignature() throws Exception {
        HttpResponse<String> health = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(waymark.server().url() + "/health")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode()).isEqualTo(200);
    }

    @Test
    void scopedKeysSeeAndChangeOnlyTheirApps() {
        String mine = createApp("mine");
        String theirs = createApp("theirs");
        PinpointClient scoped = client(keys("create", "--apps", mine));
        PinpointClient readOnly = client(keys("create", "--apps", mine, "--read-only"));

        assertThat(scoped.getApps(r -> { }).applicationsResponse().item()).extracting(ApplicationResponse::id)
                .containsExactly(mine);
        assertThat(scoped.getApp(r -> r.applicationId(mine)).applicationResponse().id()).isEqualTo(mine);
        String journeyId = scoped.createJourney(r -> r.applicationId(mine).writeJourneyRequest(SampleJourneys.simple("j")))
                .journeyResponse().id();
        assertForbidden(() -> scoped.getApp(r -> r.applicationId(theirs)), "may not use the application '" + theirs + "'");
        String missing = "0".repeat(32);
        assertForbidden(() -> scoped.getApp(r -> r.applicationId(missing)), "may not use the application '" + missing + "'");
        assertForbidden(() -> scoped.createApp(r -> r.createApplicationRequest(a -> a.name("new"))), "CreateApp needs an admin key");
        assertForbidden(() -> scoped.deleteApp(r -> r.applicationId(mine)), "DeleteApp needs an admin key");
        assertForbidden(() -> scoped.listTagsForResource(r -> r.resourceArn(
                "arn:aws:mobiletargeting:us-east-1:000000000000:apps/" + theirs)), "may not use the application");

        assertThat(readOnly.getJourneyRuns(r -> r.applicationId(mine).journeyId(journeyId)).journeyRunsResponse().item()).isEmpty();
        assertForbidden(() -> readOnly.createJourney(r -> r.applicationId(mine)
                .writeJourneyRequest(SampleJourneys.simple("nope"))), "is read-only");
        assertForbidden(() -> readOnly.tagResource(r -> r.resourceArn(
                "arn:aws:mobiletargeting:us-east-1:000000000000:apps/" + mine).tagsModel(t -> t.tags(Map.of("a", "b")))), "is read-only");
    }

    @Test
    void aRevokedKeyIsRefusedWithinASecondWithoutRestart() throws Exception {
        Map<String, String> key = keys("create", "--admin");
        PinpointClient admin = client(key);
        assertThat(admin.getApps(r -> { }).applicationsResponse().item()).isEmpty();
        assertThat(run("keys", "list", "--db-url", waymark.jdbcUrl())).contains(key.get("AWS_ACCESS_KEY_ID") + "  admin")
                .doesNotContain(key.get("AWS_SECRET_ACCESS_KEY"));

        assertThat(run("keys", "revoke", key.get("AWS_ACCESS_KEY_ID"), "--db-url", waymark.jdbcUrl())).contains("revoked");
        Thread.sleep(1000);
        assertForbidden(admin, "Revoked access key: " + key.get("AWS_ACCESS_KEY_ID"));
        assertThat(run("keys", "list", "--db-url", waymark.jdbcUrl())).contains("REVOKED");
    }

    @Test
    void throttlingPerKey(@TempDir Path otherDir) throws Exception {
        try (WaymarkTestServer throttled = WaymarkTestServer.start(ServerConfig.defaults(otherDir, 0)
                .withSecurity(SecuritySettings.DEFAULTS.withThrottle(1, 2)))) {
            PinpointClient client = throttled.client();
            client.getApps(r -> { });
            client.getApps(r -> { });
            assertThatThrownBy(() -> client.getApps(r -> { }))
                    .isInstanceOf(TooManyRequestsException.class)
                    .hasMessageContaining("may send 1 requests a second");
            Thread.sleep(1100);
            client.getApps(r -> { });
        }
    }

    @Test
    void pastTheInFlightBoundRequestsAreRefusedAtOnceAndHealthAnswers(@TempDir Path otherDir) throws Exception {
        try (WaymarkTestServer bounded = WaymarkTestServer.start(ServerConfig.defaults(otherDir, 0)
                .withSecurity(SecuritySettings.DEFAULTS.withMaxInFlight(1)));
             Socket slow = new Socket("127.0.0.1", bounded.server().port())) {
            // A signed request whose body never arrives holds the only place (an unsigned one is refused at once).
            String body = "{\"Name\":\"" + "n".repeat(90) + "\"}";
            software.amazon.awssdk.http.SdkHttpRequest signed = SignedHttp.sign(
                    software.amazon.awssdk.http.SdkHttpRequest.builder().uri(URI.create(bounded.server().url()
                            + "/v1/apps")).method(software.amazon.awssdk.http.SdkHttpMethod.POST)
                            .putHeader("Content-Type", "application/json").build(),
                    body, WaymarkTestServer.ACCESS_KEY, WaymarkTestServer.SECRET_KEY);
            StringBuilder head = new StringBuilder("POST /v1/apps HTTP/1.1\r\n");
            signed.headers().forEach((name, values) -> values.forEach(v -> head.append(name).append(": ")
                    .append(v).append("\r\n")));
            head.append("Content-Length: ").append(body.length()).append("\r\n\r\n{");
            OutputStream out = slow.getOutputStream();
            out.write(head.toString().getBytes(StandardCharsets.US_ASCII));
            out.flush();
            Thread.sleep(300);
            long started = System.nanoTime();
            assertThatThrownBy(() -> bounded.client().getApps(r -> { }))
                    .isInstanceOf(TooManyRequestsException.class)
                    .hasMessageContaining("1 requests are in progress already");
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
            HttpResponse<String> health = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create(bounded.server().url() + "/health")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(health.statusCode()).isEqualTo(200);
        }
    }

    /** Runs {@code waymark ARGS} in this JVM and returns what it printed. */
    private static String run(String... args) {
        PrintStream original = System.out;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
        try {
            assertThat(WaymarkCommand.commandLine().execute(args)).as("exit code of %s", String.join(" ", args)).isZero();
        } finally {
            System.setOut(original);
        }
        return printed.toString(StandardCharsets.UTF_8);
    }

    /** {@code waymark keys ARGS} on this test's store; the printed {@code export AWS_...} line as a map. */
    private Map<String, String> keys(String... args) {
        String[] withStore = new String[args.length + 3];
        withStore[0] = "keys";
        System.arraycopy(args, 0, withStore, 1, args.length);
        withStore[args.length + 1] = "--db-url";
        withStore[args.length + 2] = waymark.jdbcUrl();
        Map<String, String> pair = new HashMap<>();
        for (String line : run(withStore).split("\n")) {
            Matcher export = EXPORT_LINE.matcher(line);
            if (export.matches()) {
                pair.put("AWS_ACCESS_KEY_ID", export.group(1));
                pair.put("AWS_SECRET_ACCESS_KEY", export.group(2));
            }
        }
        assertThat(pair).containsKeys("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY");
        return pair;
    }

    private static final Pattern EXPORT_LINE =
            Pattern.compile("export AWS_ACCESS_KEY_ID=(\\S+) AWS_SECRET_ACCESS_KEY=(\\S+)");

    private PinpointClient client(Map<String, String> key) {
        return client(key.get("AWS_ACCESS_KEY_ID"), key.get("AWS_SECRET_ACCESS_KEY"));
    }

    private PinpointClient client(String keyId, String secret) {
        return client(StaticCredentialsProvider.create(AwsBasicCredentials.create(keyId, secret)));
    }

    private PinpointClient client(software.amazon.awssdk.auth.credentials.AwsCredentialsProvider credentials) {
        return PinpointClient.builder().endpointOverride(waymark.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(credentials)
                .overrideConfiguration(o -> o.retryStrategy(r -> r.maxAttempts(1)))
                .build();
    }

    private static void assertForbidden(PinpointClient client, String message) {
        assertForbidden(() -> client.getApps(r -> { }), message);
    }

    private static void assertForbidden(Runnable call, String message) {
        assertThatThrownBy(call::run).isInstanceOf(ForbiddenException.class).hasMessageContaining(message);
    }

    /** A SigV4 signer whose clock says {@code at}: the AWS SDK's own signer, so only the time is off. */
    private static Signer signedAt(Instant at) {
        return (SdkHttpFullRequest request, software.amazon.awssdk.core.interceptor.ExecutionAttributes attributes) -> {
            ContentStreamProvider payload = request.contentStreamProvider().orElse(null);
            SdkHttpRequest signed = AwsV4HttpSigner.create().sign(r -> r
                    .identity(AwsCredentialsIdentity.create(WaymarkTestServer.ACCESS_KEY, WaymarkTestServer.SECRET_KEY))
                    .request(request)
                    .payload(payload)
                    .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "mobiletargeting")
                    .putProperty(AwsV4HttpSigner.REGION_NAME, "us-east-1")
                    .putProperty(AwsV4HttpSigner.SIGNING_CLOCK, Clock.fixed(at, ZoneOffset.UTC))).request();
            return request.toBuilder().headers(signed.headers()).build();
        };
    }
}
