package dev.waymark.store;

import dev.waymark.domain.App;
import java.util.Map;

/** An app with its tags, as GetApp reads them in one statement. */
public record TaggedApp(App app, Map<String, String> tags) {}
