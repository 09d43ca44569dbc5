package dev.waymark.store.sql;

import dev.waymark.store.Page;
import dev.waymark.store.PageCursor;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.Query;

/**
 * Reads one page of a table ordered by (an order column, id) after a cursor. Keyset paging keeps the cost of the last
 * page equal to the first, and rows added while a caller walks the pages can never make an item appear twice.
 */
public final class KeysetQuery<T> {
    private final String table;
    private final String orderColumn;
    private final String columns;
    private final String idColumn;
    private final String scopeColumn;
    private final RowMapper<T> mapper;
    private final Function<T, PageCursor> cursorOf;

    /** {@code columns} is what the SELECT lists, in the order {@code mapper} reads them. */
    public KeysetQuery(String table, String columns, String idColumn, String scopeColumn, RowMapper<T> mapper,
                Function<T, PageCursor> cursorOf) {
        this(table, "created_ms", columns, idColumn, scopeColumn, mapper, cursorOf);
    }

    /** As above, ordered by {@code orderColumn} rather than created_ms. */
    public KeysetQuery(String table, String orderColumn, String columns, String idColumn, String scopeColumn,
                RowMapper<T> mapper, Function<T, PageCursor> cursorOf) {
        this.table = table;
        this.orderColumn = orderColumn;
        this.columns = columns;
        this.idColumn = idColumn;
        this.scopeColumn = scopeColumn;
        this.mapper = mapper;
        this.cursorOf = cursorOf;
    }

    public Page<T> page(Handle handle, String scope, Optional<PageCursor> after, int limit) {
        return page(handle, scope, after, limit, Optional.empty());
    }

    /** The SELECT for one page: after a cursor or from the start, restricted to listed ids or not. */
    String sql(boolean afterCursor, boolean onlyListed) {
        StringBuilder sql = new StringBuilder("SELECT ").append(columns).append(" FROM ").append(table)
                .append(" WHERE 1 = 1");
        if (scopeColumn != null) {
            sql.append(" AND ").append(scopeColumn).append(" = :scope");
        }
        if (onlyListed) {
            sql.append(" AND ").append(idColumn).append(" IN (<only>)");
        }
        if (afterCursor) {
            // A row-value comparison, not "a > x OR (a = x AND b > y)": both SQLite and PostgreSQL seek the index
            // to it, so the last page costs what the first does.
            sql.append(" AND (").append(orderColumn).append(", ").append(idColumn)
                    .append(") > (:afterPosition, :afterId)");
        }
        return sql.append(" ORDER BY ").append(orderColumn).append(", ").append(idColumn).append(" LIMIT :limit").toString();
    }

    /** As above, restricted to the rows whose id is in {@code only} when it is present. */
    public Page<T> page(Handle handle, String scope, Optional<PageCursor> after, int limit, Optional<Set<String>> only) {
        if (only.isPresent() && only.get().isEmpty()) {
            return new Page<>(List.of(), Optional.empty());
        }
        Query query = handle.createQuery(sql(after.isPresent(), only.isPresent())).bind("limit", limit + 1);
        if (scopeColumn != null) {
            query.bind("scope", scope);
        }
        after.ifPresent(cursor -> query.bind("afterPosition", cursor.position()).bind("afterId", cursor.id()));
        only.ifPresent(ids -> query.bindList("only", List.copyOf(ids)));
        return Page.of(query.map(mapper).list(), limit, cursorOf);
    }
}
