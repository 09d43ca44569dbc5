package dev.waymark.e2e;

import dev.waymark.TestLogFile;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Waymark as a real operating-system process ({@code waymark serve}), so that tests can kill it with SIGKILL. */
final class WaymarkProcess implements AutoCloseable {
    private static final Pattern READY = Pattern.compile("Waymark listening on (http://\\S+)");
    /** The test classpath holds logback-test.xml; a server process logs as in production, to its own stderr file. */
    static final String LOG_AS_IN_PRODUCTION = "-Dlogback.configurationFile=logback.xml";

    private final Process process;
    private final String url;
    private final Path log;
    private final List<String> printed;

    private WaymarkProcess(Process process, String url, Path log, List<String> printed) {
        this.process = process;
        this.url = url;
        this.log = log;
        this.printed = printed;
    }

    /**
     * Starts {@code waymark serve --port 0} with the given extra arguments, the test admin key seeded, and waits
     * until it is listening.
     */
    static WaymarkProcess start(Path dataDir, String... arguments) throws Exception {
        return start(dataDir, true, arguments);
    }

    /** As {@link #start(Path, String...)}; without {@code seedKey} the server makes its own first key. */
    static WaymarkProcess start(Path dataDir, boolean seedKey, String... arguments) throws Exception {
        return start(dataDir, seedKey, List.of(), arguments);
    }

    /** As {@link #start(Path, boolean, String...)}, with options for the JVM (such as a heap size). */
    static WaymarkProcess start(Path dataDir, boolean seedKey, List<String> jvmOptions, String... arguments)
            throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), LOG_AS_IN_PRODUCTION,
                "dev.waymark.Main", "serve", "--port", "0", "--data-dir", dataDir.toString()));
        command.addAll(List.of(arguments));
        // Beside the run's own log, not in the test's temporary directory, so that it outlives a failed test.
        Path log = Files.createDirectories(Path.of(System.getProperty("basedir", "."), "target", "test-logs"))
                .resolve("waymark-" + dataDir.getFileName() + "-" + System.nanoTime() + ".log");
        TestLogFile.childLog(log);
        ProcessBuilder builder = new ProcessBuilder(command).redirectError(log.toFile());
        builder.environment().remove("WAYMARK_ACCESS_KEY_ID");
        builder.environment().remove("WAYMARK_SECRET_ACCESS_KEY");
        if (seedKey) {
            builder.environment().put("WAYMARK_ACCESS_KEY_ID", WaymarkTestServer.ACCESS_KEY);
            builder.environment().put("WAYMARK_SECRET_ACCESS_KEY", WaymarkTestServer.SECRET_KEY);
        }
        Process process = builder.start();
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        List<String> printed = new ArrayList<>();
        String line;
        while (System.nanoTime() < deadline && (line = out.readLine()) != null) {
            printed.add(line);
            Matcher ready = READY.matcher(line);
            if (ready.find()) {
                return new WaymarkProcess(process, ready.group(1), log, printed);
            }
        }
        process.destroyForcibly().waitFor();
        throw new IllegalStateException("Waymark did not start; its log is " + log);
    }

    String url() {
        return url;
    }

    /** SIGKILL: no shutdown hook, no chance to finish anything. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    /** SIGTERM, without waiting. */
    void stopWithoutWaiting() {
        process.destroy();
    }

    /** Waits for the process to end (60 s at most) and returns its exit code. */
    int waitForExit() throws InterruptedException {
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
        return process.exitValue();
    }

    /** SIGTERM, then wait for the exit code. */
    int stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
        return process.exitValue();
    }

    Path log() {
        return log;
    }

    /** What the server printed on standard output up to its ready line. */
    List<String> printed() {
        return printed;
    }

    @Override
    public void close() throws IOException, InterruptedException {
        if (process.isAlive()) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
