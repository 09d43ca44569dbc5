package dev.waymark.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/**
 * Hostile requests found in review of the messages and analytics operations: each answered with its modeled 4xx and
 * a message naming the field, never a 500.
 */
class ReviewHostileEndToEndTest extends EndToEndTest {
    @Test
    void aKpiRangeFarInTheFutureIsABadRequestNotAServerError() throws Exception {
        String app = createApp("kpis");
        // Years Instant can hold but milliseconds since 1970 cannot: the count's query bound overflowed.
        HttpResponse<String> farOff = SignedHttp.send(waymark.server().url(), "GET", "/v1/apps/" + app
                + "/kpis/daterange/txn-emails-sent?start-time=%2B999999999-12-01T00:00:00Z"
                + "&end-time=%2B999999999-12-02T00:00:00Z", null);
        assertThat(farOff.statusCode()).as(farOff.body()).isEqualTo(400);
        assertThat(farOff.body()).contains("end-time");
        HttpResponse<String> perDay = SignedHttp.send(waymark.server().url(), "GET", "/v1/apps/" + app
                + "/kpis/daterange/txn-emails-sent-grouped-by-date?start-time=9999-12-30T00:00:00Z"
                + "&end-time=%2B10000-01-02T00:00:00Z", null);
        assertThat(perDay.statusCode()).as(perDay.body()).isEqualTo(400);
        assertThat(perDay.body()).contains("end-time");
    }
}
