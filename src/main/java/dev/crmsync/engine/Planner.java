package dev.crmsync.engine;

import dev.crmsync.mapping.MappedRecord;
import dev.crmsync.mapping.MappingException;
import dev.crmsync.mapping.RecordMapper;
import dev.crmsync.model.FieldValues;
import dev.crmsync.model.Flow;
import dev.crmsync.model.Link;
import dev.crmsync.model.LinkState;
import dev.crmsync.model.Side;
import dev.crmsync.ports.Conflict;
import dev.crmsync.ports.HistoryEntry;
import dev.crmsync.ports.ObservedRecord;
import dev.crmsync.ports.PendingUpdate;
import dev.crmsync.ports.RecordStatus;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiPredicate;
import java.util.function.Supplier;

/**
 * The reconcile step: from the records that changed and the link state, decide what to write where. It reads
 * the store (through a {@link PlanningView}) but writes nothing; the result is a {@link FlowPlan}.
 *
 * <p>Per record: a known pair is merged field by field against the last agreed values and only real changes
 * move (echoes of our own writes hash to what the link holds); an unknown record is linked to its match on the
 * other side, or created there; a delete is propagated, or retires the link, per policy. A record that cannot
 * be mapped is a dead letter; one whose parent is not linked yet waits.
 *
 * <p>Not threadsafe: one planner per connection, used from one thread.
 */
public final class Planner {

    /** History actions of a record that left its flow's filter, with its partner kept or deleted. */
    private static final String LEFT_FILTER = "left-filter";
    private static final String LEFT_FILTER_DELETED = "left-filter-deleted";
    /** History actions of a link deleted or retired: what the delete circuit breaker counts over its window. */
    private static final String DELETED = "deleted";
    private static final String RETIRED = "retired";
    private static final String MARKED = "marked";
    static final Set<String> LINK_REMOVALS = Set.of(DELETED, RETIRED, MARKED, LEFT_FILTER, LEFT_FILTER_DELETED);
    /** History action of a delete left alone by the {@code ignore} policy: no removal, so the breaker skips it. */
    private static final String DELETE_IGNORED = "delete-ignored";

    /** Records whose store lookups are read together before they are planned. */
    private static final int PREFETCH_SIZE = 500;

    /** The one reference webCRM refuses to change after create. */
    private static final String WEBCRM_IMMUTABLE_REFERENCE = "PersonOrganisationId";

    private final Map<Flow, RecordMapper> mappers;
    private final SyncSettings settings;
    private final BiPredicate<Side, Flow> canDelete;
    private final InstantSource clock;
    private final Supplier<String> linkIds;

    /**
     * @param mappers   the mapping of each flow
     * @param settings  conflict and delete policies
     * @param canDelete whether a side can delete records of a flow through its API
     * @param clock     the time source
     * @param linkIds   makes new link ids
     */
    public Planner(Map<Flow, RecordMapper> mappers, SyncSettings settings, BiPredicate<Side, Flow> canDelete,
                   InstantSource clock, Supplier<String> linkIds) {
        this.mappers = Map.copyOf(mappers);
        this.settings = settings;
        this.canDelete = canDelete;
        this.clock = clock;
        this.linkIds = linkIds;
    }

    /**
     * @param flow the flow
     * @param due  the flow's records that changed or wait
     * @param view the store, overlaid with the plan's own decisions
     * @return the plan
     */
    FlowPlan plan(Flow flow, List<ObservedRecord> due, PlanningView view) {
        List<PlannedChange> changes = new ArrayList<>();
        List<ObservedRecord> ordered = stampedCustomcrmFirst(due);
        for (int from = 0; from < ordered.size(); from += PREFETCH_SIZE) {
            List<ObservedRecord> chunk = ordered.subList(from, Math.min(ordered.size(), from + PREFETCH_SIZE));
            view.prefetch(flow, chunk);
            for (ObservedRecord record : chunk) {
                if (!view.isHandled(record)) {
                    changes.add(new Reconciliation(flow, view).of(record));
                }
            }
        }
        return new FlowPlan(flow, changes);
    }

    /**
     * Puts the Customcrm records that carry a link stamp before the rest, keeping the order within each part. Such
     * a record names its whole pair (link id and webCRM id), so when the store has lost the link it adopts its
     * webCRM partner (see {@code stampedPair}) before that partner, which may carry no stamp, is planned on its own
     * and created on Customcrm a second time. Among linked records the order changes nothing: a pair is merged
     * once, whichever of its records comes first.
     */
    private static List<ObservedRecord> stampedCustomcrmFirst(List<ObservedRecord> due) {
        List<ObservedRecord> ordered = new ArrayList<>(due.size());
        due.stream().filter(r -> r.side() == Side.CUSTOMCRM && r.stamp() != null).forEach(ordered::add);
        due.stream().filter(r -> r.side() != Side.CUSTOMCRM || r.stamp() == null).forEach(ordered::add);
        return ordered;
    }

    /** The reconciliation of one record, with the flow's mapper and the view at hand. */
    private final class Reconciliation {
        private final Flow flow;
        private final PlanningView view;
        private final RecordMapper mapper;
        private final Instant now;
        private final List<Action> actions = new ArrayList<>();

        Reconciliation(Flow flow, PlanningView view) {
            this.flow = flow;
            this.view = view;
            this.mapper = mappers.get(flow);
            this.now = clock.instant();
        }

        PlannedChange of(ObservedRecord record) {
            view.markHandled(record);
            Side side = record.side();
            Optional<Link> link = view.linkOf(flow, side, record.id());
            if (link.isEmpty() && record.stamp() != null) {
                link = stampedLink(record);
            }
            link = link.map(this::withLandedUpdate);
            if (record.record().deleted()) {
                return deleted(record, link.orElse(null));
            }
            if (!mapper.mapping().filter().accepts(record.record())) {
                return leftFilter(record, link.orElse(null));
            }
            if (link.isPresent() && link.get().state() == LinkState.RETIRED) {
                link = Optional.of(reentered(link.get(), record.side()));
            }
            MappedRecord mapped = mapper.toCanonical(record.record(), view);
            if (!mapped.problems().isEmpty()) {
                return settleOnly(record, RecordStatus.DEAD, String.join("; ", mapped.problems()),
                        "dead letter: " + describe(record));
            }
            if (!mapped.waitingFor().isEmpty()) {
                return settleOnly(record, RecordStatus.WAITING,
                        "waits for " + String.join(", ", mapped.waitingFor()) + " to be linked",
                        "wait: " + describe(record));
            }
            if (link.isEmpty()) {
                return unlinked(record, mapped);
            }
            return switch (link.get().state()) {
                case RETIRED -> settleOnly(record, RecordStatus.SETTLED, null,
                        "ignore: " + describe(record) + " belongs to a retired link");
                case CONFLICT -> held(record);
                case ACTIVE, PENDING -> linked(record, mapped, link.get());
            };
        }

        // ------------------------------------------------------------ linked pairs

        /**
         * The link as it stands if an update whose outcome the store never recorded (the process stopped after
         * sending it) did land: when every side it wrote to now holds exactly its values, it is recorded now, as
         * its answer would have been, so that crmsync's own write is not taken for an edit made there. Otherwise
         * the link is left as it is, and the pair is merged from its last recorded base as before.
         */
        private Link withLandedUpdate(Link link) {
            Optional<PendingUpdate> pending = view.takePendingUpdate(flow, link.id());
            if (pending.isEmpty() || link.state() != LinkState.ACTIVE && link.state() != LinkState.PENDING) {
                return link;
            }
            FieldValues values = pending.get().values();
            String hash = values.hash();
            for (Side target : pending.get().targets()) {
                Optional<ObservedRecord> copy = view.observed(flow, target, link.idOn(target));
                if (copy.isEmpty() || copy.get().record().deleted()) {
                    return link;
                }
                MappedRecord mapped = mapper.toCanonical(copy.get().record(), view);
                if (!mapped.isReady() || !mapped.values().hash().equals(hash)) {
                    return link;
                }
            }
            // A side the update did not write to held these values when it was planned.
            Link landed = link.withHashOn(Side.WEBCRM, hash).withHashOn(Side.CUSTOMCRM, hash)
                    .with(values, LinkState.ACTIVE, now);
            view.plan(landed);
            actions.add(new Action.SaveLink(landed));
            Set<Side> targets = pending.get().targets();
            Side origin = targets.size() == 1 ? targets.iterator().next().other() : null;
            actions.add(new Action.Note(new HistoryEntry(link.id(), flow, now, origin, "update",
                    "an update sent before crmsync stopped had landed; recorded now", changes(link.base(), values))));
            return landed;
        }

        private PlannedChange linked(ObservedRecord record, MappedRecord mapped, Link link) {
            Side side = record.side();
            Side other = side.other();
            if (link.idOn(other) == null) {
                // A create whose outcome the outbox could not confirm: create again under the same link id.
                return create(record, mapped, link);
            }
            Optional<ObservedRecord> otherRecord = view.observed(flow, other, link.idOn(other));
            if (otherRecord.isPresent() && otherRecord.get().record().deleted() && !view.isHandled(otherRecord.get())) {
                view.markHandled(otherRecord.get());
                return deleted(otherRecord.get(), link);
            }
            SideValues mine = new SideValues(mapped.values(), record.record().modifiedAt(),
                    !mapped.values().hash().equals(link.hashOn(side)));
            SideValues theirs = currentValues(otherRecord.orElse(null), link, other);
            // The other record is reconciled with this one; a dead letter of it clears too once it maps again.
            otherRecord.filter(r -> isDue(r) || r.status() == RecordStatus.DEAD && mapper.toCanonical(r.record(), view).isReady())
                    .filter(r -> !view.isHandled(r)).ifPresent(r -> {
                view.markHandled(r);
                actions.add(new Action.Settle(r, RecordStatus.SETTLED, null));
            });
            actions.add(0, new Action.Settle(record, RecordStatus.SETTLED, null));
            SideValues webcrm = side == Side.WEBCRM ? mine : theirs;
            SideValues customcrm = side == Side.WEBCRM ? theirs : mine;
            if (!webcrm.changed() && !customcrm.changed() && link.state() == LinkState.ACTIVE) {
                return new PlannedChange("unchanged: " + describe(record), actions, false);
            }
            return merge(link, link.base(), webcrm, customcrm, record, "update");
        }

        private SideValues currentValues(ObservedRecord otherRecord, Link link, Side other) {
            if (otherRecord == null || otherRecord.record().deleted()) {
                return new SideValues(link.base(), null, false);
            }
            MappedRecord otherMapped = mapper.toCanonical(otherRecord.record(), view);
            if (!otherMapped.isReady()) {
                return new SideValues(link.base(), null, false);
            }
            return new SideValues(otherMapped.values(), otherRecord.record().modifiedAt(),
                    !otherMapped.values().hash().equals(link.hashOn(other)));
        }

        private PlannedChange merge(Link link, FieldValues base, SideValues webcrm, SideValues customcrm,
                                    ObservedRecord source, String verb) {
            MergeResult result = new FieldMerge(mapper.mapping(), settings.conflictPolicy()).merge(base, webcrm, customcrm);
            if (result.held()) {
                Link heldLink = new Link(link.id(), flow, link.webcrmId(), link.customcrmId(),
                        base == null ? FieldValues.empty() : base, webcrm.values().hash(), customcrm.values().hash(),
                        LinkState.CONFLICT, now);
                view.plan(heldLink);
                actions.add(new Action.SaveLink(heldLink));
                actions.add(new Action.RecordConflict(new Conflict(linkIds.get(), flow, link.id(), result.conflicts(),
                        webcrm.values(), customcrm.values(), settings.conflictPolicy().kind().configName(), now,
                        null, null)));
                return new PlannedChange("hold for a person: " + describe(source) + " edited on both sides ("
                        + fieldNames(result) + ")", actions, false);
            }
            FieldValues merged = result.merged();
            Link next = link;
            List<String> writes = new ArrayList<>();
            for (Side target : Side.values()) {
                SideValues current = target == Side.WEBCRM ? webcrm : customcrm;
                if (merged.equals(current.values())) {
                    next = next.withHashOn(target, current.values().hash());
                    continue;
                }
                String immovable = movedPerson(target, current.values(), merged);
                if (immovable != null) {
                    actions.clear();
                    return settleOnly(source, RecordStatus.DEAD, immovable, "dead letter: " + describe(source));
                }
                Map<String, Object> properties;
                try {
                    properties = propertiesFor(target, merged, link);
                } catch (MappingException e) {
                    actions.clear();
                    return settleOnly(source, RecordStatus.WAITING, e.getMessage(), "wait: " + describe(source));
                }
                next = next.withHashOn(target, merged.hash());
                String targetId = link.idOn(target);
                ObservedRecord targetRecord = view.observed(flow, target, targetId).orElse(null);
                writes.add(target.label() + " " + flow.entityOn(target) + " " + targetId + " ("
                        + String.join(", ", current.values().differingFields(merged)) + ")");
                actions.add(new Action.Update(target, null, targetRecord, merged, properties, source));
            }
            next = next.with(merged, LinkState.ACTIVE, now);
            view.plan(next);
            Link saved = next;
            actions.replaceAll(a -> a instanceof Action.Update u
                    ? new Action.Update(u.target(), saved, u.current(), u.values(), u.properties(), u.source()) : a);
            actions.add(new Action.SaveLink(next));
            if (!result.conflicts().isEmpty()) {
                actions.add(new Action.RecordConflict(new Conflict(linkIds.get(), flow, link.id(), result.conflicts(),
                        webcrm.values(), customcrm.values(), settings.conflictPolicy().kind().configName(), now, now,
                        settings.conflictPolicy().kind().configName())));
            }
            Map<String, HistoryEntry.Change> changed = changes(base, merged);
            if (!changed.isEmpty() || base == null) {
                Side origin = webcrm.changed() == customcrm.changed() ? null
                        : webcrm.changed() ? Side.WEBCRM : Side.CUSTOMCRM;
                actions.add(new Action.Note(new HistoryEntry(link.id(), flow, now, origin, verb,
                        writes.isEmpty() ? "no write needed" : "wrote " + String.join("; ", writes), changed)));
            }
            String summary = writes.isEmpty()
                    ? verb + ": " + describe(source) + " (no write needed)"
                    : verb + ": " + String.join("; ", writes)
                    + (result.conflicts().isEmpty() ? "" : " [conflict on " + fieldNames(result) + " settled by "
                    + settings.conflictPolicy().kind().configName() + "]");
            return new PlannedChange(summary, actions, false);
        }

        /**
         * A pair held for a person: the record is settled without a write. The resolution marks both records due
         * again, so edits made while the pair was held are merged then, not lost.
         */
        private PlannedChange held(ObservedRecord record) {
            actions.add(new Action.Settle(record, RecordStatus.SETTLED, null));
            return new PlannedChange("held: " + describe(record) + " waits for its conflict to be resolved",
                    actions, false);
        }

        // ------------------------------------------------------------ unknown records

        private Optional<Link> stampedLink(ObservedRecord record) {
            return view.link(record.stamp())
                    .filter(l -> l.flow() == flow)
                    .filter(l -> l.idOn(record.side()) == null || l.idOn(record.side()).equals(record.id()))
                    .map(l -> {
                        // Our own create, whose answer was lost: complete the link with the id we now see.
                        Link completed = l.idOn(record.side()) == null
                                ? l.withIdOn(record.side(), record.id()).with(l.base(), LinkState.ACTIVE, now)
                                : l;
                        view.plan(completed);
                        return completed;
                    });
        }

        private PlannedChange unlinked(ObservedRecord record, MappedRecord mapped) {
            Side side = record.side();
            Side other = side.other();
            Optional<ObservedRecord> stampedPartner = stampedPartner(record);
            if (stampedPartner.isPresent()) {
                ObservedRecord partner = stampedPartner.get();
                MappedRecord partnerMapped = mapper.toCanonical(partner.record(), view);
                if (!partnerMapped.isReady()) {
                    return settleOnly(record, RecordStatus.WAITING, "is stamped as the partner of " + other.label()
                            + " " + flow.entityOn(other) + " " + partner.id() + ", which cannot sync yet",
                            "wait: " + describe(record));
                }
                return firstLink(record, mapped, partner, partnerMapped, record.stamp(),
                        "their link stamp " + record.stamp(), "link by stamp");
            }
            String key = record.matchKey();
            if (key != null) {
                List<ObservedRecord> same = view.byMatchKey(flow, side, key);
                List<ObservedRecord> candidates = view.byMatchKey(flow, other, key);
                if (same.size() > 1 || candidates.size() > 1) {
                    return settleOnly(record, RecordStatus.DEAD, "ambiguous match on "
                            + mapper.mapping().matchKey().field() + " '" + key + "': " + ids(same, side) + " and "
                            + ids(candidates, other) + " share it; link or fix them by hand",
                            "ambiguous: " + describe(record));
                }
                if (candidates.size() == 1) {
                    ObservedRecord candidate = candidates.get(0);
                    Optional<Link> taken = view.linkOf(flow, other, candidate.id());
                    if (taken.isPresent()) {
                        return settleOnly(record, RecordStatus.DEAD, "matches " + other.label() + " "
                                + flow.entityOn(other) + " " + candidate.id() + " on "
                                + mapper.mapping().matchKey().field() + " '" + key + "', which is already linked to "
                                + side.label() + " " + flow.entityOn(side) + " " + taken.get().idOn(side)
                                + "; a duplicate?", "ambiguous: " + describe(record));
                    }
                    MappedRecord candidateMapped = mapper.toCanonical(candidate.record(), view);
                    if (!candidateMapped.isReady()) {
                        return settleOnly(record, RecordStatus.WAITING, "matches " + other.label() + " "
                                + flow.entityOn(other) + " " + candidate.id() + ", which cannot sync yet",
                                "wait: " + describe(record));
                    }
                    return firstLink(record, mapped, candidate, candidateMapped, linkIds.get(),
                            mapper.mapping().matchKey().field() + " '" + key + "'",
                            "link by " + mapper.mapping().matchKey().field());
                }
            }
            Link link = new Link(linkIds.get(), flow, side == Side.WEBCRM ? record.id() : null,
                    side == Side.CUSTOMCRM ? record.id() : null, mapped.values(),
                    side == Side.WEBCRM ? mapped.values().hash() : null,
                    side == Side.CUSTOMCRM ? mapped.values().hash() : null, LinkState.PENDING, now);
            return create(record, mapped, link);
        }

        /**
         * The webCRM record a Customcrm record's stamp pairs it with, when the store knows neither the stamp's link
         * nor a link of that webCRM record: the store was lost, or an older copy of it put back, after crmsync had
         * linked the two. The webCRM record must be unlinked, alive, inside the filter and stamped with the same
         * link id or not at all (a record crmsync created from another carries no stamp).
         */
        private Optional<ObservedRecord> stampedPartner(ObservedRecord record) {
            if (record.side() != Side.CUSTOMCRM || record.stamp() == null || view.link(record.stamp()).isPresent()) {
                return Optional.empty();
            }
            return mapper.partnerIdOf(record.record())
                    .flatMap(webcrmId -> view.observed(flow, Side.WEBCRM, webcrmId))
                    .filter(p -> !p.record().deleted() && !view.isHandled(p))
                    .filter(p -> p.stamp() == null || p.stamp().equals(record.stamp()))
                    .filter(p -> view.linkOf(flow, Side.WEBCRM, p.id()).isEmpty())
                    .filter(p -> mapper.mapping().filter().accepts(p.record()));
        }

        /**
         * Links two records that no link held yet and merges them without a base: equal fields stay, an empty
         * value never beats a filled one, and fields that differ are settled by the conflict policy.
         *
         * @param linkId the new link's id: a fresh one, or the one both records' stamps already name
         * @param by     what paired them, for the summary, e.g. {@code vat_number 'DK123'}
         * @param verb   the history entry's action
         */
        private PlannedChange firstLink(ObservedRecord record, MappedRecord mapped, ObservedRecord candidate,
                                        MappedRecord candidateMapped, String linkId, String by, String verb) {
            view.markHandled(candidate);
            boolean fromWebcrm = record.side() == Side.WEBCRM;
            ObservedRecord webcrmRecord = fromWebcrm ? record : candidate;
            ObservedRecord customcrmRecord = fromWebcrm ? candidate : record;
            MappedRecord webcrmMapped = fromWebcrm ? mapped : candidateMapped;
            MappedRecord customcrmMapped = fromWebcrm ? candidateMapped : mapped;
            Link link = new Link(linkId, flow, webcrmRecord.id(), customcrmRecord.id(), FieldValues.empty(),
                    null, null, LinkState.ACTIVE, now);
            view.plan(link);
            actions.add(new Action.Settle(record, RecordStatus.SETTLED, null));
            actions.add(new Action.Settle(candidate, RecordStatus.SETTLED, null));
            SideValues webcrm = new SideValues(webcrmMapped.values(), webcrmRecord.record().modifiedAt(), true);
            SideValues customcrm = new SideValues(customcrmMapped.values(), customcrmRecord.record().modifiedAt(), true);
            PlannedChange merged = merge(link, null, webcrm, customcrm, record, verb);
            return new PlannedChange("link " + Side.WEBCRM.label() + " " + flow.entityOn(Side.WEBCRM) + " "
                    + webcrmRecord.id() + " with " + Side.CUSTOMCRM.label() + " " + flow.entityOn(Side.CUSTOMCRM)
                    + " " + customcrmRecord.id() + " by " + by + "; " + merged.summary(), merged.actions(), false);
        }

        private PlannedChange create(ObservedRecord record, MappedRecord mapped, Link link) {
            Side target = record.side().other();
            Map<String, Object> properties;
            try {
                properties = propertiesFor(target, mapped.values(), link);
            } catch (MappingException e) {
                return settleOnly(record, RecordStatus.WAITING, e.getMessage(), "wait: " + describe(record));
            }
            view.plan(link);
            actions.add(new Action.Create(target, link, mapped.values(), properties, record));
            actions.add(new Action.Note(new HistoryEntry(link.id(), flow, now, record.side(), "created",
                    "created " + flow.entityOn(target) + " on " + target.label() + " from " + describe(record),
                    changes(null, mapped.values()))));
            return new PlannedChange("create " + flow.entityOn(target) + " on " + target.label() + " from "
                    + describe(record), actions, false);
        }

        // ------------------------------------------------------------ selective sync

        /**
         * A record outside its side's filter takes no part. One that was linked has just left the filter: its
         * link is retired, or with delete-on-leave its partner is deleted. The history says which, so that the
         * record can be linked again if it comes back.
         */
        private PlannedChange leftFilter(ObservedRecord record, Link link) {
            if (link == null || link.state() != LinkState.ACTIVE) {
                return settleOnly(record, RecordStatus.SETTLED, null, "ignore: " + describe(record)
                        + " is outside the filter");
            }
            actions.add(new Action.Settle(record, RecordStatus.SETTLED, null));
            Side other = record.side().other();
            String otherId = link.idOn(other);
            if (mapper.mapping().filter().deleteOnLeave() && otherId != null && canDelete.test(other, flow)) {
                Link retired = link.with(link.base(), LinkState.RETIRED, now);
                view.plan(retired);
                actions.add(new Action.Delete(other, retired, otherId, record));
                actions.add(new Action.Note(new HistoryEntry(link.id(), flow, now, record.side(), LEFT_FILTER_DELETED,
                        describe(record) + " left the filter, so " + flow.entityOn(other) + " " + otherId
                                + " was deleted on " + other.label(), Map.of())));
                return new PlannedChange("delete " + other.label() + " " + flow.entityOn(other) + " " + otherId
                        + " (" + describe(record) + " left the filter)", actions, true);
            }
            return retire(link, record, describe(record) + " left the filter: link retired, "
                    + flow.entityOn(other) + " " + otherId + " left as it is", LEFT_FILTER);
        }

        /** A retired link whose record left the filter comes back to life when the record passes it again. */
        private Link reentered(Link link, Side side) {
            Optional<String> last = view.lastAction(link.id());
            if (last.isEmpty() || !last.get().startsWith(LEFT_FILTER)) {
                return link;
            }
            Link back = new Link(link.id(), flow, link.webcrmId(), link.customcrmId(), link.base(), null, null,
                    LinkState.ACTIVE, now);
            if (last.get().equals(LEFT_FILTER_DELETED)) {
                // The partner was deleted when the record left: create it again under the same link.
                back = new Link(link.id(), flow, side == Side.WEBCRM ? link.webcrmId() : null,
                        side == Side.CUSTOMCRM ? link.customcrmId() : null, link.base(), null, null,
                        LinkState.PENDING, now);
            }
            view.plan(back);
            actions.add(new Action.Note(new HistoryEntry(link.id(), flow, now, null, "re-entered",
                    "back inside the filter: linked again", Map.of())));
            return back;
        }

        // ------------------------------------------------------------ deletes

        private PlannedChange deleted(ObservedRecord tombstone, Link link) {
            // A tombstone already settled is met again when its surviving partner changes under an ignored delete.
            boolean firstSight = isDue(tombstone);
            actions.add(new Action.Settle(tombstone, RecordStatus.SETTLED, null));
            String what = tombstone.side().label() + " " + flow.entityOn(tombstone.side()) + " " + tombstone.id();
            if (link == null || link.state() == LinkState.RETIRED) {
                return new PlannedChange("ignore: deleted " + what + " was not linked", actions, false);
            }
            Side other = tombstone.side().other();
            String otherId = link.idOn(other);
            Optional<ObservedRecord> otherRecord = view.observed(flow, other, otherId);
            otherRecord.filter(this::isDue).filter(r -> !view.isHandled(r)).ifPresent(r -> {
                view.markHandled(r);
                actions.add(new Action.Settle(r, RecordStatus.SETTLED, null));
            });
            if (otherId == null || otherRecord.map(r -> r.record().deleted()).orElse(false)) {
                return retire(link, tombstone, "deleted on both sides");
            }
            DeletePolicy policy = settings.deleteRules().get(flow).onDeleteSeenOn(tombstone.side());
            String survivor = flow.entityOn(other) + " " + otherId;
            if (policy == DeletePolicy.IGNORE) {
                return ignoredDelete(link, tombstone, what, survivor, firstSight);
            }
            SideValues otherNow = currentValues(otherRecord.orElse(null), link, other);
            if (otherNow.changed()) {
                return retire(link, tombstone, "deleted on " + tombstone.side().label() + " but edited on "
                        + other.label() + " since the last sync: the edit is kept, the pair is no longer synced");
            }
            if (policy == DeletePolicy.MARK) {
                return mark(link, tombstone, otherRecord.orElse(null), what,
                        settings.deleteRules().get(flow).markOn(other).orElseThrow());
            }
            if (policy == DeletePolicy.PROPAGATE && canDelete.test(other, flow)) {
                Link retired = link.with(link.base(), LinkState.RETIRED, now);
                view.plan(retired);
                actions.add(new Action.Delete(other, retired, otherId, tombstone));
                actions.add(new Action.Note(new HistoryEntry(link.id(), flow, now, tombstone.side(), DELETED,
                        "deleted on " + tombstone.side().label() + ", so deleted " + survivor + " on "
                                + other.label(), Map.of())));
                return new PlannedChange("delete " + other.label() + " " + survivor + " (" + what + " was deleted)",
                        actions, true);
            }
            String why = policy == DeletePolicy.RETIRE_LINK
                    ? "delete policy is retire-link"
                    : other.label() + " cannot delete " + flow.webcrmCollection() + " through its API";
            return retire(link, tombstone, what + " was deleted; " + why + ": link retired, " + survivor
                    + " left as it is");
        }

        /**
         * The {@code mark} policy: one property of the surviving record is set to the configured value, then the
         * link is retired. Should the write fail, the tombstone is tried again like any failed write and the link
         * stays until the mark has landed.
         */
        private PlannedChange mark(Link link, ObservedRecord tombstone, ObservedRecord survivor, String what,
                                   DeleteMark mark) {
            Side other = tombstone.side().other();
            String otherId = link.idOn(other);
            Link retired = link.with(link.base(), LinkState.RETIRED, now);
            view.plan(retired);
            Map<String, Object> properties = new LinkedHashMap<>();
            properties.put(mark.property(), mark.value());
            actions.add(new Action.Update(other, retired, survivor, link.base(), properties, tombstone));
            actions.add(new Action.SaveLink(retired));
            String marked = flow.entityOn(other) + " " + otherId + " on " + other.label() + " marked "
                    + mark.property() + " = " + mark.value();
            actions.add(new Action.Note(new HistoryEntry(link.id(), flow, now, tombstone.side(), MARKED,
                    "deleted on " + tombstone.side().label() + ", so " + marked + "; link retired", Map.of())));
            return new PlannedChange("mark " + other.label() + " " + flow.entityOn(other) + " " + otherId + " "
                    + mark.property() + " = " + mark.value() + " (" + what + " was deleted)", actions, true);
        }

        /**
         * The {@code ignore} policy: no write and the link left as it is. The link then points at a record that
         * is gone; when its surviving partner changes later, {@link #linked} meets the tombstone again and comes
         * here, which settles the change without a write (there is nothing to write to) and notes nothing more,
         * so that such a pair stays quiet instead of failing writes to a missing record for ever.
         */
        private PlannedChange ignoredDelete(Link link, ObservedRecord tombstone, String what, String survivor,
                                            boolean firstSight) {
            if (firstSight) {
                actions.add(new Action.Note(new HistoryEntry(link.id(), flow, now, tombstone.side(), DELETE_IGNORED,
                        what + " was deleted; delete policy is ignore: " + survivor + " on "
                                + tombstone.side().other().label() + " left as it is", Map.of())));
            }
            return new PlannedChange("ignore: " + what + " was deleted (delete policy ignore); "
                    + tombstone.side().other().label() + " " + survivor + " left as it is", actions, false);
        }

        private PlannedChange retire(Link link, ObservedRecord source, String why) {
            return retire(link, source, why, RETIRED);
        }

        private PlannedChange retire(Link link, ObservedRecord source, String why, String action) {
            Link retired = link.with(link.base(), LinkState.RETIRED, now);
            view.plan(retired);
            actions.add(new Action.SaveLink(retired));
            actions.add(new Action.Note(new HistoryEntry(link.id(), flow, now, source.side(), action, why,
                    Map.of())));
            return new PlannedChange("retire link " + link.id() + ": " + why, actions, true);
        }

        // ------------------------------------------------------------ helpers

        /**
         * webCRM cannot move a person to another organisation through its API (API-NOTES §7.4). Rather than let
         * the two sides silently disagree, the change stops here with a reason a person can act on.
         */
        private String movedPerson(Side target, FieldValues current, FieldValues merged) {
            if (target != Side.WEBCRM) {
                return null;
            }
            for (var field : mapper.mapping().fields()) {
                if (field.webcrmProperty().equals(WEBCRM_IMMUTABLE_REFERENCE) && current.get(field.field()) != null
                        && !java.util.Objects.equals(current.get(field.field()), merged.get(field.field()))) {
                    return "the contact was moved to another customer in Customcrm, but webCRM cannot move a person "
                            + "to another organisation through its API; move the person in webCRM by hand (or "
                            + "create it anew there), then the pair syncs again";
                }
            }
            return null;
        }

        private Map<String, Object> propertiesFor(Side target, FieldValues values, Link link) {
            Map<String, Object> properties = new LinkedHashMap<>(mapper.toSystem(target, values, view));
            mergeInto(properties, mapper.stampProperties(target, link.id(), link.webcrmId()));
            return properties;
        }

        /** Merges nested maps key by key, so a stamp in external_ids keeps mapped fields kept there too. */
        @SuppressWarnings("unchecked")
        private static void mergeInto(Map<String, Object> target, Map<String, Object> more) {
            more.forEach((key, value) -> {
                if (value instanceof Map<?, ?> nested && target.get(key) instanceof Map<?, ?> existing) {
                    Map<String, Object> merged = new LinkedHashMap<>((Map<String, Object>) existing);
                    mergeInto(merged, (Map<String, Object>) nested);
                    target.put(key, merged);
                } else {
                    target.put(key, value);
                }
            });
        }

        private PlannedChange settleOnly(ObservedRecord record, RecordStatus status, String reason, String summary) {
            return new PlannedChange(summary + (reason == null ? "" : ": " + reason),
                    List.of(new Action.Settle(record, status, reason)), false);
        }

        private boolean isDue(ObservedRecord record) {
            return record.status() == RecordStatus.DIRTY || record.status() == RecordStatus.WAITING;
        }

        private String describe(ObservedRecord record) {
            Map<String, Object> p = record.record().properties();
            String label = firstNonBlank(p, flow.webcrmEntity() + "Name", "name", "PersonLastName", "last_name",
                    "ProductCustom1");
            return record.side().label() + " " + flow.entityOn(record.side()) + " " + record.id()
                    + (label == null ? "" : " \"" + label + "\"");
        }

        private String ids(List<ObservedRecord> records, Side side) {
            return records.isEmpty() ? "no " + side.label() + " record"
                    : side.label() + " " + records.stream().map(ObservedRecord::id).toList();
        }
    }

    private static String firstNonBlank(Map<String, Object> properties, String... names) {
        for (String name : names) {
            Object value = properties.get(name);
            if (value != null && !value.toString().isBlank()) {
                return value.toString();
            }
        }
        return null;
    }

    private static String fieldNames(MergeResult result) {
        return String.join(", ", result.conflicts().stream().map(c -> c.field()).toList());
    }

    private static Map<String, HistoryEntry.Change> changes(FieldValues before, FieldValues after) {
        FieldValues from = before == null ? FieldValues.empty() : before;
        Map<String, HistoryEntry.Change> out = new LinkedHashMap<>();
        for (String field : from.differingFields(after)) {
            out.put(field, new HistoryEntry.Change(from.get(field), after.get(field)));
        }
        return out;
    }
}
