package dev.waymark.cli;

import java.io.PrintStream;
import me.tongfei.progressbar.ProgressBar;

/** Progress of long command-line work: a bar on a terminal, a plain line every few seconds otherwise. */
final class Progress implements AutoCloseable {
    private static final long LINE_EVERY_NANOS = 2_000_000_000L;

    private final String task;
    private final long total;
    private final ProgressBar bar;
    private final PrintStream lines;
    private long done;
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
            lines.printf("%s: %d of %d rows (%d%%)%n", task, done, total, total == 0 ? 100 : done * 100 / total);
        }
    }

    @Override
    public void close() {
        if (bar != null) {
            bar.close();
        } else {
            lines.printf("%s: %d of %d rows (100%%)%n", task, done, total);
        }
    }
}
