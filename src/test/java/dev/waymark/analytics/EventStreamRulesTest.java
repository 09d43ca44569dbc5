package dev.waymark.analytics;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.waymark.rules.RuleViolation;
import org.junit.jupiter.api.Test;

class EventStreamRulesTest {
    private static final String ROLE = "arn:aws:iam::123456789012:role/pinpoint";

    @Test
    void kinesisFirehoseAndHttpsDestinationsAreAccepted() {
        for (String destination : new String[] {"arn:aws:kinesis:us-east-1:123456789012:stream/events",
                "arn:aws-cn:kinesis:cn-north-1:123456789012:stream/a.b-c_d",
                "arn:aws:firehose:eu-west-1:123456789012:deliverystream/events",
                "https://hooks.example.com/pinpoint", "https://127.0.0.1:8443/x?y=z"}) {
            assertThatCode(() -> EventStreamRules.check(destination, ROLE)).as(destination).doesNotThrowAnyException();
        }
    }

    @Test
    void otherDestinationsAreRefusedByName() {
        for (String destination : new String[] {"", "http://hooks.example.com/", "https://", "https:///path",
                "https://user:secret@example.com/", "arn:aws:kinesis:us-east-1:123:stream/short-account",
                "arn:aws:kinesis:us-east-1:123456789012:deliverystream/wrong", "arn:aws:s3:::bucket",
                "arn:aws:firehose:us-east-1:123456789012:deliverystream/" + "x".repeat(65)}) {
            assertThatThrownBy(() -> EventStreamRules.check(destination, ROLE)).as(destination)
                    .isInstanceOf(RuleViolation.class).hasMessageContaining("DestinationStreamArn");
        }
    }

    @Test
    void theRoleIsAnIamRole() {
        assertThatCode(() -> EventStreamRules.check("https://example.com/",
                "arn:aws:iam::123456789012:role/service-role/a+b=c,d.e@f_g-h")).doesNotThrowAnyException();
        for (String role : new String[] {"", "pinpoint", "arn:aws:iam::123456789012:user/me",
                "arn:aws:iam:us-east-1:123456789012:role/regional"}) {
            assertThatThrownBy(() -> EventStreamRules.check("https://example.com/", role)).as(role)
                    .isInstanceOf(RuleViolation.class).hasMessageContaining("RoleArn");
        }
    }

    @Test
    void longValuesAreRefusedBeforeAnyPatternRuns() {
        assertThatThrownBy(() -> EventStreamRules.check("https://example.com/" + "a".repeat(3000), ROLE))
                .isInstanceOf(RuleViolation.class).hasMessageContaining("2048");
    }
}
