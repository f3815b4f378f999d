package dev.crmsync.app.docs;

import dev.crmsync.adapters.customcrm.CustomcrmConnector;
import dev.crmsync.adapters.webcrm.WebcrmConnector;
import dev.crmsync.app.config.CrmsyncConfig;
import dev.crmsync.app.docs.Block.Paragraph;
import dev.crmsync.app.docs.Block.Section;
import dev.crmsync.app.docs.Block.Table;
import dev.crmsync.engine.ConflictPolicy;
import dev.crmsync.engine.DeleteMark;
import dev.crmsync.engine.DeletePolicy;
import dev.crmsync.engine.DeleteRules;
import dev.crmsync.engine.SyncSettings;
import dev.crmsync.mapping.FieldMapping;
import dev.crmsync.mapping.FlowMapping;
import dev.crmsync.mapping.MatchKey;
import dev.crmsync.mapping.RecordFilter;
import dev.crmsync.mapping.ValueTransform;
import dev.crmsync.model.Flow;
import dev.crmsync.model.Side;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.BiPredicate;
import java.util.regex.Pattern;

/**
 * Builds the "Webcrm to Customcrm Dataflow" document, in the form of the QA checklist of that name, from a
 * running configuration: per flow the checklist's two sentences (and the selective-sync filter, when the flow
 * has one), the property table in each direction (source
 * property, target property, target data type, notes), the first-link match key, the conflict policy, the
 * delete policy and where each side keeps the link stamp.
 *
 * <p>Everything in it is read from the configuration and from the objects the sync itself runs with (the
 * {@link FieldMapping}s and their {@link ValueTransform}s, the {@link SyncSettings}, the connectors' delete
 * support), never restated here, so a changed mapping changes the document with it.
 *
 * <p>This class is threadsafe: it has only static methods and builds immutable values.
 *
 * @see Document
 * @see DocumentFormat
 */
public final class DataflowDocument {

    /** The title of the original QA checklist. */
    public static final String TITLE = "Webcrm to Customcrm Dataflow";

    /** The columns of every property table, as the checklist names them. */
    public static final List<String> COLUMNS = List.of("source property", "target property", "target data type",
            "notes");

    /** How the checklist spells each system in the headings of the property tables: {@code Webcrm → Customcrm}. */
    private static final Map<Side, String> CHECKLIST_NAME = Map.of(Side.WEBCRM, "Webcrm", Side.CUSTOMCRM, "Customcrm");

    /** webCRM's free custom fields, whose labels each account sets itself (DESIGN.md section 1). */
    private static final Pattern WEBCRM_CUSTOM_FIELD =
            Pattern.compile("(Organisation|Person|Product)(Custom|Plus|ExtraCustom)\\d+");

    private DataflowDocument() {
    }

    /**
     * Builds the document, asking the connectors which records each system can delete through its API.
     * Constructing a connector sends no request, so neither system needs to be reachable.
     *
     * @param config the running configuration
     * @return the document
     */
    public static Document of(CrmsyncConfig config) {
        Objects.requireNonNull(config, "config");
        Map<Flow, String> stamps = new EnumMap<>(Flow.class);
        config.mappings().forEach((flow, mapping) -> stamps.put(flow, mapping.webcrmStampProperty()));
        Map<Side, Set<Flow>> deletable = new EnumMap<>(Side.class);
        // The connectors are what the planner asks (SyncCycle), so asking them here keeps the document true to
        // the sync instead of repeating "webCRM cannot delete Organisations and Persons" in a second place.
        try (WebcrmConnector webcrm = WebcrmConnector.of(config.webcrm(), stamps);
             CustomcrmConnector customcrm = CustomcrmConnector.of(config.customcrm())) {
            deletable.put(Side.WEBCRM, EnumSet.noneOf(Flow.class));
            deletable.put(Side.CUSTOMCRM, EnumSet.noneOf(Flow.class));
            for (Flow flow : Flow.values()) {
                if (webcrm.canDelete(flow)) {
                    deletable.get(Side.WEBCRM).add(flow);
                }
                if (customcrm.canDelete(flow)) {
                    deletable.get(Side.CUSTOMCRM).add(flow);
                }
            }
        }
        return of(config, (side, flow) -> deletable.get(side).contains(flow));
    }

    /**
     * @param config    the running configuration
     * @param canDelete whether a system can delete records of a flow through its API
     * @return the document
     */
    public static Document of(CrmsyncConfig config, BiPredicate<Side, Flow> canDelete) {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(canDelete, "canDelete");
        List<FlowMapping> mappings = new ArrayList<>();
        // Flow order is the dependency order of writes; the configuration's map has no order of its own.
        for (Flow flow : Flow.values()) {
            FlowMapping mapping = config.mappings().get(flow);
            if (mapping != null) {
                mappings.add(mapping);
            }
        }
        List<Block> blocks = new ArrayList<>();
        blocks.add(new Paragraph("Generated by crmsync docs from the running configuration: every table and rule "
                + "below is what crmsync does with it."));
        blocks.add(new Paragraph(writeOrder(mappings)));
        for (FlowMapping mapping : mappings) {
            blocks.add(flowSection(mapping, config.sync(), canDelete));
        }
        return new Document(TITLE, blocks);
    }

    // ---------------------------------------------------------------- one flow

    private static Section flowSection(FlowMapping mapping, SyncSettings sync, BiPredicate<Side, Flow> canDelete) {
        Flow flow = mapping.flow();
        List<Block> blocks = new ArrayList<>();
        blocks.add(new Paragraph("Every Webcrm " + flow.webcrmCollection() + " will be synchronized with a Customcrm "
                + flow.customcrmEntity() + "."));
        blocks.add(new Paragraph("Once two records are linked, they will be kept in sync whichever side is edited."));
        if (mapping.filter().isActive()) {
            // Without this the checklist's "every" would overstate what a selective sync does.
            blocks.add(new Paragraph(filter(mapping.filter(), flow, canDelete)));
        }
        blocks.add(direction(mapping, Side.WEBCRM));
        blocks.add(direction(mapping, Side.CUSTOMCRM));
        blocks.add(new Section("First link", List.of(new Paragraph(matchKey(mapping)))));
        blocks.add(new Section("Conflicts", conflicts(sync.conflictPolicy())));
        blocks.add(new Section("Deletes", deletes(flow, sync, canDelete)));
        blocks.add(new Section("Link stamps", List.of(new Paragraph(stamps(mapping)))));
        return new Section("Webcrm " + flow.webcrmCollection() + " ↔ Customcrm " + flow.customcrmEntity(), blocks);
    }

    private static Section direction(FlowMapping mapping, Side source) {
        Side target = source.other();
        String title = CHECKLIST_NAME.get(source) + " → " + CHECKLIST_NAME.get(target);
        List<List<String>> rows = new ArrayList<>();
        for (FieldMapping field : mapping.fields()) {
            // A one-way field is written only to the side that does not own it.
            if (field.direction().writesTo(target)) {
                rows.add(List.of(field.propertyOn(source), field.propertyOn(target), targetType(field, target),
                        notes(mapping, field, source)));
            }
        }
        if (rows.isEmpty()) {
            return Section.of(title, new Paragraph("No field is written from " + source.label() + " to "
                    + target.label() + "."));
        }
        return Section.of(title, new Table(COLUMNS, rows));
    }

    private static String targetType(FieldMapping field, Side target) {
        if (field.isReference()) {
            return "reference → " + field.references().entityOn(target);
        }
        return field.transformOn(target).systemType();
    }

    private static String notes(FlowMapping mapping, FieldMapping field, Side source) {
        Set<String> notes = new LinkedHashSet<>();
        Side owner = field.direction().owner();
        if (owner != null) {
            notes.add("one-way: " + owner.label() + " owns this field, " + owner.other().label()
                    + " edits are overwritten");
        }
        mapping.match().filter(key -> key.field().equals(field.field()))
                .ifPresent(key -> notes.add("first-link match key (" + key.describe() + ")"));
        if (field.isReference()) {
            notes.add("translated through the " + field.references().configName() + " links");
        }
        // Source first: a value goes through the source's transform to the canonical value, then the target's.
        for (Side side : List.of(source, source.other())) {
            String describe = field.transformOn(side).describe();
            if (describe != null && !describe.isBlank()) {
                notes.add(describe.strip());
            }
        }
        if (WEBCRM_CUSTOM_FIELD.matcher(field.webcrmProperty()).matches()) {
            notes.add("webCRM custom field: its label comes from /FieldsMetadata");
        }
        return String.join("; ", notes);
    }

    private static String filter(RecordFilter filter, Flow flow, BiPredicate<Side, Flow> canDelete) {
        List<String> sides = new ArrayList<>();
        for (Side side : Side.values()) {
            Map<String, Set<String>> conditions = side == Side.WEBCRM ? filter.webcrm() : filter.customcrm();
            if (conditions.isEmpty()) {
                continue;
            }
            // The filter holds its values folded to lower case and in no order; sorted, the document is stable.
            List<String> parts = new TreeMap<>(conditions).entrySet().stream()
                    .map(c -> c.getKey() + " is " + String.join(" or ", new TreeSet<>(c.getValue())))
                    .toList();
            sides.add("in " + side.label() + " " + String.join(" and ", parts));
        }
        String leave;
        if (!filter.deleteOnLeave()) {
            leave = "retires its link and leaves the other record as it is (on-leave: retire)";
        } else {
            List<String> cannot = new ArrayList<>();
            for (Side side : Side.values()) {
                if (!canDelete.test(side, flow)) {
                    cannot.add(side.label() + " cannot delete " + collection(flow, side) + " through its API, so "
                            + "there the link is retired instead");
                }
            }
            leave = "has the other record deleted (on-leave: delete)"
                    + (cannot.isEmpty() ? "" : "; " + String.join("; ", cannot));
        }
        return "Selective sync: only records that pass this flow's filter take part (values compared without regard "
                + "to case): " + String.join("; ", sides) + ". A linked record that leaves the filter " + leave
                + "; one that passes again is linked again.";
    }

    private static String matchKey(FlowMapping mapping) {
        Flow flow = mapping.flow();
        if (mapping.match().isEmpty()) {
            return "Match key: none: records are always created on the other side. An unlinked "
                    + flow.webcrmEntity() + " in webCRM is created as a Customcrm " + flow.customcrmEntity()
                    + ", and the other way round.";
        }
        MatchKey key = mapping.matchKey();
        String where = mapping.field(key.field())
                .map(f -> " (webCRM " + f.webcrmProperty() + ", Customcrm " + f.customcrmProperty() + ")")
                .orElse("");
        return "Match key: " + key.field() + where + ", normalised: " + key.describe() + ". At the first sync an "
                + "unlinked record is linked to the unlinked record on the other side with the same key, and "
                + "created there when there is none; a key shared by more than one record links none of them and "
                + "is reported as a dead letter, to be settled by hand.";
    }

    private static List<Block> conflicts(ConflictPolicy policy) {
        String tolerance = duration(policy.tolerance());
        String tie = policy.tieBreaker().label();
        String when = "When the same field was edited differently on both sides since the last sync, ";
        String rule = switch (policy.kind()) {
            case NEWEST_WINS -> when + "the value of the side modified later wins; modification times at most "
                    + tolerance + " apart are a tie, which " + tie + " wins (clock tolerance " + tolerance
                    + ", tie breaker " + tie + ").";
            case WEBCRM_WINS, CUSTOMCRM_WINS -> when + (policy.kind() == ConflictPolicy.Kind.WEBCRM_WINS
                    ? Side.WEBCRM : Side.CUSTOMCRM).label() + "'s value wins. The clock tolerance (" + tolerance
                    + ") and tie breaker (" + tie + ") apply under newest-wins only.";
            case MANUAL -> when + "nothing is written for the pair until a person keeps one side's values with "
                    + "crmsync conflicts --resolve ID --keep webcrm|customcrm. The clock tolerance (" + tolerance
                    + ") and tie breaker (" + tie + ") apply under newest-wins only.";
        };
        String empty = policy.emptyOverwrites()
                ? "Empty values overwrite (empty-overwrites: true): an empty winning value clears the other "
                + "side's filled one."
                : "Empty values never overwrite (empty-overwrites: false): an empty winning value leaves the other "
                + "side's filled one as it is.";
        return List.of(
                new Paragraph("Conflict policy: " + policy.kind().configName() + ". " + rule),
                new Paragraph(empty + " At a first link an empty value never beats a filled one; a value deliberately "
                        + "cleared on one side only is carried over like any other edit."),
                new Paragraph("A field edited on one side only is carried to the other, and different fields "
                        + "edited on each side both survive. Every conflict is recorded: crmsync conflicts lists "
                        + "them with the value that won."));
    }

    private static List<Block> deletes(Flow flow, SyncSettings sync, BiPredicate<Side, Flow> canDelete) {
        DeleteRules rules = sync.deleteRules().get(flow);
        List<Block> out = new ArrayList<>();
        DeletePolicy onWebcrm = rules.onDeleteSeenOn(Side.WEBCRM);
        DeletePolicy onCustomcrm = rules.onDeleteSeenOn(Side.CUSTOMCRM);
        out.add(new Paragraph(onWebcrm == onCustomcrm
                ? "Delete policy: " + onWebcrm.configName() + "."
                : "Delete policies: " + onWebcrm.configName() + " for a delete seen in webCRM, "
                + onCustomcrm.configName() + " for a delete seen in Customcrm."));
        for (Side side : Side.values()) {
            Side other = side.other();
            String deleted = article(flow.entityOn(side)) + " " + flow.entityOn(side) + " deleted in "
                    + side.label() + ": ";
            String otherRecord = "the " + other.label() + " " + flow.entityOn(other);
            String kept = "the link is retired and " + otherRecord + " is left as it is.";
            String sentence = switch (rules.onDeleteSeenOn(side)) {
                // The case the checklist has to call out: webCRM's API has no DELETE for Organisations and Persons.
                case PROPAGATE -> canDelete.test(other, flow)
                        ? deleted + "its " + flow.entityOn(other) + " is deleted in " + other.label() + "."
                        : deleted + other.label() + " cannot delete " + collection(flow, other)
                        + " through its API, so " + kept;
                case RETIRE_LINK -> deleted + kept;
                case MARK -> {
                    DeleteMark mark = rules.markOn(other).orElseThrow();
                    yield deleted + otherRecord + " gets " + mark.property() + " = " + mark.value()
                            + ", then the link is retired.";
                }
                case IGNORE -> deleted + "nothing happens: " + otherRecord + " and the link are left as they "
                        + "are; later edits of " + otherRecord + " are not written anywhere.";
            };
            out.add(new Paragraph(sentence));
        }
        out.add(new Paragraph("A record deleted on one side but edited on the other since the last sync is not "
                + "deleted or marked: the edit is kept and the link is retired. A delete is only ever noticed from a "
                + "complete listing: a listing cut off by an error or an unreadable page notices none. A run that "
                + "would delete, mark or retire more than " + percent(sync.deleteThreshold()) + " of this flow's "
                + "links, and at least " + sync.deleteMinimum() + ", removes none of them until it is rerun with "
                + "--allow-mass-delete."));
        return out;
    }

    private static String stamps(FlowMapping mapping) {
        Flow flow = mapping.flow();
        return "A record crmsync creates carries its link id: in webCRM in the " + flow.webcrmEntity()
                + " field " + mapping.webcrmStampProperty() + " (webCRM stamp field), in Customcrm under the key "
                + mapping.customcrmStampKey() + " of external_ids (Customcrm stamp key). A create retried after a "
                + "lost answer finds the stamped record instead of making a second one, so people must leave "
                + mapping.webcrmStampProperty() + " alone.";
    }

    // ---------------------------------------------------------------- wording

    private static String writeOrder(List<FlowMapping> mappings) {
        List<String> order = new ArrayList<>();
        List<String> because = new ArrayList<>();
        for (FlowMapping mapping : mappings) {
            Flow flow = mapping.flow();
            order.add("Customcrm " + flow.customcrmEntity() + " (webCRM " + flow.webcrmEntity() + ")");
            if (!flow.parents().isEmpty()) {
                because.add(article(flow.customcrmEntity()).toLowerCase(Locale.ROOT) + " " + flow.customcrmEntity()
                        + (because.isEmpty() ? " points at its " : " at its ")
                        + String.join(" and ", flow.parents().stream().map(Flow::customcrmEntity).toList()));
            }
        }
        return "Records are written parents first: " + String.join(" before ", order)
                + (because.isEmpty() ? "" : ", because " + String.join(", ", because)) + ".";
    }

    private static String collection(Flow flow, Side side) {
        return side == Side.WEBCRM ? flow.webcrmCollection() : flow.customcrmCollection();
    }

    private static String article(String noun) {
        return "AEIOU".indexOf(Character.toUpperCase(noun.charAt(0))) >= 0 ? "An" : "A";
    }

    /**
     * @return a duration as people read it: {@code 2 s}, {@code 500 ms}, {@code 5 min}, {@code 1 h}
     */
    static String duration(Duration d) {
        if (d.isZero()) {
            return "0 s";
        }
        if (d.getNano() != 0) {
            return d.toMillis() + " ms";
        }
        long seconds = d.getSeconds();
        if (seconds % 3600 == 0) {
            return seconds / 3600 + " h";
        }
        if (seconds % 60 == 0) {
            return seconds / 60 + " min";
        }
        return seconds + " s";
    }

    private static String percent(double share) {
        return new BigDecimal(Double.toString(share * 100)).stripTrailingZeros().toPlainString() + " %";
    }
}
