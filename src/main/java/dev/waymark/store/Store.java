package dev.waymark.store;

import dev.waymark.apps.AppStore;
import dev.waymark.audience.EndpointStore;
import dev.waymark.audience.EventLog;
import dev.waymark.auth.AccessKeyStore;
import dev.waymark.journeys.JourneyStore;
import dev.waymark.runs.RunStore;
import dev.waymark.segments.SegmentLookup;
import dev.waymark.tags.TagStore;

/** Everything Waymark keeps, behind one open database. */
public interface Store extends AutoCloseable {
    AppStore apps();

    JourneyStore journeys();

    RunStore runs();

    TagStore tags();

    AccessKeyStore accessKeys();

    EndpointStore endpoints();

    /** Whether segments exist (journeys ask before they are published). */
    SegmentLookup segments();

    /** The events PutEvents recorded. */
    EventLog events();

    /** A named secret kept in the database, created once from {@code initial} and then the same on every node. */
    String secret(String name, java.util.function.Supplier<String> initial);

    /** Whether the database answers a trivial query. */
    boolean isHealthy();

    @Override
    void close();
}
