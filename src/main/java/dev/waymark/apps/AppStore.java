package dev.waymark.apps;

import dev.waymark.store.Page;
import dev.waymark.store.PageCursor;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;

/** Applications. */
public interface AppStore {
    /** Stores a new app together with its tags, in one transaction. */
    void insert(App app, Map<String, String> tags);

    Optional<App> find(String id);

    /** The app with its tags (ordered by key), read in one statement. */
    Optional<TaggedApp> findWithTags(String id);

    /** Apps oldest first; only those in {@code only} when it is present. */
    Page<App> list(Optional<PageCursor> after, int limit, Optional<Set<String>> only);

    /**
     * Deletes the app with its journeys, their runs, and every tag of them; the ids of the journeys deleted with it,
     * or empty when there was no such app.
     */
    Optional<List<String>> delete(String id);

    /** The app's default settings (its defaults when they were never updated), or empty when there is no such app. */
    Optional<AppSettings> settings(String appId);

    /**
     * Stores what {@code change} makes of the app's current settings, in one transaction holding the app's row, so
     * that two updates of different members both take effect; empty when there is no such app.
     */
    Optional<AppSettings> updateSettings(String appId, UnaryOperator<AppSettings> change);
}
