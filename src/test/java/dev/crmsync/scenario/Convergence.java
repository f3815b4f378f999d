package dev.crmsync.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crmsync.app.SyncConnection;
import dev.crmsync.app.config.CrmsyncConfig;
import dev.crmsync.mapping.FlowMapping;
import dev.crmsync.mapping.RecordMapper;
import dev.crmsync.mapping.RefResolver;
import dev.crmsync.model.FieldValues;
import dev.crmsync.model.Flow;
import dev.crmsync.model.Link;
import dev.crmsync.model.LinkState;
import dev.crmsync.model.Side;
import dev.crmsync.model.SideRecord;
import dev.crmsync.ports.Connector;
import dev.crmsync.ports.RecordStatus;
import dev.crmsync.ports.Store;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What "the two systems are in sync" means, checked against what both simulators and the store hold: every live
 * record of either side is linked exactly once to a live record of the other, both agree under the mapping, and
 * nothing waits, is a dead letter or is a create of unknown outcome. Deleted and retired links are left out: they
 * pair no live records.
 */
final class Convergence {

    /** Everything both systems hold now, per side and flow, by record id. */
    record Snapshot(Map<Side, Map<Flow, Map<String, SideRecord>>> live, Map<Flow, List<Link>> links) {

        /**
         * @return the record linked to a record of the other side, read through the active link
         */
        Optional<SideRecord> partner(Flow flow, Side side, String id) {
            return links.get(flow).stream().filter(l -> l.state() == LinkState.ACTIVE && id.equals(l.idOn(side)))
                    .findFirst().map(l -> live.get(side.other()).get(flow).get(l.idOn(side.other())));
        }

        /**
         * @return the live records of one side and flow
         */
        Map<String, SideRecord> records(Side side, Flow flow) {
            return live.get(side).get(flow);
        }
    }

    private Convergence() {
    }

    /**
     * Reads both systems and the store, and checks that they are in sync.
     *
     * @param harness the systems and the store, with no sync running
     * @return what they hold, for further checks of the test's own edits
     */
    static Snapshot assertConverged(SyncHarness harness) {
        CrmsyncConfig config = harness.config();
        Snapshot snapshot;
        try (SyncConnection connection = SyncConnection.open(config)) {
            Store store = connection.store();
            assertThat(store.withStatus(RecordStatus.DEAD)).as("dead letters").isEmpty();
            assertThat(store.withStatus(RecordStatus.WAITING)).as("records still waiting").isEmpty();
            assertThat(store.intents()).as("creates whose outcome is unknown").isEmpty();
            Map<Side, Map<Flow, Map<String, SideRecord>>> live = new EnumMap<>(Side.class);
            for (Side side : Side.values()) {
                live.put(side, everything(connection.connector(side)));
            }
            Map<Flow, List<Link>> links = new EnumMap<>(Flow.class);
            for (Flow flow : Flow.values()) {
                links.put(flow, store.links(flow, 0, Integer.MAX_VALUE));
            }
            snapshot = new Snapshot(live, links);
        }
        RefResolver refs = new LinkResolver(snapshot.links());
        for (Flow flow : Flow.values()) {
            List<Link> active = snapshot.links().get(flow).stream().filter(l -> l.state() == LinkState.ACTIVE)
                    .toList();
            RecordMapper mapper = new RecordMapper(config.mappings().get(flow));
            for (Side side : Side.values()) {
                Map<String, SideRecord> records = snapshot.records(side, flow);
                List<String> linkedIds = active.stream().map(l -> l.idOn(side)).toList();
                assertThat(linkedIds).as("%s %s records linked twice", side.label(), flow.configName())
                        .doesNotHaveDuplicates();
                assertThat(linkedIds).as("%s %s: every live record is linked, and every link has its record",
                        side.label(), flow.configName()).containsExactlyInAnyOrderElementsOf(records.keySet());
            }
            FlowMapping flowMapping = config.mappings().get(flow);
            for (Side side : Side.values()) {
                List<String> stamps = snapshot.records(side, flow).values().stream()
                        .map(r -> stampOf(r, flowMapping)).filter(Objects::nonNull).toList();
                assertThat(stamps).as("%s %s records that carry the same link stamp: a create sent twice",
                        side.label(), flow.configName()).doesNotHaveDuplicates();
            }
            List<String> disagreements = new ArrayList<>();
            for (Link link : active) {
                FieldValues webcrm = mapper.toCanonical(snapshot.records(Side.WEBCRM, flow).get(link.webcrmId()), refs)
                        .values();
                FieldValues customcrm = mapper.toCanonical(snapshot.records(Side.CUSTOMCRM, flow)
                        .get(link.customcrmId()), refs).values();
                if (!webcrm.equals(customcrm)) {
                    disagreements.add(flow.configName() + " " + link.webcrmId() + "/" + link.customcrmId() + ": "
                            + webcrm + " vs " + customcrm);
                }
            }
            assertThat(disagreements).as("linked pairs whose sides disagree under the mapping").isEmpty();
        }
        return snapshot;
    }

    /** The link id a record carries, where its side keeps it; null when it carries none. */
    static String stampOf(SideRecord record, FlowMapping mapping) {
        Object stamp = record.side() == Side.WEBCRM ? record.properties().get(mapping.webcrmStampProperty())
                : record.properties().get("external_ids") instanceof Map<?, ?> ids ? ids.get(mapping.customcrmStampKey())
                : null;
        return stamp == null || stamp.toString().isBlank() ? null : stamp.toString();
    }

    /** Every live record of a connector, read from the start of its change feed. */
    static Map<Flow, Map<String, SideRecord>> everything(Connector connector) {
        Map<Flow, Map<String, SideRecord>> out = new EnumMap<>(Flow.class);
        for (Flow flow : Flow.values()) {
            out.put(flow, everything(connector, flow));
        }
        return out;
    }

    /** Every live record of one flow of a connector, read from the start of its change feed, by id. */
    static Map<String, SideRecord> everything(Connector connector, Flow flow) {
        Map<String, SideRecord> records = new LinkedHashMap<>();
        connector.readChanges(flow, null, page -> page.forEach(r -> {
            if (r.deleted()) {
                records.remove(r.id());
            } else {
                records.put(r.id(), r);
            }
        }));
        return records;
    }
}
