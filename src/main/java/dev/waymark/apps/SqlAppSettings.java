package dev.waymark.apps;

import java.time.Instant;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/** An app's settings in the app_settings table (one row per app that was ever updated), inside the caller's handle. */
final class SqlAppSettings {
    private SqlAppSettings() {}

    /** The app's settings, its defaults when it has no row; empty when there is no such app. */
    static Optional<AppSettings> read(Handle handle, String appId) {
        return handle.createQuery("SELECT a.created_ms, s.document, s.modified_ms FROM apps a "
                        + "LEFT JOIN app_settings s ON s.app_id = a.id WHERE a.id = :id")
                .bind("id", appId)
                .map((rs, ctx) -> {
                    String document = rs.getString(2);
                    return document == null
                            ? AppSettings.defaults(appId, Instant.ofEpochMilli(rs.getLong(1)))
                            : AppSettings.of(appId, document, Instant.ofEpochMilli(rs.getLong(3)));
                })
                .findOne();
    }

    static void write(Handle handle, AppSettings settings) {
        handle.createUpdate("INSERT INTO app_settings (app_id, document, modified_ms) VALUES (:id, :document, :modified) "
                        + "ON CONFLICT (app_id) DO UPDATE SET document = excluded.document, "
                        + "modified_ms = excluded.modified_ms")
                .bind("id", settings.appId()).bind("document", settings.document())
                .bind("modified", settings.modifiedAt().toEpochMilli()).execute();
    }

    static void delete(Handle handle, String appId) {
        handle.createUpdate("DELETE FROM app_settings WHERE app_id = :id").bind("id", appId).execute();
    }
}
