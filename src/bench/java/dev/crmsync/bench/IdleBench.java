package dev.crmsync.bench;

import dev.crmsync.app.SyncConnection;
import dev.crmsync.engine.SyncCycle;
import dev.crmsync.model.Flow;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * What a cycle costs when nothing changed: a service polls every 30 s for months, so this is most of its traffic,
 * and it must not grow with the number of records.
 *
 * <p>Not threadsafe.
 */
final class IdleBench {

    static final String SUITE = "idle";

    /** The measured cost of one idle cycle. */
    record Idle(int records, Traffic webcrm, Traffic customcrm) {
        long total() {
            return webcrm.total() + customcrm.total();
        }
    }

    private IdleBench() {
    }

    /**
     * Measures one idle cycle on a world whose first sync is done: the service's connection stays open, as in
     * {@code crmsync run}; one cycle runs after a quiet spell longer than webCRM's overlap, which may still re-read
     * the last writes of the first sync, then after another such spell the measured cycle runs.
     *
     * @param world   a linked world whose first sync is done
     * @param records records per side
     * @return what the measured cycle cost each system
     */
    static Idle measure(SyncWorld world, int records) {
        Duration quiet = world.config().webcrm().overlap().plus(Duration.ofMinutes(1));
        SyncCycle.Options incremental = new SyncCycle.Options(false, EnumSet.allOf(Flow.class), Set.of(), false);
        try (SyncConnection connection = SyncConnection.open(world.config(), world.clock, world.sleeper(),
                s -> s, (side, c) -> c)) {
            world.later(quiet);
            connection.cycle().run(incremental);
            world.later(quiet);
            Traffic w = Traffic.of(world.webcrm.traffic().snapshot());
            Traffic c = Traffic.of(world.customcrm.traffic().snapshot());
            connection.cycle().run(incremental);
            return new Idle(records, Traffic.of(world.webcrm.traffic().snapshot()).since(w),
                    Traffic.of(world.customcrm.traffic().snapshot()).since(c));
        }
    }

    static String definition() {
        return "Requests to both systems, counted by the simulators, of one scheduled (incremental, no id listing) "
                + "cycle in which nothing changed, on a connection kept open as `crmsync run` keeps it. Both sides "
                + "seeded with the same records (a quarter organisations, three quarters persons); the store is filled "
                + "as a first sync that links them by match key leaves it (every record read through crmsync's "
                + "connectors, mapped, paired and stored through its Store; a real first sync's matching takes hours "
                + "at 100,000). Then the shared clock moves past webCRM's overlap window plus a minute, one cycle "
                + "runs, the clock moves as far again, and the next cycle is the one counted.";
    }

    static String notes(Idle idle) {
        return String.format(Locale.ROOT, "%,d records per side; webCRM %,d (%s); Customcrm %,d (%s)", idle.records(),
                idle.webcrm().total(), idle.webcrm().topRoutes(3), idle.customcrm().total(),
                idle.customcrm().topRoutes(3));
    }
}
