package dev.waymark.http;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A URI template such as {@code /v1/apps/{ApplicationId}/journeys}: literal segments and whole-segment labels. */
public final class PathTemplate {
    private final String text;
    private final List<String> segments;
    private final int literals;

    private PathTemplate(String text, List<String> segments) {
        this.text = text;
        this.segments = segments;
        this.literals = (int) segments.stream().filter(segment -> !isLabel(segment)).count();
    }

    public static PathTemplate parse(String template) {
        return new PathTemplate(template, split(template));
    }

    /** The segments of a path; the empty segment before the leading slash is dropped. */
    static List<String> split(String path) {
        List<String> parts = new ArrayList<>(List.of(path.split("/", -1)));
        if (!parts.isEmpty() && parts.get(0).isEmpty()) {
            parts.remove(0);
        }
        return parts;
    }

    /** The labels bound to their (decoded) values, or null when the path does not fit the template. */
    public Map<String, String> match(List<String> decodedSegments) {
        if (decodedSegments.size() != segments.size()) {
            return null;
        }
        Map<String, String> labels = new LinkedHashMap<>();
        for (int i = 0; i < segments.size(); i++) {
            String segment = segments.get(i);
            String value = decodedSegments.get(i);
            if (isLabel(segment)) {
                if (value.isEmpty()) {
                    return null;
                }
                labels.put(segment.substring(1, segment.length() - 1), value);
            } else if (!segment.equals(value)) {
                return null;
            }
        }
        return labels;
    }

    /** More literal segments means a more specific template: {@code /channels/email} beats {@code /{Type}}. */
    public int literalCount() {
        return literals;
    }

    private static boolean isLabel(String segment) {
        return segment.startsWith("{") && segment.endsWith("}");
    }

    @Override
    public String toString() {
        return text;
    }
}
