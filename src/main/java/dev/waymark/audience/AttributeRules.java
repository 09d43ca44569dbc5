package dev.waymark.audience;

import dev.waymark.rules.RuleViolation;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The per-app attribute rules: at most 250 names across Attributes, Metrics and User.UserAttributes, and
 * RemoveAttributes' blacklist of exact names and globs ({@code *} any characters, {@code ?} one).
 */
final class AttributeRules {
    static final int MAX_NAMES_PER_APP = 250;
    /** RemoveAttributes takes at most this many entries at a time, each at most this long. */
    static final int MAX_BLACKLIST_ENTRIES = 100;
    static final int MAX_PATTERN_LENGTH = 100;

    /** RemoveAttributes' attribute types, and the kind letter the registry stores for each. */
    static final java.util.Map<String, String> KINDS = java.util.Map.of(
            "endpoint-custom-attributes", "A", "endpoint-metric-attributes", "M", "endpoint-user-attributes", "U");

    private AttributeRules() {}

    /** Refuses new names that would take the app past 250; {@code registered} and {@code added} are kind-qualified. */
    static void checkCount(int registered, int added) {
        if (registered + added > MAX_NAMES_PER_APP) {
            throw new RuleViolation("The app would have " + (registered + added) + " attribute names across "
                    + "Attributes, Metrics and User.UserAttributes; the limit is " + MAX_NAMES_PER_APP + " per app");
        }
    }

    /** The registry kind of a RemoveAttributes attribute type, or a RuleViolation naming the valid ones. */
    static String kind(String attributeType) {
        String kind = KINDS.get(attributeType);
        if (kind == null) {
            throw new RuleViolation("attribute-type must be one of " + new java.util.TreeSet<>(KINDS.keySet())
                    + ", not '" + EndpointRules.shorten(attributeType) + "'");
        }
        return kind;
    }

    static void checkBlacklist(List<String> patterns) {
        if (patterns.size() > MAX_BLACKLIST_ENTRIES) {
            throw new RuleViolation("Blacklist has " + patterns.size() + " entries; the limit is "
                    + MAX_BLACKLIST_ENTRIES + " per request");
        }
        for (String pattern : patterns) {
            if (pattern.isEmpty() || pattern.length() > MAX_PATTERN_LENGTH) {
                throw new RuleViolation("Blacklist entries must be 1 to " + MAX_PATTERN_LENGTH + " characters long");
            }
        }
    }

    /** A glob as a regular expression: {@code *} any characters, {@code ?} one, everything else itself. */
    static Pattern glob(String pattern) {
        StringBuilder regex = new StringBuilder();
        StringBuilder literal = new StringBuilder();
        for (char c : pattern.toCharArray()) {
            if (c == '*' || c == '?') {
                if (!literal.isEmpty()) {
                    regex.append(Pattern.quote(literal.toString()));
                    literal.setLength(0);
                }
                regex.append(c == '*' ? ".*" : ".");
            } else {
                literal.append(c);
            }
        }
        if (!literal.isEmpty()) {
            regex.append(Pattern.quote(literal.toString()));
        }
        return Pattern.compile(regex.toString(), Pattern.DOTALL);
    }

    /** Whether a name matches any of the globs. */
    static boolean matchesAny(String name, List<Pattern> globs) {
        for (Pattern glob : globs) {
            if (glob.matcher(name).matches()) {
                return true;
            }
        }
        return false;
    }
}
