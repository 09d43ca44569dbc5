package dev.waymark.journeys;

import dev.waymark.store.Page;
import dev.waymark.store.PageCursor;
import dev.waymark.store.sql.KeysetQuery;
import dev.waymark.store.sql.Positioned;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/** Journeys in a SQL database. */
public final class SqlJourneyStore implements JourneyStore {
    private static final KeysetQuery<Positioned<Journey>> PAGES = new KeysetQuery<>("journeys", "seq", "*", "id",
            "app_id", (rs, ctx) -> new Positioned<>(JourneyRows.MAPPER.map(rs, ctx), rs.getLong("seq"), rs.getString("id")),
            Positioned::cursor);

    private final Jdbi jdbi;

    public SqlJourneyStore(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    @Override
    public boolean insert(Journey journey) {
        return jdbi.inTransaction(handle -> {
            // Takes the app's position counter, and with it the app's row lock until commit: a DeleteApp waits for
            // this insert or this insert finds no app, and positions become visible in the order they are taken.
            if (handle.createUpdate("UPDATE apps SET last_journey_seq = last_journey_seq + 1 WHERE id = :appId")
                    .bind("appId", journey.appId()).execute() == 0) {
                return false;
            }
            long position = handle.createQuery("SELECT last_journey_seq FROM apps WHERE id = :appId")
                    .bind("appId", journey.appId()).mapTo(Long.class).one();
            handle.createUpdate("INSERT INTO journeys (id, app_id, name, state, definition, created_ms, "
                            + "modified_ms, version, next_wake_ms, seq) VALUES (:id, :appId, :name, :state, "
                            + ":definition, :created, :modified, :version, :modified, :seq)")
                    .bind("id", journey.id()).bind("appId", journey.appId()).bind("name", journey.name())
                    .bind("state", journey.state().name()).bind("definition", journey.definition())
                    .bind("created", journey.createdAt().toEpochMilli())
                    .bind("modified", journey.modifiedAt().toEpochMilli())
                    .bind("version", journey.version()).bind("seq", position)
                    .execute();
            return true;
        });
    }

    @Override
    public Optional<Journey> find(String appId, String id) {
        return jdbi.withHandle(handle -> handle.createQuery("SELECT * FROM journeys WHERE id = :id AND app_id = :appId")
                .bind("id", id).bind("appId", appId).map(JourneyRows.MAPPER).findOne());
    }

    @Override
    public boolean exists(String appId, String id) {
        return jdbi.withHandle(handle -> handle.createQuery("SELECT 1 FROM journeys WHERE id = :id AND app_id = :appId")
                .bind("id", id).bind("appId", appId).mapTo(Integer.class).findOne().isPresent());
    }

    @Override
    public Page<Journey> list(String appId, Optional<PageCursor> after, int limit) {
        Page<Positioned<Journey>> page = jdbi.withHandle(handle -> PAGES.page(handle, appId, after, limit));
        return page.map(Positioned::item);
    }

    @Override
    public Optional<Journey> replace(Journey current, Journey next) {
        long newVersion = current.version() + 1;
        int updated = jdbi.withHandle(handle -> handle.createUpdate("UPDATE journeys SET name = :name, "
                        + "state = :state, definition = :definition, modified_ms = :modified, version = :newVersion, "
                        + "next_wake_ms = :modified, parked_ms = NULL "
                        + "WHERE id = :id AND app_id = :appId AND version = :version")
                .bind("name", next.name()).bind("state", next.state().name())
                .bind("definition", next.definition()).bind("modified", next.modifiedAt().toEpochMilli())
                .bind("newVersion", newVersion).bind("id", current.id()).bind("appId", current.appId())
                .bind("version", current.version())
                .execute());
        if (updated == 0) {
            return Optional.empty();
        }
        return Optional.of(new Journey(current.appId(), current.id(), next.name(), next.state(), next.definition(),
                current.createdAt(), next.modifiedAt(), newVersion));
    }

    @Override
    public boolean delete(String appId, String id) {
        return jdbi.inTransaction(handle -> {
            // The journey row first (the delete locks it), then its runs and tags: the order of SqlAppStore.
            int deleted = handle.createUpdate("DELETE FROM journeys WHERE id = :id AND app_id = :appId")
                    .bind("id", id).bind("appId", appId).execute();
            if (deleted == 0) {
                return false;
            }
            handle.createUpdate("DELETE FROM journey_runs WHERE journey_id = :id").bind("id", id).execute();
            handle.createUpdate("DELETE FROM tags WHERE resource_id = :id").bind("id", id).execute();
            return true;
        });
    }
}
