package dev.waymark;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.FileAppender;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registered for every test (junit-platform.properties, META-INF/services): marks where each test starts in the
 * run's log file, and when a test fails prints which log files to read, its own and those of the processes it started.
 */
public final class TestLogFile implements BeforeEachCallback, TestWatcher {
    private static final Logger LOG = LoggerFactory.getLogger("dev.waymark.tests");
    private static final List<Path> CHILD_LOGS = new ArrayList<>();

    /** Notes the log of a process the running test started, to name it if the test fails. */
    public static synchronized void childLog(Path log) {
        CHILD_LOGS.add(log.toAbsolutePath());
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        synchronized (TestLogFile.class) {
            CHILD_LOGS.clear();
        }
        LOG.info("==== test {}", name(context));
    }

    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
        StringBuilder report = new StringBuilder("Logs of failed test ").append(name(context)).append(":\n  ")
                .append(runLog()).append(" (from the line \"==== test ").append(name(context)).append("\")");
        synchronized (TestLogFile.class) {
            CHILD_LOGS.forEach(log -> report.append("\n  ").append(log).append(" (a process it started)"));
        }
        System.err.println(report);
    }

    private static String name(ExtensionContext context) {
        String testClass = context.getRequiredTestClass().getSimpleName();
        String parent = context.getParent().map(ExtensionContext::getDisplayName).orElse(testClass);
        return testClass + (parent.equals(testClass) ? "" : " [" + parent + "]") + " " + context.getDisplayName();
    }

    private static String runLog() {
        LoggerContext logback = (LoggerContext) LoggerFactory.getILoggerFactory();
        Appender<?> file = logback.getLogger(Logger.ROOT_LOGGER_NAME).getAppender("FILE");
        return file instanceof FileAppender<?> fileAppender ? Path.of(fileAppender.getFile()).toAbsolutePath().toString()
                : "(no log file: logback-test.xml is not in use)";
    }
}
