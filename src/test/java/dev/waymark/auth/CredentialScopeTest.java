package dev.waymark.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class CredentialScopeTest {
    private static final String SIGNATURE = "a".repeat(64);

    @Test
    void parsesWhatTheSdksSend() {
        CredentialScope scope = CredentialScope.parse("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261123/us-east-1/"
                + "mobiletargeting/aws4_request, SignedHeaders=host;x-amz-date, Signature=" + SIGNATURE);
        assertThat(scope).isEqualTo(new CredentialScope("AKIDEXAMPLE", "20261123", "us-east-1", "mobiletargeting",
                List.of("host", "x-amz-date"), SIGNATURE));
    }

    @Test
    void refusesMalformedHeaders() {
        for (String bad : List.of("Basic abc", "AWS4-HMAC-SHA256 Credential=A/2026/us-east-1",
                "AWS4-HMAC-SHA256 Credential=A/20261123/r/s/aws4_request, SignedHeaders=host",
                "AWS4-HMAC-SHA256 Credential=A/20261123/r/s/aws4_request, SignedHeaders=host, Signature=xyz",
                "AWS4-HMAC-SHA256 Credential=A/20261123/r/s/aws4_request, SignedHeaders=host, Signature=" + SIGNATURE
                        + ", Extra=1")) {
            assertThatThrownBy(() -> CredentialScope.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
