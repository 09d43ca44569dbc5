package dev.waymark.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The signature is HMAC-SHA256 of "<t>.<body>", checked against a value computed elsewhere (Python's hmac). */
class WebhookSignatureTest {
    private static final byte[] BODY = "{\"a\":1}".getBytes(StandardCharsets.UTF_8);
    private static final String SIGNED = "t=1700000000,v1=38877139021993b830af32feea6e18a8da83eb2f6e49ee50bd9e4cf4ca4d3789";

    @Test
    void signsTheTimestampAndTheBody() {
        assertThat(WebhookSignature.header("whsec_test", 1_700_000_000L, BODY)).isEqualTo(SIGNED);
    }

    @Test
    void verifiesAFreshSignatureAndNothingElse() {
        long now = 1_700_000_100L;
        assertThat(WebhookSignature.verify("whsec_test", SIGNED, BODY, now, 300)).isTrue();
        assertThat(WebhookSignature.verify("whsec_test", SIGNED, BODY, 1_700_000_301L, 300)).isFalse();
        assertThat(WebhookSignature.verify("other", SIGNED, BODY, now, 300)).isFalse();
        assertThat(WebhookSignature.verify("whsec_test", SIGNED, "{\"a\":2}".getBytes(StandardCharsets.UTF_8), now,
                300)).isFalse();
        assertThat(WebhookSignature.verify("whsec_test", SIGNED.replace("t=1700000000", "t=1700000001"), BODY, now,
                300)).isFalse();
        assertThat(WebhookSignature.verify("whsec_test", "v1=zz,t=x", BODY, now, 300)).isFalse();
        assertThat(WebhookSignature.verify("whsec_test", "", BODY, now, 300)).isFalse();
    }
}
