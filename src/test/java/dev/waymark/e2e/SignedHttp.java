package dev.waymark.e2e;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/** Raw HTTP requests, signed with the AWS SDK's own SigV4 signer, for what the SDK clients cannot send. */
final class SignedHttp {
    private static final Set<String> RESTRICTED = Set.of("host", "content-length");

    private SignedHttp() {}

    static SdkHttpRequest sign(SdkHttpRequest request, String body, String accessKey, String secretKey) {
        SignedRequest signed = AwsV4HttpSigner.create().sign(r -> r
                .identity(AwsCredentialsIdentity.create(accessKey, secretKey))
                .request(request)
                .payload(body == null ? null : ContentStreamProvider.fromUtf8String(body))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "mobiletargeting")
                .putProperty(AwsV4HttpSigner.REGION_NAME, "us-east-1"));
        return signed.request();
    }

    /** Sends {@code method path} with a JSON body (or none), signed with the test admin key. */
    static HttpResponse<String> send(String baseUrl, String method, String path, String body) throws Exception {
        SdkHttpRequest unsigned = SdkHttpRequest.builder().uri(URI.create(baseUrl + path))
                .method(SdkHttpMethod.fromValue(method)).putHeader("Content-Type", "application/json").build();
        return send(sign(unsigned, body, WaymarkTestServer.ACCESS_KEY, WaymarkTestServer.SECRET_KEY), body);
    }

    /** Sends an already signed request as it is. */
    static HttpResponse<String> send(SdkHttpRequest request, String body) throws Exception {
        HttpRequest.Builder builder = HttpRequest.newBuilder(request.getUri()).method(request.method().name(),
                body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        for (Map.Entry<String, List<String>> header : request.headers().entrySet()) {
            if (!RESTRICTED.contains(header.getKey().toLowerCase(java.util.Locale.ROOT))) {
                header.getValue().forEach(value -> builder.header(header.getKey(), value));
            }
        }
        return HttpClient.newHttpClient().send(builder.build(), HttpResponse.BodyHandlers.ofString());
    }
}
