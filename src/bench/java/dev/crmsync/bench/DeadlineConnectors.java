package dev.crmsync.bench;

import dev.crmsync.model.Side;
import dev.crmsync.ports.Connector;
import dev.crmsync.ports.Store;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.function.BiFunction;
import java.util.function.UnaryOperator;

/**
 * Stops a run at a wall-clock deadline, the way a person stops {@code sync --once} that has run long enough: the
 * first call to a connector or to the store after the deadline throws {@link Deadline}. The store is watched too,
 * because planning a large first sync can go on for minutes without a request. It is an {@link Error} so that the
 * engine, which turns exceptions of a call into retries or dead letters, lets it through to the benchmark.
 *
 * <p>A {@link Proxy} rather than hand-written wrappers, so the stop still covers every method when the ports
 * grow.
 *
 * <p>This class is threadsafe.
 */
final class DeadlineConnectors {

    /** The run passed its deadline. */
    static final class Deadline extends Error {
        Deadline(Duration after, String call) {
            super("stopped at the benchmark's time cap, after " + after.toSeconds() + " s, at a call to " + call);
        }

        /**
         * @return the engine's two innermost frames when the run was stopped, e.g.
         *         {@code engine.PlanningView.byMatchKey called by engine.Planner$Reconciliation.unlinked}: what
         *         the run was busy with
         */
        String engineFrame() {
            java.util.List<String> frames = new java.util.ArrayList<>();
            for (StackTraceElement frame : getStackTrace()) {
                if (frame.getClassName().startsWith("dev.crmsync.engine.") && frames.size() < 2) {
                    frames.add(frame.getClassName().substring("dev.crmsync.".length()) + "." + frame.getMethodName());
                }
            }
            return frames.isEmpty() ? "outside the engine" : String.join(" called by ", frames);
        }
    }

    private final long start = System.nanoTime();
    private final long deadline;

    /**
     * @param cap how long from now the run may go on
     */
    DeadlineConnectors(Duration cap) {
        this.deadline = start + cap.toNanos();
    }

    /**
     * @return a connector wrapper for {@link SyncWorld#syncOnce}
     */
    BiFunction<Side, Connector, Connector> connectors() {
        return (side, connector) -> watch(Connector.class, connector);
    }

    /**
     * @return a store wrapper for {@link SyncWorld#syncOnce}
     */
    UnaryOperator<Store> store() {
        return store -> watch(Store.class, store);
    }

    private <T> T watch(Class<T> port, T target) {
        return port.cast(Proxy.newProxyInstance(port.getClassLoader(), new Class<?>[] {port},
                (proxy, method, args) -> {
                    // Closing must always go through, or the store lock and HTTP clients would leak.
                    if (!method.getName().equals("close") && System.nanoTime() - deadline > 0) {
                        throw new Deadline(Duration.ofNanos(System.nanoTime() - start),
                                port.getSimpleName() + "." + method.getName());
                    }
                    try {
                        return method.invoke(target, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                }));
    }
}
