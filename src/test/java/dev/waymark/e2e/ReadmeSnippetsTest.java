package dev.waymark.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.waymark.cli.WaymarkCommand;
import java.io.IOException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import software.amazon.awssdk.services.pinpoint.PinpointClient;
import software.amazon.awssdk.services.pinpoint.model.State;

/**
 * Every client snippet of the README, taken from the README itself and run against a fresh Waymark: the Java one
 * compiled and called, the JavaScript and Python ones saved to a file and run as the README says, the AWS CLI lines
 * run in a shell, the properties file parsed as a config file. The README's {@code http://127.0.0.1:8080} is the
 * only thing replaced.
 */
class ReadmeSnippetsTest {
    private static final String README_URL = "http://127.0.0.1:8080";
    private static final Pattern SNIPPET = Pattern.compile("<!-- snippet:(\\w+) -->\\n```\\w*\\n(.*?)```", Pattern.DOTALL);

    @TempDir
    Path dir;

    private WaymarkTestServer waymark;
    private String appId;
    private String journeyId;
    private String runId;

    @BeforeEach
    void aJourneyWithARun() throws Exception {
        waymark = WaymarkTestServer.start(dir.resolve("data"));
        PinpointClient pinpoint = waymark.client();
        appId = pinpoint.createApp(r -> r.createApplicationRequest(a -> a.name("readme")))
                .applicationResponse().id();
        waymark.defineSampleSegments(appId);
        journeyId = pinpoint.createJourney(r -> r.applicationId(appId).writeJourneyRequest(
                SampleJourneys.simple("readme").toBuilder().state(State.ACTIVE).build())).journeyResponse().id();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (runId == null && System.nanoTime() < deadline) {
            runId = pinpoint.getJourneyRuns(r -> r.applicationId(appId).journeyId(journeyId)).journeyRunsResponse()
                    .item().stream().findFirst().map(run -> run.runId()).orElse(null);
            Thread.sleep(100);
        }
        assertThat(runId).as("the journey's first run").isNotNull();
    }

    @AfterEach
    void stop() {
        waymark.close();
    }

    @Test
    void theJavaSnippetCompilesAndRuns() throws Exception {
        String source = """
                import java.net.URI;
                import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
                import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
                import software.amazon.awssdk.regions.Region;
                import software.amazon.awssdk.services.pinpoint.PinpointClient;

                public class ReadmeJava {
                    public static void run(String keyId, String secret, String appId, String journeyId) {
                """ + snippet("java") + """
                    }
                }
                """;
        Path sources = Files.createDirectories(dir.resolve("java"));
        Files.writeString(sources.resolve("ReadmeJava.java"), source);
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        int compiled = compiler.run(null, null, null, "-d", sources.toString(),
                "-cp", System.getProperty("java.class.path"), sources.resolve("ReadmeJava.java").toString());
        assertThat(compiled).as("javac of the README's Java snippet").isZero();
        try (URLClassLoader loader = new URLClassLoader(new URL[] {sources.toUri().toURL()},
                getClass().getClassLoader())) {
            Method run = loader.loadClass("ReadmeJava").getMethod("run", String.class, String.class, String.class,
                    String.class);
            run.invoke(null, WaymarkTestServer.ACCESS_KEY, WaymarkTestServer.SECRET_KEY, appId, journeyId);
        }
    }

    @Test
    void theJavaScriptSnippetRunsAsAFile() throws Exception {
        Path sdk = ClientProcesses.javascriptSdk().toAbsolutePath();
        Path program = Files.createDirectories(dir.resolve("js"));
        Path link = Files.createSymbolicLink(program.resolve("node_modules"), sdk.resolve("node_modules"));
        try {
            Files.writeString(program.resolve("runs.mjs"), snippet("js"));
            assertPrintsTheRun(ClientProcesses.run(program, Duration.ofMinutes(1), credentials(), "node", "runs.mjs",
                    appId, journeyId));
        } finally {
            // The link, not the SDK it points at; JUnit would warn on stderr that it deletes a link leading out of
            // its temporary directory.
            Files.delete(link);
        }
    }

    @Test
    void thePythonSnippetRunsAsAFile() throws Exception {
        ClientProcesses.boto3Version();
        Files.writeString(dir.resolve("runs.py"), snippet("python"));
        assertPrintsTheRun(ClientProcesses.run(dir, Duration.ofMinutes(1), credentials(), "python3", "runs.py",
                appId, journeyId));
    }

    @Test
    void theCliLinesRun() throws Exception {
        ClientProcesses.awsCliVersion();
        List<String> commands = snippet("cli").lines().filter(line -> line.startsWith("aws ")).toList();
        assertThat(commands).hasSize(2);
        ClientProcesses.Result created = ClientProcesses.run(dir, Duration.ofMinutes(1), credentials(),
                "sh", "-c", commands.get(0));
        assertThat(created.exit()).as(created.output()).isZero();
        assertThat(created.output()).contains("\"Name\": \"demo\"");
        assertPrintsTheRun(ClientProcesses.run(dir, Duration.ofMinutes(1), credentials(), "sh", "-c",
                commands.get(1).replace("APP", appId).replace("JOURNEY", journeyId)));
    }

    @Test
    void theSegmentExampleMakesTheSegment() throws Exception {
        ClientProcesses.awsCliVersion();
        ClientProcesses.Result created = ClientProcesses.run(dir, Duration.ofMinutes(1), credentials(), "sh", "-c",
                snippet("segment").replace("APP", appId));
        assertThat(created.exit()).as(created.output()).isZero();
        assertThat(created.output()).contains("\"Name\": \"gold-us\"", "\"SegmentType\": \"DIMENSIONAL\"",
                "\"GREATER_THAN\"");
    }

    @Test
    void thePropertiesFileIsAValidConfigFile() throws Exception {
        Path file = dir.resolve("waymark.properties");
        Files.writeString(file, snippet("properties"));
        CommandLine.ParseResult parsed = WaymarkCommand.commandLine(Map.of(), Optional.of(file)).parseArgs("serve");
        assertThat(parsed.subcommand().commandSpec().findOption("--db-url").<String>getValue())
                .startsWith("jdbc:postgresql://");
        assertThat(parsed.subcommand().commandSpec().findOption("--bind").<String>getValue()).isEqualTo("0.0.0.0");
    }

    private void assertPrintsTheRun(ClientProcesses.Result result) {
        assertThat(result.exit()).as(result.output()).isZero();
        assertThat(result.output()).contains(runId);
    }

    private Map<String, String> credentials() {
        return Map.of("AWS_ACCESS_KEY_ID", WaymarkTestServer.ACCESS_KEY,
                "AWS_SECRET_ACCESS_KEY", WaymarkTestServer.SECRET_KEY, "AWS_DEFAULT_REGION", "us-east-1",
                "AWS_CONFIG_FILE", "/dev/null", "AWS_SHARED_CREDENTIALS_FILE", "/dev/null");
    }

    /** The README's code block marked {@code <!-- snippet:NAME -->}, with the server's URL put in. */
    private String snippet(String name) throws IOException {
        Matcher matcher = SNIPPET.matcher(Files.readString(Path.of("README.md")));
        while (matcher.find()) {
            if (matcher.group(1).equals(name)) {
                assertThat(matcher.group(2)).as("snippet %s names the default URL", name)
                        .satisfiesAnyOf(text -> assertThat(text).contains(README_URL),
                                text -> assertThat(name).isEqualTo("properties"));
                return matcher.group(2).replace(README_URL, waymark.server().url());
            }
        }
        throw new AssertionError("the README has no snippet " + name);
    }
}
