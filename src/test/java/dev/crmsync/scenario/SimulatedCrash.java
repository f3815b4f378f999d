package dev.crmsync.scenario;

import dev.crmsync.ports.Connector;
import dev.crmsync.ports.Store;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * A sync "process" dying inside the test JVM: thrown where it dies, and caught by nothing in crmsync, so the run
 * stops there and the next one starts from the store file as it was left. Made by a store wrapped to die before
 * one of its writes, or by a connector wrapped to die right after a write was carried out, before crmsync learns
 * its answer (the lost answer). {@link CrashSuiteTest} kills a real process; this is the quick kind, for many
 * random walks ({@link SyncModelTest}) and for pinning one case in a scenario test.
 */
final class SimulatedCrash extends RuntimeException {

    private static final Set<String> STORE_WRITES = Set.of("observe", "saveLink", "saveCursor", "addIntent",
            "removeIntent", "addPendingUpdates", "removePendingUpdates", "saveConflict", "appendHistory");

    SimulatedCrash(String where) {
        super("simulated crash " + where, null, false, false);
    }

    /**
     * @param store   the store to wrap
     * @param writes  the writes counted so far, shared across calls; counted on
     * @param crashAt the write before which the process dies, counting from 1
     * @return the store, dying before its {@code crashAt}-th write
     */
    static Store beforeStoreWrite(Store store, int[] writes, int crashAt) {
        return (Store) Proxy.newProxyInstance(Store.class.getClassLoader(), new Class<?>[] {Store.class},
                (proxy, method, args) -> {
                    if (STORE_WRITES.contains(method.getName()) && ++writes[0] >= crashAt) {
                        throw new SimulatedCrash("before store." + method.getName());
                    }
                    return invoke(store, method, args);
                });
    }

    /**
     * @param connector the connector to wrap
     * @param lose      asked after each write call whether its answer is lost
     * @return the connector, dying after a write it carried out whenever {@code lose} says so
     */
    static Connector losingAnswers(Connector connector, BooleanSupplier lose) {
        return (Connector) Proxy.newProxyInstance(Connector.class.getClassLoader(), new Class<?>[] {Connector.class},
                (proxy, method, args) -> {
                    Object answer = invoke(connector, method, args);
                    if (method.getName().equals("write") && lose.getAsBoolean()) {
                        throw new SimulatedCrash("after " + connector.side().label() + " carried out a write");
                    }
                    return answer;
                });
    }

    private static Object invoke(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
