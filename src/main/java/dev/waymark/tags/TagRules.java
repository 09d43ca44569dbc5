package dev.waymark.tags;

import dev.waymark.rules.RuleViolation;
import java.util.Map;

/** Pinpoint's documented tag limits: at most 50 per resource, keys of 1 to 128 characters, values up to 256. */
public final class TagRules {
    public static final int MAX_TAGS = 50;
    private static final int MAX_KEY_LENGTH = 128;
    private static final int MAX_VALUE_LENGTH = 256;

    private TagRules() {}

    /** Checks the tags one request sets. */
    public static Map<String, String> check(Map<String, String> tags) {
        for (Map.Entry<String, String> tag : tags.entrySet()) {
            checkKey(tag.getKey());
            if (tag.getValue().length() > MAX_VALUE_LENGTH) {
                throw new RuleViolation("tags." + tag.getKey() + ": a tag value can have at most "
                        + MAX_VALUE_LENGTH + " characters");
            }
        }
        if (tags.size() > MAX_TAGS) {
            throw tooMany();
        }
        return tags;
    }

    public static void checkKey(String key) {
        if (key.isEmpty() || key.length() > MAX_KEY_LENGTH) {
            throw new RuleViolation("tags: a tag key must have 1 to " + MAX_KEY_LENGTH + " characters");
        }
        if (key.startsWith("aws:")) {
            throw new RuleViolation("tags: the prefix 'aws:' is reserved for AWS (key '" + key + "')");
        }
    }

    public static RuleViolation tooMany() {
        return new RuleViolation("tags: a resource can have at most " + MAX_TAGS + " tags");
    }
}
