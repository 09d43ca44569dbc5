package dev.waymark.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.waymark.auth.Caller;
import dev.waymark.error.ApiException;
import dev.waymark.store.PageCursor;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PagingTest {
    private final Paging paging = new Paging("k".repeat(32).getBytes());

    private static ApiRequest query(Map<String, List<String>> query) {
        return new ApiRequest("id", "Op", Map.of(), query, new byte[0], Caller.UNRESTRICTED);
    }

    @Test
    void tokensRoundTripWithinTheirListing() {
        Optional<PageCursor> cursor = Optional.of(new PageCursor(1234L, "abc"));
        String token = paging.nextToken(cursor, "runs", "journey1");
        assertThat(paging.after(query(Map.of("token", List.of(token))), "runs", "journey1")).isEqualTo(cursor);
        assertThat(paging.nextToken(Optional.empty(), "runs", "journey1")).isNull();
        assertThatThrownBy(() -> paging.after(query(Map.of("token", List.of(token))), "runs", "journey2"))
                .hasMessageContaining("issued for another listing");
        assertThatThrownBy(() -> new Paging("other-key".getBytes()).after(query(Map.of("token", List.of(token))),
                "runs", "journey1")).hasMessageContaining("not valid");
    }

    @Test
    void pageSizes() {
        assertThat(Paging.pageSize(query(Map.of()))).isEqualTo(100);
        assertThat(Paging.pageSize(query(Map.of("page-size", List.of("7"))))).isEqualTo(7);
        assertThat(Paging.pageSize(query(Map.of("page-size", List.of("1001"))))).isEqualTo(1000);
        assertThatThrownBy(() -> Paging.pageSize(query(Map.of("page-size", List.of("1", "2")))))
                .isInstanceOf(ApiException.class).hasMessageContaining("given 2 times");
    }
}
