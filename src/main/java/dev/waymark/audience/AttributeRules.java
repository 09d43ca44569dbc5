package dev.waymark.audience;

import dev.waymark.rules.RuleViolation;
import java.util.List;

/**
 * The per-app attribute rules: at most 250 names across Attributes, Metrics and User.UserAttributes, and
 * RemoveAttributes' blacklist of exact names and globs ({@code *} any characters, {@code ?} one).
 */
final class AttributeRules {
    static final int MAX_NAMES_PER_APP = 250;
    /** RemoveAttributes takes at most this many entries at a time, each at most this long. */
    static final int MAX_BLACKLIST_ENTRIES = 100;
    static final int MAX_PATTERN_LENGTH = 100;
    /**
     * Waymark: at most this many blacklist entries per app, all attribute types together. Pinpoint documents none; an
     * app has at most 250 names to remove, and every later write matches its names against the entries.
     */
    static final int MAX_BLACKLIST_PER_APP = 1000;

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

    /**
     * A blacklist entry: {@code *} any characters, {@code ?} one, everything else itself. Matched without a regular
     * expression: a regex of many {@code .*} backtracks exponentially on a name that almost matches, and a glob is
     * client input applied to every later write of the app.
     */
    record Glob(String pattern, int[] codePoints) {
        /** Whether {@code name} matches, in time bounded by the product of the two lengths (no backtracking). */
        boolean matches(String name) {
            int[] p = codePoints;
            int[] s = name.codePoints().toArray();
            int pi = 0;
            int si = 0;
            int star = -1;
            int mark = 0;
            while (si < s.length) {
                if (pi < p.length && p[pi] != '*' && (p[pi] == '?' || p[pi] == s[si])) {
                    pi++;
                    si++;
                } else if (pi < p.length && p[pi] == '*') {
                    star = pi++;
                    mark = si;
                } else if (star >= 0) {
                    // The last star takes one more character; earlier stars never need to be revisited.
                    pi = star + 1;
                    si = ++mark;
                } else {
                    return false;
                }
            }
            while (pi < p.length && p[pi] == '*') {
                pi++;
            }
            return pi == p.length;
        }
    }

    /** Refuses a RemoveAttributes that would leave the app with more blacklist entries than it may keep. */
    static void checkBlacklistTotal(long entries) {
        if (entries > MAX_BLACKLIST_PER_APP) {
            throw new RuleViolation("Blacklist: the app would have " + entries + " blacklist entries; the limit is "
                    + MAX_BLACKLIST_PER_APP + " per app, all attribute types together");
        }
    }

    /** A blacklist entry as a glob. */
    static Glob glob(String pattern) {
        return new Glob(pattern, pattern.codePoints().toArray());
    }

    /** Whether a name matches any of the globs. */
    static boolean matchesAny(String name, List<Glob> globs) {
        for (Glob glob : globs) {
            if (glob.matches(name)) {
                return true;
            }
        }
        return false;
    }
}
