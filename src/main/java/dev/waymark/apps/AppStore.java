package dev.waymark.apps;

import dev.waymark.store.Page;
import dev.waymark.store.PageCursor;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

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
}
