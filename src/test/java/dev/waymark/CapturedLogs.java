package dev.waymark;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.AppenderBase;
import ch.qos.logback.core.filter.Filter;
import ch.qos.logback.core.spi.FilterReply;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.LoggerFactory;

/**
 * A JUnit extension ({@code @RegisterExtension}) that collects every log event while a test runs, keeps them off the
 * console, and lets the test assert the warnings and errors it provokes on purpose with {@link #expect}. A warning or
 * error the test did not expect is printed on the console when the test ends, so a real one is still seen.
 *
 * <p>The capture is global, not per thread: the server under test logs on its own Jetty and scheduler threads. That
 * holds because the tests of one JVM run one at a time; a second capture at the same time is refused.
 */
public final class CapturedLogs implements BeforeEachCallback, AfterEachCallback {
    private static final AtomicReference<CapturedLogs> ACTIVE = new AtomicReference<>();
    private static final long WAIT_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final List<ILoggingEvent> events = new ArrayList<>();
    private final Set<ILoggingEvent> expected = Collections.newSetFromMap(new IdentityHashMap<>());
    private final List<String> allowed = new ArrayList<>();
    private final Appender<ILoggingEvent> appender = new AppenderBase<>() {
        @Override
        protected void append(ILoggingEvent event) {
            event.prepareForDeferredProcessing();
            synchronized (events) {
                events.add(event);
                events.notifyAll();
            }
        }
    };

    @Override
    public void beforeEach(ExtensionContext context) {
        if (!ACTIVE.compareAndSet(null, this)) {
            throw new IllegalStateException("another test is capturing the log; CapturedLogs needs tests to run one at a time");
        }
        appender.setContext(context());
        appender.setName("CAPTURE");
        appender.start();
        root().addAppender(appender);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        root().detachAppender(appender);
        appender.stop();
        ACTIVE.compareAndSet(this, null);
        boolean failed = context.getExecutionException().isPresent();
        List<ILoggingEvent> shown = warningsAndErrors().stream().filter(event -> failed || !isExpected(event)).toList();
        if (!shown.isEmpty()) {
            System.err.println(shown.size() + (failed ? " warnings and errors logged during failed test "
                    : " unexpected warnings and errors logged during ") + context.getDisplayName() + ":");
            Appender<ILoggingEvent> console = root().getAppender("CONSOLE");
            for (ILoggingEvent event : shown) {
                if (console != null) {
                    console.doAppend(event);
                } else {
                    System.err.println(event);
                }
            }
        }
    }

    /** Every event logged so far in this test, oldest first. */
    public List<ILoggingEvent> events() {
        synchronized (events) {
            return List.copyOf(events);
        }
    }

    /**
     * Asserts that an event of {@code level} from the logger {@code logger} (its full name or its last parts, such as
     * {@code "http.ErrorMappingStep"}, or a package, such as {@code "com.zaxxer.hikari"}) whose message contains {@code text} was logged, waiting up to 10 s for it, and
     * marks every such event as expected. Returns the first one, for further assertions (its stack trace, say).
     */
    public ILoggingEvent expect(Level level, String logger, String text) {
        Predicate<ILoggingEvent> matches = event -> event.getLevel().equals(level) && isFrom(event, logger)
                && event.getFormattedMessage().contains(text);
        long deadline = System.nanoTime() + WAIT_NANOS;
        synchronized (events) {
            while (true) {
                List<ILoggingEvent> found = events.stream().filter(matches).toList();
                if (!found.isEmpty()) {
                    synchronized (expected) {
                        expected.addAll(found);
                    }
                    return found.get(0);
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("expected a log event at " + level + " from " + logger + " containing \"" + text
                            + "\"; the warnings and errors logged were: " + warningsAndErrors().stream()
                            .map(event -> event.getLevel() + " " + event.getLoggerName() + " - " + event.getFormattedMessage())
                            .toList());
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(events, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError("interrupted while waiting for a log event", e);
                }
            }
        }
    }

    /**
     * Takes every warning and error from {@code logger} (as in {@link #expect}) as expected, however many there are:
     * for the noise of a library whose count depends on timing, such as a pool's retries while a test holds the store
     * down. The test still asserts, with {@link #expect}, the one event it is sure of.
     */
    public void allow(String logger) {
        synchronized (allowed) {
            allowed.add(logger);
        }
    }

    private static boolean isFrom(ILoggingEvent event, String logger) {
        String name = event.getLoggerName();
        return name.equals(logger) || name.endsWith("." + logger) || name.startsWith(logger + ".");
    }

    private List<ILoggingEvent> warningsAndErrors() {
        return events().stream().filter(event -> event.getLevel().isGreaterOrEqual(Level.WARN)).toList();
    }

    private boolean isExpected(ILoggingEvent event) {
        synchronized (allowed) {
            if (allowed.stream().anyMatch(logger -> isFrom(event, logger))) {
                return true;
            }
        }
        synchronized (expected) {
            return expected.contains(event);
        }
    }

    private static LoggerContext context() {
        return (LoggerContext) LoggerFactory.getILoggerFactory();
    }

    private static Logger root() {
        return context().getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    }

    /** The console appender's filter (logback-test.xml): nothing reaches the console while a test captures the log. */
    public static final class OffTheConsole extends Filter<ILoggingEvent> {
        @Override
        public FilterReply decide(ILoggingEvent event) {
            return ACTIVE.get() != null ? FilterReply.DENY : FilterReply.NEUTRAL;
        }
    }
}
