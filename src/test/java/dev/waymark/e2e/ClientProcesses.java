package dev.waymark.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * The real clients as processes: node with the pinned JavaScript SDK, python3 with boto3, the AWS CLI. A client
 * missing on this machine skips its test with the reason printed, except on CI (CI=true), where it is a failure.
 */
final class ClientProcesses {
    static final Path CLIENTS = Path.of("src", "test", "clients");
    /** The installed JavaScript SDK's package.json, relative to {@link #javascriptSdk()}: present once installed. */
    static final String JS_SDK_PACKAGE = "node_modules/@aws-sdk/client-pinpoint/package.json";
    private static final boolean CI = "true".equals(System.getenv("CI"));

    private ClientProcesses() {}

    /** What a process printed (standard output and error together) and how it ended; -1 when it did not. */
    record Result(int exit, String output) {}

    /** The directory of the pinned JavaScript SDK (src/test/clients/js), installing it with npm ci when needed. */
    static Path javascriptSdk() {
        Path js = CLIENTS.resolve("js");
        require(run(js, Duration.ofSeconds(30), Map.of(), "node", "--version").exit == 0, "node is not installed");
        Path installed = js.resolve(JS_SDK_PACKAGE);
        if (Files.exists(installed)) {
            return js;
        }
        // Test JVMs run side by side (Surefire's forks): one installs while the others wait for it.
        try (FileChannel lockFile = FileChannel.open(Files.createDirectories(Path.of("target")).resolve(
                "npm-install.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock ignored = lockFile.lock()) {
            if (!Files.exists(installed)) {
                Result install = run(js, Duration.ofMinutes(5), Map.of(), "npm", "ci", "--no-audit", "--no-fund");
                require(install.exit == 0, "npm ci failed: " + install.output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return js;
    }

    /** The version of boto3 when python3 has one that knows GetJourneyRuns (1.26.120 or newer). */
    static String boto3Version() {
        Result version = run(CLIENTS, Duration.ofSeconds(30), Map.of(), "python3", "-c",
                "import boto3, botocore; assert hasattr(boto3.client('pinpoint', region_name='us-east-1'), "
                        + "'get_journey_runs'); print(boto3.__version__)");
        require(version.exit == 0, "python3 with a boto3 that has GetJourneyRuns (1.26.120 or newer) is not "
                + "installed: " + version.output);
        return version.output.trim();
    }

    /** The AWS CLI's version line when it is installed and knows GetJourneyRuns. */
    static String awsCliVersion() {
        Result version = run(CLIENTS, Duration.ofSeconds(60), Map.of(), "aws", "--version");
        require(version.exit == 0, "the AWS CLI is not installed");
        Result skeleton = run(CLIENTS, Duration.ofSeconds(60), Map.of(), "aws", "pinpoint", "get-journey-runs",
                "--generate-cli-skeleton");
        require(skeleton.exit == 0, "this AWS CLI predates GetJourneyRuns: " + version.output.trim());
        return version.output.trim();
    }

    /** Skips the test where a client is missing; on CI a missing client is a failure. */
    static void require(boolean present, String reason) {
        if (!present) {
            System.out.println("clients: skipped: " + reason);
            assertThat(CI).as("on CI every client must run: " + reason).isFalse();
            Assumptions.assumeTrue(false, reason);
        }
    }

    /** Runs a command in a directory with extra environment variables, for at most {@code timeout}. */
    static Result run(Path directory, Duration timeout, Map<String, String> environment, String... command) {
        try {
            ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true);
            builder.environment().putAll(environment);
            Process process = builder.start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return new Result(-1, output);
            }
            return new Result(process.exitValue(), output);
        } catch (IOException e) {
            return new Result(-1, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(-1, "interrupted");
        }
    }
}
