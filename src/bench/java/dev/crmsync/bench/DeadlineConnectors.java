package dev.crmsync.bench;

import dev.crmsync.model.Side;
import dev.crmsync.ports.Connector;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.function.BiFunction;

/**
 * Stops a run at a wall-clock deadline, the way a person stops {@code sync --once} that has run long enough: the
 * first connector call after the deadline throws {@link Deadline}. It is an {@link Error} so that the engine,
 * which turns exceptions of a call into retries or dead letters, lets it through to the benchmark.
 *
 * <p>A {@link Proxy} rather than a hand-written wrapper, so the stop still covers every method when the
 * {@link Connector} port grows.
 *
 * <p>This class is threadsafe.
 */
final class DeadlineConnectors {

    /** The run passed its deadline. */
    static final class Deadline extends Error {
        Deadline(Duration after) {
            super("stopped at the benchmark's time cap, after " + after.toSeconds() + " s", null, false, false);
        }
    }

    private DeadlineConnectors() {
    }

    /**
     * @param cap how long from now the run may go on
     * @return a connector wrapper for {@link SyncWorld#syncOnce}
     */
    static BiFunction<Side, Connector, Connector> after(Duration cap) {
        long start = System.nanoTime();
        long deadline = start + cap.toNanos();
        return (side, connector) -> (Connector) Proxy.newProxyInstance(Connector.class.getClassLoader(),
                new Class<?>[] {Connector.class}, (proxy, method, args) -> {
                    // Closing must always go through, or the store lock and HTTP clients would leak.
                    if (!method.getName().equals("close") && System.nanoTime() - deadline > 0) {
                        throw new Deadline(Duration.ofNanos(System.nanoTime() - start));
                    }
                    try {
                        return method.invoke(connector, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }
}
