package dev.waymark.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.waymark.error.ApiException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/**
 * The verifier against AWS's published SigV4 test suite (service-independent cases), against the AWS SDK's own
 * signer as an oracle, and against every part of a signed request tampered with.
 */
class SignatureV4Test {
    private static final String SUITE_SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
    private static final String SECRET = "test-secret-key-0123456789";
    private static final Instant NOW = Instant.parse("2026-11-23T07:17:50Z");
    private static final AccessKey KEY = new AccessKey("AKIDTEST", SECRET, true, Set.of(), false, NOW, Optional.empty());

    /** Cases of the published suite (2015-08-30T12:36:00Z, us-east-1, service "service"), path and query as sent. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "get-vanilla|GET|/||host=example.amazonaws.com|host;x-amz-date||5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31",
            "get-vanilla-query-order-key-case|GET|/|Param2=value2&Param1=value1|host=example.amazonaws.com|host;x-amz-date||b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500",
            "get-vanilla-query-unreserved|GET|/|-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz=-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz|host=example.amazonaws.com|host;x-amz-date||9c3e54bfcdf0b19771a7f523ee5669cdf59bc7cc0884027167c21bb143a40197",
            "get-vanilla-utf8-query|GET|/|%E1%88%B4=bar|host=example.amazonaws.com|host;x-amz-date||2cdec8eed098649ff3a119c94853b13c643bcf08f8b0a1d91e12c9027818dd04",
            "get-unreserved|GET|/-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz||host=example.amazonaws.com|host;x-amz-date||07ef7494c76fa4850883e2b006601f940f8a34d404d0cfa977f52a65bbf5f24f",
            "get-header-value-trim|GET|/||host=example.amazonaws.com;my-header1=value1;my-header2=\"a   b   c\"|host;my-header1;my-header2;x-amz-date||acc3ed3afb60bb290fc8d2dd0098b9911fcaa05412b367055dee359757a9c736",
            "get-header-key-duplicate|GET|/||host=example.amazonaws.com;my-header1=value2;my-header1=value2;my-header1=value1|host;my-header1;x-amz-date||c9d5ea9f3f72853aea855b47ea873832890dbdd183b4468f858259531a5138ea",
            "post-vanilla|POST|/||host=example.amazonaws.com|host;x-amz-date||5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b",
            "post-vanilla-query|POST|/|Param1=value1|host=example.amazonaws.com|host;x-amz-date||28038455d6de14eafc1f9222cf5aa6f1a96197d7deb8263271d420d138af7f11",
            "post-vanilla-query-nonunreserved|POST|/|%40%23%24%25%5E=&%2B=%2F%2C%3F%3E%3C%60%22%3B%3A%5C%7C%5D%5B%7B%7D|host=example.amazonaws.com|host;x-amz-date||66c82657c86e26fb25238d0e69f011edc4c6df5ae71119d7cb98ed9b87393c1e",
            "post-header-value-case|POST|/||host=example.amazonaws.com;my-header1=VALUE1|host;my-header1;x-amz-date||cdbc9802e29d2942e5e10b5bccfdd67c5f22c7c4e8ae67b53629efa58b974b7d",
            "post-x-www-form-urlencoded|POST|/||content-type=application/x-www-form-urlencoded;host=example.amazonaws.com|content-type;host;x-amz-date|Param1=value1|ff11897932ad3f4e8b18135d722051e5ac45fc38421b1da7b9d196a0fe09473a",
    })
    void publishedSuite(String name, String method, String path, String query, String headerList, String signed,
                        String body, String expected) {
        Map<String, List<String>> headers = headers(headerList);
        headers.computeIfAbsent("x-amz-date", k -> new ArrayList<>()).add("20150830T123600Z");
        String canonical = SignatureV4.canonicalRequest(method, path, query, headers::get, List.of(signed.split(";")),
                SignatureV4.sha256Hex((body == null ? "" : body).getBytes(StandardCharsets.UTF_8)));
        String signature = new SignatureV4().sign(SUITE_SECRET, "20150830", "us-east-1", "service",
                SignatureV4.stringToSign("20150830T123600Z", "20150830/us-east-1/service/aws4_request", canonical));
        assertThat(signature).isEqualTo(expected);
    }

    @Test
    void acceptsWhatTheSdkSignerSigns() {
        for (String target : List.of("/v1/apps", "/v1/apps/app%201%2Fx/journeys/j/runs?page-size=2&token=tok%2F1%202",
                "/v1/tags/arn%3Aaws%3Amobiletargeting%3Aus-east-1%3A000000000000%3Aapps%2Fabc?tagKeys=a&tagKeys=b%20c")) {
            for (String body : List.of("", "{\"Name\":\"demo\",\"tags\":{\"k\":\"v\"}}")) {
                Signed request = oracle("POST", target, body, UnaryOperator.identity());
                assertThat(authenticator().authenticate(request.method, request.path, request.query, request.headers::get,
                        request.body)).isEqualTo(Caller.of(KEY));
            }
        }
    }

    @Test
    void acceptsASecurityTokenAndAnyRegion() {
        Signed request = oracle("GET", "/v1/apps", "", r -> r.putHeader("X-Amz-Security-Token", "session-token"));
        assertThat(request.headers.get("authorization").get(0)).contains("x-amz-security-token");
        assertThat(authenticator().authenticate(request.method, request.path, request.query, request.headers::get,
                request.body)).isEqualTo(Caller.of(KEY));
    }

    @Test
    void everyTamperedPartIsRefused() {
        Signed good = oracle("PUT", "/v1/apps/a/journeys/j?x=1", "{\"Name\":\"n\"}", r -> r.putHeader("X-Custom", "v"));
        refused(good.with(s -> s.method = "POST"), "Bad signature");
        refused(good.with(s -> s.path = "/v1/apps/b/journeys/j"), "Bad signature");
        refused(good.with(s -> s.query = "x=2"), "Bad signature");
        refused(good.with(s -> s.headers.put("x-custom", List.of("w"))), "Bad signature");
        refused(good.with(s -> s.body = "{\"Name\":\"m\"}".getBytes(StandardCharsets.UTF_8)), "x-amz-content-sha256");
        refused(good.with(s -> s.headers.remove("x-amz-content-sha256")), "signed header x-amz-content-sha256 is not");
        refused(good.with(s -> s.headers.put("x-amz-date", List.of("20261123T071751Z"))), "Bad signature");
        refused(good.with(s -> s.replaceInAuthorization("/us-east-1/", "/eu-west-1/")), "Bad signature");
        refused(good.with(s -> s.replaceInAuthorization("/mobiletargeting/", "/s3/")), "names the service 's3'");
        refused(good.with(s -> s.replaceInAuthorization("/20261123/", "/20261124/")), "scope date");
        refused(good.with(s -> s.replaceInAuthorization("AKIDTEST", "AKIDOTHER")), "Unknown access key: AKIDOTHER");
        refused(good.with(s -> s.headers.remove("authorization")), "Missing authentication");
        refused(good.with(s -> s.headers.put("authorization", List.of("Bearer token"))), "Malformed Authorization");
        refused(good.with(s -> s.headers.remove("x-amz-date")), "the signed header x-amz-date is not in the request");
    }

    @Test
    void outsideTheSkewWindowIsExpired() {
        Signed request = oracle("GET", "/v1/apps", "", UnaryOperator.identity());
        RequestAuthenticator late = new RequestAuthenticator(new KeyRing(id -> Optional.of(KEY)),
                Clock.fixed(NOW.plus(Duration.ofMinutes(6)), ZoneOffset.UTC), Duration.ofMinutes(5));
        assertThatThrownBy(() -> late.authenticate(request.method, request.path, request.query, request.headers::get,
                request.body)).hasMessageContaining("Signature expired");
        RequestAuthenticator withinWindow = new RequestAuthenticator(new KeyRing(id -> Optional.of(KEY)),
                Clock.fixed(NOW.minus(Duration.ofMinutes(4)), ZoneOffset.UTC), Duration.ofMinutes(5));
        assertThat(withinWindow.authenticate(request.method, request.path, request.query, request.headers::get,
                request.body)).isEqualTo(Caller.of(KEY));
    }

    @Test
    void revokedKeysAreRefused() {
        Signed request = oracle("GET", "/v1/apps", "", UnaryOperator.identity());
        AccessKey revoked = new AccessKey(KEY.id(), SECRET, true, Set.of(), false, NOW, Optional.of(NOW));
        RequestAuthenticator authenticator = new RequestAuthenticator(new KeyRing(id -> Optional.of(revoked)),
                Clock.fixed(NOW, ZoneOffset.UTC), Duration.ofMinutes(5));
        assertThatThrownBy(() -> authenticator.authenticate(request.method, request.path, request.query,
                request.headers::get, request.body)).hasMessageContaining("Revoked access key");
    }

    private static RequestAuthenticator authenticator() {
        return new RequestAuthenticator(new KeyRing(id -> id.equals(KEY.id()) ? Optional.of(KEY) : Optional.empty()),
                Clock.fixed(NOW, ZoneOffset.UTC), Duration.ofMinutes(5));
    }

    private static void refused(Signed request, String message) {
        assertThatThrownBy(() -> authenticator().authenticate(request.method, request.path, request.query,
                request.headers::get, request.body))
                .isInstanceOf(ApiException.class)
                .hasMessageContaining(message);
    }

    /** A request signed by the AWS SDK's SigV4 signer, as it would arrive. */
    private static Signed oracle(String method, String target, String body, UnaryOperator<SdkHttpRequest.Builder> extra) {
        SdkHttpRequest request = extra.apply(SdkHttpRequest.builder().uri(URI.create("http://127.0.0.1:8080" + target))
                .method(SdkHttpMethod.fromValue(method)).putHeader("Content-Type", "application/json")).build();
        SdkHttpRequest signed = AwsV4HttpSigner.create().sign(r -> r
                .identity(AwsCredentialsIdentity.create(KEY.id(), SECRET))
                .request(request)
                .payload(ContentStreamProvider.fromUtf8String(body))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "mobiletargeting")
                .putProperty(AwsV4HttpSigner.REGION_NAME, "us-east-1")
                .putProperty(AwsV4HttpSigner.SIGNING_CLOCK, Clock.fixed(NOW, ZoneOffset.UTC))).request();
        Signed arrived = new Signed();
        arrived.method = method;
        arrived.path = signed.encodedPath();
        arrived.query = target.contains("?") ? target.substring(target.indexOf('?') + 1) : null;
        signed.forEachHeader((name, values) -> arrived.headers.put(name, new ArrayList<>(values)));
        arrived.headers.put("host", List.of("127.0.0.1:8080"));
        arrived.body = body.getBytes(StandardCharsets.UTF_8);
        return arrived;
    }

    private static Map<String, List<String>> headers(String list) {
        Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (String header : list.split(";")) {
            int equals = header.indexOf('=');
            headers.computeIfAbsent(header.substring(0, equals), k -> new ArrayList<>()).add(header.substring(equals + 1));
        }
        return headers;
    }

    /** A request as the verifier sees it; tests copy and change one part at a time. */
    private static final class Signed {
        String method;
        String path;
        String query;
        Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        byte[] body;

        Signed with(java.util.function.Consumer<Signed> change) {
            Signed copy = new Signed();
            copy.method = method;
            copy.path = path;
            copy.query = query;
            headers.forEach((name, values) -> copy.headers.put(name, new ArrayList<>(values)));
            copy.body = body.clone();
            change.accept(copy);
            return copy;
        }

        void replaceInAuthorization(String from, String to) {
            String authorization = headers.get("authorization").get(0);
            assertThat(authorization).contains(from);
            headers.put("authorization", List.of(authorization.replace(from, to)));
        }
    }

    @Test
    void headerValuesAreTrimmedAndTheirRunsOfSpacesCollapsedAsTheRegexDid() {
        for (List<String> values : List.of(List.of("plain"), List.of("  a   b  c "), List.of(" x ", "y  z", ""),
                List.of("tab\t  kept"), List.of("   "), List.of("a b", " c  d "))) {
            List<String> expected = new ArrayList<>();
            values.forEach(value -> expected.add(value.trim().replaceAll(" +", " ")));
            assertThat(SignatureV4.canonicalHeaderValue(values)).isEqualTo(String.join(",", expected));
        }
    }

    @Test
    void hashesAndSignaturesAreTheSameFromManyThreads() throws Exception {
        SignatureV4 signatures = new SignatureV4();
        String expected = signatures.sign(SECRET, "20261123", "us-east-1", "mobiletargeting", "text");
        List<Thread> threads = new ArrayList<>();
        List<String> seen = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int i = 0; i < 4; i++) {
            Thread thread = new Thread(() -> {
                for (int j = 0; j < 1000; j++) {
                    seen.add(signatures.sign(SECRET, "20261123", "us-east-1", "mobiletargeting", "text")
                            + SignatureV4.sha256Hex(new byte[0]));
                }
            });
            threads.add(thread);
            thread.start();
        }
        for (Thread thread : threads) {
            thread.join();
        }
        assertThat(seen).hasSize(4000).containsOnly(expected
                + "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    }
}
