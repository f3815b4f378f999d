package dev.crmsync.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crmsync.app.simulate.SeedPlan;
import dev.crmsync.app.simulate.customcrm.RecordType;
import dev.crmsync.app.simulate.webcrm.WebcrmEntity;
import dev.crmsync.model.Flow;
import dev.crmsync.model.LinkState;
import dev.crmsync.engine.SyncCycle;
import dev.crmsync.model.Side;
import dev.crmsync.ports.Connector;
import dev.crmsync.testing.MutableClock;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * A sync whose store is gone, over real HTTP against both simulators: the records crmsync stamped are linked again
 * by their stamps rather than created a second time, whether or not {@code crmsync relink} ran first (that
 * command's own tests are in {@link RelinkCommandTest}).
 */
class LostStoreScenarioTest {

    /** Three companies on each side, one of them on both, with their people and products. */
    static SyncHarness seededWorld() {
        return SyncHarness.seeded(new SeedPlan(0, 3, 6, 4), new SeedPlan(2, 3, 6, 4));
    }

    /** How many records each system holds, per entity, and how many active links the store holds, per flow. */
    record Census(Map<WebcrmEntity, Integer> webcrm, Map<RecordType, Integer> customcrm, Map<Flow, Long> links) {

        static Census of(SyncHarness harness) {
            Map<WebcrmEntity, Integer> webcrm = new EnumMap<>(WebcrmEntity.class);
            for (WebcrmEntity entity : WebcrmEntity.values()) {
                webcrm.put(entity, harness.webcrm.count(entity));
            }
            Map<RecordType, Integer> customcrm = new EnumMap<>(RecordType.class);
            for (RecordType type : RecordType.values()) {
                customcrm.put(type, harness.customcrm.count(type));
            }
            Map<Flow, Long> links = new EnumMap<>(Flow.class);
            for (Flow flow : Flow.values()) {
                links.put(flow, harness.store(s -> s.countLinks(flow, LinkState.ACTIVE)));
            }
            return new Census(webcrm, customcrm, links);
        }
    }

    /** The connector, whose reads start a second later on the shared clock. */
    private static Connector readLater(Connector connector, MutableClock clock) {
        return (Connector) Proxy.newProxyInstance(Connector.class.getClassLoader(), new Class<?>[] {Connector.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("readChanges")) {
                        clock.advance(Duration.ofSeconds(1));
                    }
                    try {
                        return method.invoke(connector, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    @Test
    void shouldLinkTheStampedPairsAgainInsteadOfDuplicatingThemWhenASyncStartsFromAnEmptyStore() {
        try (SyncHarness harness = seededWorld()) {
            // Given a synced world whose store is then lost
            harness.sync();
            Census synced = Census.of(harness);
            harness.loseStore();
            harness.later(Duration.ofMinutes(5));

            // When the next sync starts from an empty store, without relink, reading Customcrm a moment after
            // webCRM as a real cycle does (so the webCRM records come first in the queue)
            harness.runWith(new SyncCycle.Options(false, true, false), UnaryOperator.identity(),
                    (side, connector) -> side == Side.CUSTOMCRM ? readLater(connector, harness.clock) : connector);

            // Then no record was made twice, and every pair is linked again
            assertThat(Census.of(harness)).isEqualTo(synced);
            assertThat(synced.links().get(Flow.PRODUCTS)).isEqualTo(8);
            harness.assertAnotherSyncWritesNothing();
        }
    }
}
