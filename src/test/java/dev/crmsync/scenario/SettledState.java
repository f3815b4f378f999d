package dev.crmsync.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crmsync.adapters.customcrm.CustomcrmConnector;
import dev.crmsync.adapters.http.Sleeper;
import dev.crmsync.adapters.webcrm.WebcrmConnector;
import dev.crmsync.app.SyncConnection;
import dev.crmsync.app.config.CrmsyncConfig;
import dev.crmsync.mapping.RecordMapper;
import dev.crmsync.mapping.RefResolver;
import dev.crmsync.model.FieldValues;
import dev.crmsync.model.Flow;
import dev.crmsync.model.Link;
import dev.crmsync.model.LinkState;
import dev.crmsync.model.Side;
import dev.crmsync.model.SideRecord;
import dev.crmsync.ports.Connector;
import dev.crmsync.ports.ObservedRecord;
import dev.crmsync.ports.RecordStatus;
import dev.crmsync.ports.Store;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Both systems and the store as they stand once a sync has settled, read in full, with the checks that must hold
 * then whatever happened on the way: random interleavings ({@link SyncModelTest}) or a process killed at any step
 * ({@link CrashSuiteTest}). See {@link #assertSettled()}.
 *
 * <p>The systems are read through crmsync's own connectors from the start of their change feeds, so the records are
 * seen exactly as the sync sees them. Not threadsafe.
 */
final class SettledState {

    private final CrmsyncConfig config;
    private final Map<Side, Map<Flow, Map<String, SideRecord>>> live = new EnumMap<>(Side.class);
    /** What reading on from each stored cursor brings, per side and flow; see {@link #assertCursorsSane()}. */
    private final Map<Side, Map<Flow, List<SideRecord>>> afterCursor = new EnumMap<>(Side.class);
    private final Map<Side, Map<Flow, String>> cursors = new EnumMap<>(Side.class);
    private final Map<Flow, Map<Side, Map<String, Link>>> linkOf = new EnumMap<>(Flow.class);
    private final Map<Flow, Map<Side, Map<String, ObservedRecord>>> copies = new EnumMap<>(Flow.class);
    private final List<ObservedRecord> dead;
    private final List<ObservedRecord> waiting;
    private final int intents;
    private final RefResolver links;

    private SettledState(CrmsyncConfig config, InstantSource clock) {
        this.config = config;
        try (Connector webcrm = new WebcrmConnector(config.webcrm(), stampProperties(config), clock, Sleeper.SYSTEM);
             Connector customcrm = new CustomcrmConnector(config.customcrm(), clock, Sleeper.SYSTEM);
             Store store = SyncConnection.openStore(config)) {
            for (Connector connector : List.of(webcrm, customcrm)) {
                Side side = connector.side();
                live.put(side, new EnumMap<>(Flow.class));
                afterCursor.put(side, new EnumMap<>(Flow.class));
                cursors.put(side, new EnumMap<>(Flow.class));
                for (Flow flow : Flow.values()) {
                    live.get(side).put(flow, Convergence.everything(connector, flow));
                    Optional<String> cursor = store.cursor(flow, side);
                    cursor.ifPresent(c -> cursors.get(side).put(flow, c));
                    List<SideRecord> after = new ArrayList<>();
                    if (cursor.isPresent()) {
                        connector.readChanges(flow, cursor.get(), after::addAll);
                    }
                    afterCursor.get(side).put(flow, after);
                }
            }
            for (Flow flow : Flow.values()) {
                linkOf.put(flow, new EnumMap<>(Side.class));
                copies.put(flow, new EnumMap<>(Side.class));
                for (Side side : Side.values()) {
                    List<String> ids = List.copyOf(live.get(side).get(flow).keySet());
                    linkOf.get(flow).put(side, store.linksOf(flow, side, ids));
                    copies.get(flow).put(side, store.observed(flow, side, ids));
                }
            }
            dead = store.withStatus(RecordStatus.DEAD);
            waiting = store.withStatus(RecordStatus.WAITING);
            intents = store.intents().size();
            Map<Flow, List<Link>> allLinks = new EnumMap<>(Flow.class);
            for (Flow flow : Flow.values()) {
                allLinks.put(flow, store.links(flow, 0, Integer.MAX_VALUE));
            }
            links = new LinkResolver(allLinks);
        }
    }

    /**
     * @param config the configuration the sync ran with
     * @param clock  the clock of the systems, for the connectors' reads
     * @return both systems and the store as they stand now
     */
    static SettledState read(CrmsyncConfig config, InstantSource clock) {
        return new SettledState(config, clock);
    }

    private static Map<Flow, String> stampProperties(CrmsyncConfig config) {
        Map<Flow, String> stamps = new EnumMap<>(Flow.class);
        config.mappings().forEach((flow, mapping) -> stamps.put(flow, mapping.webcrmStampProperty()));
        return stamps;
    }

    /**
     * What must hold after any settled sync:
     * <ul>
     *   <li>nothing in the dead letters, nothing waiting, no create whose outcome is unknown;</li>
     *   <li>no duplicate: every live record on either side is linked, by an active link whose other record is
     *       alive on the other side, so both sides hold as many records as there are pairs;</li>
     *   <li>both records of every pair agree under the mapping;</li>
     *   <li>cursors sane: see {@link #assertCursorsSane()}.</li>
     * </ul>
     */
    void assertSettled() {
        assertThat(dead).as("dead letters").extracting(SettledState::describe).isEmpty();
        assertThat(waiting).as("records still waiting").extracting(SettledState::describe).isEmpty();
        assertThat(intents).as("creates whose outcome is unknown").isZero();
        for (Flow flow : Flow.values()) {
            Map<String, String> pairs = new HashMap<>();
            for (Side side : Side.values()) {
                for (String id : live(side, flow).keySet()) {
                    Link link = linkOf.get(flow).get(side).get(id);
                    assertThat(link).as("the link of %s %s %s (every record linked, so none is a duplicate)", side,
                            flow, id).isNotNull();
                    assertThat(link.state()).as("the link of %s %s %s", side, flow, id).isEqualTo(LinkState.ACTIVE);
                    String partner = link.idOn(side.other());
                    assertThat(live(side.other(), flow)).as("%s %s %s's partner on %s", side, flow, id, side.other())
                            .containsKey(partner);
                    pairs.put(link.id(), link.webcrmId() + "/" + link.customcrmId());
                }
            }
            assertThat(live(Side.WEBCRM, flow)).as("webCRM %s: one per pair", flow).hasSize(pairs.size());
            assertThat(live(Side.CUSTOMCRM, flow)).as("Customcrm %s: one per pair", flow).hasSize(pairs.size());
            for (String webcrmId : live(Side.WEBCRM, flow).keySet()) {
                Link link = linkOf.get(flow).get(Side.WEBCRM).get(webcrmId);
                assertThat(canonical(flow, Side.WEBCRM, webcrmId)).as("both sides of %s %s agree", flow, link.id())
                        .isEqualTo(canonical(flow, Side.CUSTOMCRM, link.customcrmId()));
            }
        }
        assertCursorsSane();
    }

    /**
     * The cursors are not ahead of what the store took in: the store's copy of every live record holds the values
     * the record has now (a cursor that had passed a change unread would leave an older copy), and reading on from
     * every stored cursor is accepted by its system and brings no change the store lacks.
     */
    void assertCursorsSane() {
        for (Flow flow : Flow.values()) {
            for (Side side : Side.values()) {
                if (!live(side, flow).isEmpty()) {
                    assertThat(cursors.get(side)).as("a cursor for %s %s", side, flow).containsKey(flow);
                }
                for (SideRecord record : live(side, flow).values()) {
                    ObservedRecord copy = copies.get(flow).get(side).get(record.id());
                    assertThat(copy).as("the store's copy of %s %s %s", side, flow, record.id()).isNotNull();
                    assertThat(mapper(flow).toCanonical(copy.record(), links).values())
                            .as("the store's copy of %s %s %s holds its values now", side, flow, record.id())
                            .isEqualTo(canonical(flow, side, record.id()));
                }
                for (SideRecord record : afterCursor.get(side).get(flow)) {
                    ObservedRecord copy = copies.get(flow).get(side).get(record.id());
                    if (record.deleted()) {
                        assertThat(live(side, flow)).as("a delete read after the %s %s cursor", side, flow)
                                .doesNotContainKey(record.id());
                        continue;
                    }
                    assertThat(copy).as("%s %s %s, read after the cursor, is in the store", side, flow, record.id())
                            .isNotNull();
                    assertThat(mapper(flow).toCanonical(copy.record(), links).values())
                            .as("%s %s %s read after the cursor: the store has this version", side, flow, record.id())
                            .isEqualTo(mapper(flow).toCanonical(record, links).values());
                }
            }
        }
    }

    /** A record of the store in one line, for a failure message: which it is and why it is where it is. */
    private static String describe(ObservedRecord record) {
        return record.side() + " " + record.flow() + " " + record.id() + " " + record.status() + ": "
                + record.reason();
    }

    /**
     * @return the live records of a flow on a side, by id
     */
    Map<String, SideRecord> live(Side side, Flow flow) {
        return live.get(side).get(flow);
    }

    /**
     * @return a live record's values under the mapping, references resolved through the store's links
     */
    FieldValues canonical(Flow flow, Side side, String id) {
        SideRecord record = live(side, flow).get(id);
        assertThat(record).as("%s %s %s is alive", side, flow, id).isNotNull();
        return mapper(flow).toCanonical(record, links).values();
    }

    /**
     * @return the link of a live record
     */
    Link link(Flow flow, Side side, String id) {
        Link link = linkOf.get(flow).get(side).get(id);
        assertThat(link).as("the link of %s %s %s", side, flow, id).isNotNull();
        return link;
    }

    private RecordMapper mapper(Flow flow) {
        return new RecordMapper(config.mappings().get(flow));
    }
}
