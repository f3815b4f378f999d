package dev.crmsync.app.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * The stop request of {@code crmsync run}: SIGTERM (systemd, {@code kill}) or SIGINT (Ctrl-C), taken over from
 * the JVM so that the command's thread stops the service and returns its own exit status.
 *
 * <p>Left to the JVM, either signal starts its shutdown at once and the process ends with 128 + the signal's
 * number (143 for SIGTERM) whatever the shutdown hooks do, and systemd marks a unit that ends with 143 as failed.
 * While these handlers are installed a signal only wakes {@link #await()}; the process ends when the command
 * returns. Where the JVM keeps the signals to itself ({@code -Xrs}), or for any other shutdown (SIGHUP,
 * {@code System.exit} elsewhere), {@code run}'s shutdown hook calls {@link #request(String)} and the JVM's own
 * status stands.
 *
 * <p>This class is threadsafe: a signal arrives on the JVM's signal thread, the hook on its own.
 */
final class StopSignals implements AutoCloseable {

    private static final List<String> SIGNALS = List.of("TERM", "INT");

    private final CountDownLatch requested = new CountDownLatch(1);
    private final AtomicReference<String> reason = new AtomicReference<>();
    private final List<Restore> previous = new ArrayList<>();

    private StopSignals() {
    }

    /**
     * Takes over SIGTERM and SIGINT, as far as the JVM lets it.
     *
     * @return the stop request, to {@link #close()} when the command ends
     */
    static StopSignals install() {
        StopSignals stop = new StopSignals();
        for (String name : SIGNALS) {
            try {
                Signal signal = new Signal(name);
                SignalHandler old = Signal.handle(signal, s -> stop.request("SIG" + s.getName()));
                stop.previous.add(new Restore(signal, old));
            } catch (IllegalArgumentException | LinkageError e) {
                // The JVM keeps this signal (-Xrs) or has no sun.misc.Signal: the shutdown hook still stops the
                // service, with the JVM's exit status.
            }
        }
        return stop;
    }

    /**
     * @param why what asked for the stop, e.g. {@code SIGTERM}; the first one is kept
     */
    void request(String why) {
        reason.compareAndSet(null, why);
        requested.countDown();
    }

    /**
     * Waits until a stop is requested.
     *
     * @return what asked for it
     * @throws InterruptedException when the waiting thread is interrupted
     */
    String await() throws InterruptedException {
        requested.await();
        return reason.get();
    }

    /** Gives the signals back to the handlers they had before: the JVM's own, outside a test. */
    @Override
    public void close() {
        for (Restore restore : previous) {
            try {
                Signal.handle(restore.signal(), restore.handler());
            } catch (IllegalArgumentException e) {
                // it was ours to give back; nothing else can be done
            }
        }
        previous.clear();
    }

    private record Restore(Signal signal, SignalHandler handler) {
    }
}
