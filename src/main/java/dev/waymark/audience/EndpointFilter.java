package dev.waymark.audience;

import java.util.Map;

/**
 * A condition on one endpoint row, as SQL the store runs inside the database: {@code sql} is a boolean expression
 * that may name only what {@link EndpointTable} offers (the row is {@code e}), with named parameters ({@code :f0};
 * names start with {@code f}, as the store's own are app, after and limit) whose values are in {@code binds}.
 * Segments compile their definitions into one; the audience runs it.
 */
public record EndpointFilter(String sql, Map<String, Object> binds) {
    /** Every endpoint of the app. */
    public static final EndpointFilter EVERYONE = new EndpointFilter("1 = 1", Map.of());

    public EndpointFilter {
        binds = Map.copyOf(binds);
    }
}
