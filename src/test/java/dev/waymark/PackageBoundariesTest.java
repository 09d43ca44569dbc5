package dev.waymark;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The layout by concept (README, "Code layout"), checked on the sources: concepts use each other only through their
 * public interface, shared packages know no concept, rules know nothing of HTTP or SQL, and no two packages depend
 * on each other in a circle.
 */
class PackageBoundariesTest {
    private static final Path MAIN = Path.of("src", "main", "java");
    private static final String ROOT = "dev.waymark";
    /** The concepts: each holds its handlers, rules, store interface and SQL. */
    static final Set<String> CONCEPTS = Set.of("apps", "tags", "journeys", "runs", "audience", "segments",
            "messaging", "analytics", "engine");
    /** Where the parts are put together: they may use anything. */
    static final Set<String> ASSEMBLY = Set.of("server", "cli", "");
    /**
     * Shared classes that put the concepts' stores together behind one database: the store interface of the whole
     * database, its SQL implementation, and export/import, which must know every table.
     */
    static final Set<String> STORE_ASSEMBLY = Set.of("dev.waymark.store.Store", "dev.waymark.store.sql.SqlStore",
            "dev.waymark.store.sql.SqlTransfer");
    /** A concept's internals: its operation handlers and its SQL. */
    private static final Pattern INTERNAL = Pattern.compile("(\\w+Api|Sql\\w+)");
    /** Rules: plain Java with an injected Clock. */
    private static final Pattern RULES = Pattern.compile("\\w*(Rules|StateMachine|Planner|Durations)");
    private static final Pattern REFERENCE = Pattern.compile("\\b((?:dev\\.waymark|java\\.sql|org\\.jdbi|org\\.eclipse"
            + "\\.jetty|jakarta\\.servlet)(?:\\.[a-z]\\w*)*)\\.([A-Z]\\w*)");

    /** Every main class (fully qualified) with the classes it names in its imports or code. */
    private static final Map<String, Set<String>> USES = new TreeMap<>();

    @BeforeAll
    static void readSources() throws IOException {
        try (Stream<Path> files = Files.walk(MAIN)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                String name = MAIN.relativize(file).toString().replace('/', '.').replaceAll("\\.java$", "");
                String code = Files.readString(file).replaceAll("(?s)/\\*.*?\\*/", "").replaceAll("//[^\\n]*", "");
                Set<String> uses = new TreeSet<>();
                Matcher reference = REFERENCE.matcher(code);
                while (reference.find()) {
                    uses.add(reference.group(1) + "." + reference.group(2));
                }
                USES.put(name, uses);
            }
        }
        assertThat(USES).as("sources read").hasSizeGreaterThan(50);
    }

    static String packageOf(String className) {
        String pkg = className.substring(0, className.lastIndexOf('.'));
        return pkg.equals(ROOT) ? "" : pkg.substring(ROOT.length() + 1);
    }

    /** The concept a package belongs to, or null for shared and assembly packages. */
    static String conceptOf(String pkg) {
        String top = pkg.contains(".") ? pkg.substring(0, pkg.indexOf('.')) : pkg;
        return CONCEPTS.contains(top) ? top : null;
    }

    private static List<String> violations(java.util.function.BiPredicate<String, String> forbidden) {
        List<String> found = new ArrayList<>();
        USES.forEach((user, used) -> used.stream().filter(u -> u.startsWith(ROOT + "."))
                .filter(u -> forbidden.test(user, u)).forEach(u -> found.add(user + " uses " + u)));
        return found;
    }

    @Test
    void everyConceptPackageExists() {
        Set<String> packages = new TreeSet<>();
        USES.keySet().forEach(name -> packages.add(packageOf(name)));
        assertThat(packages).containsAll(CONCEPTS);
    }

    @Test
    void aConceptUsesAnotherOnlyThroughItsPublicInterface() {
        assertThat(violations((user, used) -> {
            String from = conceptOf(packageOf(user));
            String to = conceptOf(packageOf(used));
            return from != null && to != null && !from.equals(to)
                    && INTERNAL.matcher(used.substring(used.lastIndexOf('.') + 1)).matches();
        })).as("a concept's handlers (*Api) and SQL (Sql*) are its own").isEmpty();
    }

    @Test
    void sharedPackagesKnowNoConcept() {
        assertThat(violations((user, used) -> {
            String pkg = packageOf(user);
            return conceptOf(pkg) == null && !ASSEMBLY.contains(pkg) && !STORE_ASSEMBLY.contains(user)
                    && conceptOf(packageOf(used)) != null;
        })).as("http, auth, wire, error, rules, store and ops serve every concept and depend on none").isEmpty();
    }

    @Test
    void nothingButTheAssemblyUsesTheAssembly() {
        assertThat(violations((user, used) -> !ASSEMBLY.contains(packageOf(user))
                && ASSEMBLY.contains(packageOf(used)) && !packageOf(used).isEmpty()))
                .as("server and cli put the parts together; no part reaches back into them").isEmpty();
    }

    @Test
    void rulesKnowNothingOfHttpSqlOrAwsErrors() {
        List<String> found = new ArrayList<>();
        USES.forEach((user, used) -> {
            if (conceptOf(packageOf(user)) != null && RULES.matcher(user.substring(user.lastIndexOf('.') + 1)).matches()) {
                used.stream().filter(u -> u.startsWith("java.sql") || u.startsWith("org.jdbi")
                                || u.startsWith("org.eclipse.jetty") || u.startsWith(ROOT + ".http.")
                                || u.startsWith(ROOT + ".error.") || u.startsWith(ROOT + ".store.sql."))
                        .forEach(u -> found.add(user + " uses " + u));
            }
        });
        assertThat(found).as("rules throw their own exceptions (dev.waymark.rules); one step maps them to AWS errors")
                .isEmpty();
    }

    @Test
    void noTwoPackagesDependOnEachOtherInACircle() {
        Map<String, Set<String>> graph = new HashMap<>();
        USES.forEach((user, used) -> {
            String from = packageOf(user);
            if (ASSEMBLY.contains(from) || STORE_ASSEMBLY.contains(user)) {
                return;
            }
            for (String u : used) {
                String to = u.startsWith(ROOT + ".") ? packageOf(u) : null;
                if (to != null && !to.equals(from) && !ASSEMBLY.contains(to)) {
                    graph.computeIfAbsent(from, k -> new TreeSet<>()).add(to);
                }
            }
        });
        List<String> cycles = new ArrayList<>();
        for (String start : new TreeSet<>(graph.keySet())) {
            findCycle(graph, start, start, new ArrayList<>(List.of(start)), cycles);
        }
        assertThat(cycles).as("package dependency cycles").isEmpty();
    }

    private static void findCycle(Map<String, Set<String>> graph, String start, String at, List<String> path,
                                  List<String> cycles) {
        for (String next : graph.getOrDefault(at, Set.of())) {
            if (next.equals(start)) {
                cycles.add(String.join(" -> ", path) + " -> " + start);
            } else if (!path.contains(next) && next.compareTo(start) > 0 && path.size() < 12) {
                path.add(next);
                findCycle(graph, start, next, path, cycles);
                path.remove(path.size() - 1);
            }
        }
    }
}
