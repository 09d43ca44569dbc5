package dev.waymark.apps;

import java.util.Map;

/** An app with its tags, as GetApp reads them in one statement. */
public record TaggedApp(App app, Map<String, String> tags) {}
