package dev.waymark.http;

import java.util.Map;

/** A route that fits a request, with the values of its path labels. */
public record RouteMatch(Route route, Map<String, String> labels) {}
