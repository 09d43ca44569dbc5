package dev.waymark.cli;

import java.io.PrintStream;
import me.tongfei.progressbar.ProgressBar;

/**
 * Progress of long command-line work: a bar on a terminal, a plain line every few seconds otherwise. It reports
 * 100 % only when the work said it finished; closed without that, it reports where the work stopped.
 */
final class Progress implements AutoCloseable {
    private static final long LINE_EVERY_NANOS = 2_000_000_000L;

    private final String task;
    private final long total;
    private final ProgressBar bar;
    private final PrintStream lines;
    private long done;
    private boolean finished;
    private long lastLine = System.nanoTime();

    Progress(String task, long total) {
        this.task = task;
        this.total = total;
        boolean terminal = System.console() != null;
        this.bar = terminal ? new ProgressBar(task, total) : null;
        this.lines = terminal ? null : System.err;
    }

    void step() {
        done++;
        if (bar != null) {
            bar.step();
        } else if (System.nanoTime() - lastLine > LINE_EVERY_NANOS) {
            lastLine = System.nanoTime();
            lines.printf("%s: %d of %d rows (%d%%)%n", task, done, total, percent());
        }
    }

    /** The work completed; {@link #close()} then reports 100 %. */
    void finished() {
        finished = true;
        if (bar != null) {
            bar.stepTo(total);
        }
    }

    @Override
    public void close() {
        if (bar != null) {
            bar.close();
        } else if (finished) {
            lines.printf("%s: %d of %d rows (100%%)%n", task, done, total);
        } else {
            lines.printf("%s: stopped after %d of %d rows (%d%%)%n", task, done, total, Math.min(percent(), 99));
        }
    }

    private long percent() {
        return total == 0 ? 100 : Math.min(100, done * 100 / total);
    }
}
