package dev.waymark.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.DateTimeException;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class AmzDateTest {
    @Test
    void readsTheBasicIsoFormTheSdksSign() {
        assertThat(RequestAuthenticator.parseAmzDate("20261123T071750Z")).isEqualTo(Instant.parse("2026-11-23T07:17:50Z"));
        assertThat(RequestAuthenticator.parseAmzDate("20280229T235959Z")).isEqualTo(Instant.parse("2028-02-29T23:59:59Z"));
    }

    @Test
    void refusesWhatIsNotADateOfThatForm() {
        for (String bad : List.of("", "2026-11-23T07:17:50Z", "20261123T071750", "20261123 071750Z",
                "20261123T07175OZ", "2026112XT071750Z", "20261123T071750z", "20261131T071750Z", "20270229T000000Z",
                "20261123T246000Z", "20261123T071760Z", "20261323T071750Z", "+0261123T071750Z")) {
            assertThatThrownBy(() -> RequestAuthenticator.parseAmzDate(bad)).as(bad)
                    .isInstanceOf(DateTimeException.class);
        }
    }
}
