package dev.waymark.cli;

import dev.waymark.server.WaymarkServer;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * SIGTERM (and SIGINT) stop the server gracefully: no new connections, requests in progress finish (10 s at most),
 * a run transition in progress commits or rolls back, the scheduler lets go, the store closes, and the process
 * exits 0. A second signal, or 30 s without finishing, ends the process at once; the store's crash safety means
 * nothing is lost either way.
 */
final class GracefulShutdown {
    private static final Logger LOG = LoggerFactory.getLogger(GracefulShutdown.class);
    private static final long TIMEOUT_MS = 30_000;

    private final WaymarkServer server;
    private final AtomicBoolean stopping = new AtomicBoolean();

    GracefulShutdown(WaymarkServer server) {
        this.server = server;
    }

    /** Handles the signals; without sun.misc.Signal (another JVM), falls back to a shutdown hook. */
    void install() {
        try {
            Signal.handle(new Signal("TERM"), this::onSignal);
            Signal.handle(new Signal("INT"), this::onSignal);
        } catch (IllegalArgumentException | UnsupportedOperationException | LinkageError e) {
            Runtime.getRuntime().addShutdownHook(new Thread(server::close, "waymark-shutdown"));
        }
    }

    private void onSignal(Signal signal) {
        if (!stopping.compareAndSet(false, true)) {
            LOG.warn("Second SIG{}: stopping at once", signal.getName());
            Runtime.getRuntime().halt(1);
        }
        LOG.info("SIG{}: stopping gracefully (send it again to stop at once)", signal.getName());
        Thread watchdog = new Thread(() -> {
            try {
                Thread.sleep(TIMEOUT_MS);
                LOG.warn("Not stopped after {} ms: stopping at once", TIMEOUT_MS);
                Runtime.getRuntime().halt(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "waymark-shutdown-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
        // Closing ends the server's join(), so 'serve' returns and the process exits 0.
        new Thread(server::close, "waymark-shutdown").start();
    }
}
