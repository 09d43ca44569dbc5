package dev.waymark.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import dev.waymark.CapturedLogs;
import dev.waymark.server.ServerConfig;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.client.config.SdkAdvancedClientOption;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.services.pinpoint.PinpointClient;
import software.amazon.awssdk.services.pinpoint.model.BadRequestException;
import software.amazon.awssdk.services.pinpoint.model.ForbiddenException;
import software.amazon.awssdk.services.pinpoint.model.InternalServerErrorException;
import software.amazon.awssdk.services.pinpoint.model.MethodNotAllowedException;
import software.amazon.awssdk.services.pinpoint.model.NotFoundException;
import software.amazon.awssdk.services.pinpoint.model.PayloadTooLargeException;
import software.amazon.awssdk.services.pinpoint.model.PinpointException;
import software.amazon.awssdk.services.pinpoint.model.WriteJourneyRequest;

/** Every modeled error Waymark can produce today, as the real SDK's typed exception, and the raw error shape. */
class ErrorsEndToEndTest extends EndToEndTest {
    @RegisterExtension
    final CapturedLogs logs = new CapturedLogs();
    String appId;

    @BeforeEach
    void createTestApp() {
        appId = createApp("errors");
    }

    @Test
    void notFoundCarriesTheRequestId() {
        NotFoundException e = (NotFoundException) catchPinpoint(() -> client.getApp(r -> r.applicationId("0".repeat(32))));
        assertThat(e.statusCode()).isEqualTo(404);
        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("NotFoundException");
        assertThat(e.requestId()).matches("[0-9a-f-]{36}");
        assertThatThrownBy(() -> client.getJourneyRuns(r -> r.applicationId(appId).journeyId("nope")))
                .isInstanceOf(NotFoundException.class)
                .hasMessageContaining("Journey 'nope' not found");
    }

    @Test
    void badRequestNamesTheMember() {
        assertThatThrownBy(() -> client.createJourney(r -> r.applicationId(appId)
                .writeJourneyRequest(SampleJourneys.simple("has spaces"))))
                .isInstanceOf(BadRequestException.class)
                .hasMessageContaining("Name must not contain spaces");
        assertThatThrownBy(() -> client.createJourney(r -> r.applicationId(appId)
                .writeJourneyRequest(SampleJourneys.simple("x").toBuilder().state("BOGUS").build())))
                .isInstanceOf(BadRequestException.class)
                .hasMessageContaining("State must be one of ACTIVE, CANCELLED, CLOSED, COMPLETED, DRAFT, PAUSED");
        assertThatThrownBy(() -> client.createJourney(r -> r.applicationId(appId)
                .writeJourneyRequest(SampleJourneys.simple("x").toBuilder().refreshFrequency("hourly").build())))
                .isInstanceOf(BadRequestException.class)
                .hasMessageContaining("RefreshFrequency must be an ISO 8601 duration");
        assertThatThrownBy(() -> client.getCampaigns(r -> r.applicationId(appId)))
                .isInstanceOf(BadRequestException.class)
                .hasMessageContaining("GetCampaigns is a Pinpoint operation that Waymark does not implement yet");
    }

    @Test
    void wrongJsonTypesAreRefusedWithTheMemberPath() throws Exception {
        HttpResponse<String> response = raw("POST", "/v1/apps/" + appId + "/journeys",
                "{\"Name\":\"j\",\"Activities\":{\"welcome\":{\"Wait\":{\"WaitTime\":{\"WaitFor\":5}}}}}");
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.headers().firstValue("x-amzn-ErrorType")).hasValue("BadRequestException");
        assertThat(response.body()).contains("Activities.welcome.Wait.WaitTime.WaitFor must be a string, not the integer 5");
        String requestId = response.headers().firstValue("x-amzn-RequestId").orElseThrow();
        assertThat(response.body()).contains("\"RequestID\":\"" + requestId + "\"");

        assertThat(raw("POST", "/v1/apps/" + appId + "/journeys", "{\"Name\": ").body())
                .contains("The request body is not valid JSON");
        assertThat(raw("POST", "/v1/apps/" + appId + "/journeys", "{\"Name\":\"j\",\"Limits\":{\"DailyCap\":1.5}}").body())
                .contains("Limits.DailyCap must be a 32-bit integer, not the number 1.5");
        assertThat(raw("POST", "/v1/apps/" + appId + "/journeys",
                "{\"Name\":\"j\",\"Unknown\":{\"x\":1},\"OpenHours\":{\"EMAIL\":{\"FUNDAY\":[]}}}").body())
                .contains("OpenHours.EMAIL.FUNDAY: the key must be one of");
        HttpResponse<String> unknownMembersIgnored = raw("POST", "/v1/apps/" + appId + "/journeys",
                "{\"Name\":\"j\",\"Unknown\":{\"x\":1}}");
        assertThat(unknownMembersIgnored.statusCode()).isEqualTo(201);
        assertThat(unknownMembersIgnored.body()).doesNotContain("Unknown");
    }

    @Test
    void methodNotAllowedOnAKnownPath() {
        PinpointClient patching = waymark.client(o -> o.addExecutionInterceptor(new ExecutionInterceptor() {
            @Override
            public SdkHttpRequest modifyHttpRequest(Context.ModifyHttpRequest context,
                                                    ExecutionAttributes executionAttributes) {
                return context.httpRequest().toBuilder().method(SdkHttpMethod.PATCH).build();
            }
        }));
        assertThatThrownBy(() -> patching.getApp(r -> r.applicationId(appId)))
                .isInstanceOf(MethodNotAllowedException.class)
                .hasMessageContaining("The method PATCH is not allowed on /v1/apps/" + appId)
                .hasMessageContaining("allowed: DELETE, GET");
    }

    @Test
    void forbiddenForAMalformedSignature() {
        PinpointClient badlySigned = waymark.client(o -> o.putAdvancedOption(SdkAdvancedClientOption.SIGNER,
                (request, attributes) -> request.toBuilder()
                        .putHeader("Authorization", "AWS4-HMAC-SHA256 Credential=AKID/2026/us-east-1").build()));
        assertThatThrownBy(() -> badlySigned.getApps(r -> { }))
                .isInstanceOf(ForbiddenException.class)
                .hasMessageContaining("Malformed Authorization header");
    }

    @Test
    void payloadTooLargeAtTheDefaultLimit() {
        WriteJourneyRequest huge = SampleJourneys.simple("huge").toBuilder()
                .startCondition(s -> s.description("x".repeat(7 * 1024 * 1024 + 1))).build();
        assertThatThrownBy(() -> client.createJourney(r -> r.applicationId(appId).writeJourneyRequest(huge)))
                .isInstanceOf(PayloadTooLargeException.class)
                .hasMessageContaining("larger than the limit of 1048576 bytes for CreateJourney");
        assertThat(client.listJourneys(r -> r.applicationId(appId)).journeysResponse().item()).isEmpty();
    }

    @Test
    void payloadTooLargeWithoutContentLength(@TempDir Path otherDir) throws Exception {
        try (WaymarkTestServer small = WaymarkTestServer.start(ServerConfig.defaults(otherDir, 0).withMaxBodyBytes(1024))) {
            // Signed: a body is read only once the headers show a known key.
            String body = "{\"Name\":\"" + "n".repeat(4000) + "\"}";
            software.amazon.awssdk.http.SdkHttpRequest signed = SignedHttp.sign(
                    software.amazon.awssdk.http.SdkHttpRequest.builder()
                            .uri(URI.create(small.server().url() + "/v1/apps")).method(SdkHttpMethod.POST).build(),
                    body, WaymarkTestServer.ACCESS_KEY, WaymarkTestServer.SECRET_KEY);
            HttpRequest.Builder builder = HttpRequest.newBuilder(signed.getUri())
                    .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(
                            body.getBytes(StandardCharsets.UTF_8))));
            signed.headers().forEach((name, values) -> {
                if (!name.equalsIgnoreCase("host") && !name.equalsIgnoreCase("content-length")) {
                    values.forEach(value -> builder.header(name, value));
                }
            });
            HttpRequest chunked = builder.build();
            HttpResponse<String> response = HttpClient.newHttpClient().send(chunked, HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(413);
            assertThat(response.headers().firstValue("x-amzn-ErrorType")).hasValue("PayloadTooLargeException");
        }
    }

    @Test
    void internalErrorsAreLoggedNotShown() throws Exception {
        String journeyId = client.createJourney(r -> r.applicationId(appId)
                .writeJourneyRequest(SampleJourneys.simple("corrupt"))).journeyResponse().id();
        try (Connection db = DriverManager.getConnection(waymark.jdbcUrl());
             PreparedStatement corrupt = db.prepareStatement("UPDATE journeys SET definition = '{' WHERE id = ?")) {
            corrupt.setString(1, journeyId);
            assertThat(corrupt.executeUpdate()).isEqualTo(1);
        }
        InternalServerErrorException e = (InternalServerErrorException) catchPinpoint(
                () -> client.getJourney(r -> r.applicationId(appId).journeyId(journeyId)));
        assertThat(e.statusCode()).isEqualTo(500);
        assertThat(e.awsErrorDetails().errorMessage())
                .isEqualTo("Internal server error; the server log has the details under request id " + e.requestId())
                .doesNotContain("Exception");
        assertThat(logs.expect(Level.ERROR, "http.ErrorMappingStep", e.requestId()).getThrowableProxy()).isNotNull();
    }

    @Test
    void errorsJettyRaisesAreJsonToo() throws Exception {
        String response = rawSocket("GET /v1/apps/%zz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
        assertThat(response).startsWith("HTTP/1.1 400");
        assertThat(response).containsIgnoringCase("x-amzn-ErrorType: BadRequestException");
        assertThat(response).contains("{\"Message\":").doesNotContainIgnoringCase("<html");

        String garbage = rawSocket("NONSENSE\r\n\r\n");
        assertThat(garbage).startsWith("HTTP/1.1 400");
        assertThat(garbage).contains("{\"Message\":").doesNotContainIgnoringCase("<html");
    }

    @Test
    void unknownPathsAreNotFoundJson() throws Exception {
        HttpResponse<String> response = raw("GET", "/v2/nothing", null);
        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.headers().firstValue("x-amzn-ErrorType")).hasValue("NotFoundException");
        assertThat(response.body()).contains("No Pinpoint operation matches GET /v2/nothing");
    }

    private static PinpointException catchPinpoint(Runnable call) {
        try {
            call.run();
        } catch (PinpointException e) {
            return e;
        }
        throw new AssertionError("expected a PinpointException");
    }

    private HttpResponse<String> raw(String method, String path, String body) throws Exception {
        return SignedHttp.send(waymark.server().url(), method, path, body);
    }

    private String rawSocket(String request) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", waymark.server().port())) {
            socket.setSoTimeout(5000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
