package dev.waymark.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code waymark serve} as a user starts it: the first key, --auth none, and start-up failures. */
class CommandLineEndToEndTest {
    private static final Pattern EXPORT = Pattern.compile("export AWS_ACCESS_KEY_ID=(\\S+) AWS_SECRET_ACCESS_KEY=(\\S+)");

    @TempDir
    Path dir;

    @Test
    void theFirstStartCreatesAnAdminKeyAndShowsItOnce() throws Exception {
        Path data = dir.resolve("data");
        String keyId;
        String secret;
        try (WaymarkProcess first = WaymarkProcess.start(data, false)) {
            Matcher export = first.printed().stream().map(EXPORT::matcher).filter(Matcher::find).findFirst()
                    .orElseThrow(() -> new AssertionError("no export line in " + first.printed()));
            keyId = export.group(1);
            secret = export.group(2);
            assertThat(WaymarkTestServer.clientFor(first.url(), keyId, secret).getApps(r -> { }).applicationsResponse().item()).isEmpty();
            first.stop();
        }
        try (WaymarkProcess second = WaymarkProcess.start(data, false)) {
            assertThat(String.join("\n", second.printed())).doesNotContain("AWS_SECRET_ACCESS_KEY");
            assertThat(WaymarkTestServer.clientFor(second.url(), keyId, secret).getApps(r -> { }).applicationsResponse().item()).isEmpty();
            second.stop();
        }
    }

    @Test
    void authNoneAcceptsUnsignedRequestsAndWarns() throws Exception {
        try (WaymarkProcess open = WaymarkProcess.start(dir.resolve("open"), false, "--auth", "none")) {
            HttpResponse<String> unsigned = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create(open.url() + "/v1/apps")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(unsigned.statusCode()).isEqualTo(200);
            assertThat(String.join("\n", open.printed())).doesNotContain("AWS_SECRET_ACCESS_KEY");
            open.stop();
            assertThat(Files.readString(open.log())).contains("WARNING: --auth none");
        }
    }

    @Test
    void startUpFailuresAreOneLineAndNonZero() throws Exception {
        try (WaymarkProcess running = WaymarkProcess.start(dir.resolve("a"))) {
            String port = running.url().substring(running.url().lastIndexOf(':') + 1);
            Result taken = run("serve", "--port", port, "--data-dir", dir.resolve("b").toString());
            assertThat(taken.exit).isEqualTo(1);
            assertThat(taken.stderr).hasSize(1).first().asString().contains("cannot listen on 127.0.0.1:" + port);
        }
        Result unknown = run("serve", "--bogus");
        assertThat(unknown.exit).isEqualTo(2);
        assertThat(unknown.stderr).hasSize(1).first().asString().contains("Unknown option: '--bogus'");
        Result noStore = run("keys", "list", "--data-dir", dir.resolve("nothing").toString());
        assertThat(noStore.exit).isEqualTo(1);
        assertThat(noStore.stderr).hasSize(1).first().asString().contains("no Waymark store");
    }

    @Test
    void startUpSaysWhatRunsWithTheDataDirectoryAsAnAbsolutePath() throws Exception {
        Path data = dir.resolve("relative-check");
        try (WaymarkProcess running = WaymarkProcess.start(data)) {
            String printed = String.join("\n", running.printed());
            assertThat(printed).containsPattern("Waymark \\d+\\.\\d+\\.\\d+")
                    .doesNotContain("development")
                    .contains("store: new SQLite " + data.toAbsolutePath().resolve("waymark.db"))
                    .contains("auth: sigv4")
                    .contains("Waymark listening on " + running.url());
            running.stop();
        }
        try (WaymarkProcess again = WaymarkProcess.start(data)) {
            assertThat(String.join("\n", again.printed())).contains("store: SQLite " + data.toAbsolutePath())
                    .doesNotContain("store: new");
            again.stop();
        }
    }

    @Test
    void aBadDurationFlagNamesTheFlagAndTheForm() throws Exception {
        Result bad = run("serve", "--scheduler-poll", "5");
        assertThat(bad.exit).isEqualTo(2);
        assertThat(bad.stderr).hasSize(1).first().asString()
                .contains("--scheduler-poll").contains("ISO 8601 duration such as PT0.25S").contains("'5'")
                .doesNotContain("java.").doesNotContain("Exception");
    }

    @Test
    void keysCreateRefusesAppsTheStoreDoesNotHave() throws Exception {
        Path data = dir.resolve("keys");
        try (WaymarkProcess running = WaymarkProcess.start(data)) {
            running.stop();
        }
        Result unknown = run("keys", "create", "--apps", "0123456789abcdef0123456789abcdef", "--data-dir",
                data.toString());
        assertThat(unknown.exit).isEqualTo(2);
        assertThat(unknown.stderr).hasSize(1).first().asString()
                .contains("no app 0123456789abcdef0123456789abcdef in this store");
    }

    private record Result(int exit, List<String> stderr) {}

    private Result run(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), WaymarkProcess.LOG_AS_IN_PRODUCTION, "dev.waymark.Main"));
        command.addAll(List.of(args));
        Path err = Files.createTempFile(dir, "stderr", ".txt");
        Process process = new ProcessBuilder(command).redirectError(err.toFile())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        List<String> lines = Files.readAllLines(err).stream().filter(line -> !line.isBlank()).toList();
        return new Result(process.exitValue(), lines);
    }
}
