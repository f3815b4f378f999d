package dev.crmsync.app.check;

import static dev.crmsync.app.check.Finding.Kind.STAMP_FIELD;

import dev.crmsync.adapters.webcrm.WebcrmFieldMetadata;
import dev.crmsync.model.Flow;
import dev.crmsync.model.Side;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The checks of where a flow keeps its link ids: the webCRM stamp field must be a free custom text field that
 * holds nothing but link ids, since crmsync writes one into it on every create and finds records again by it;
 * the Customcrm {@code external_ids} key must be one the contract accepts.
 *
 * <p>Not threadsafe: used by one preflight on one thread.
 */
final class StampChecks {

    /** A link id: a UUID, time-ordered ones from {@code model.LinkIds}, random ones in older stores. */
    static final Pattern LINK_ID = Pattern.compile(
            "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    /** The length of a link id, which a stamp field must hold. */
    static final int LINK_ID_LENGTH = 36;
    /** The contract's {@code ExternalIdKey}. */
    private static final Pattern EXTERNAL_ID_KEY = Pattern.compile("[A-Za-z0-9_.-]{1,64}");

    private final FlowInputs in;

    StampChecks(FlowInputs in) {
        this.in = in;
    }

    void run() {
        webcrmStamp();
        customcrmStamp();
    }

    private void webcrmStamp() {
        String stamp = in.mapping().webcrmStampProperty();
        if (!freeTextSlot(in.flow()).matcher(stamp).matches()) {
            in.error(STAMP_FIELD, Side.WEBCRM, stamp, "not one of webCRM's free custom text fields ("
                    + in.flow().webcrmEntity() + "Custom1..15, " + in.flow().webcrmEntity() + "Plus1..20"
                    + (in.flow() == Flow.ORGANISATIONS ? ", OrganisationExtraCustom1..8" : "")
                    + "); crmsync writes a link id into it on every create");
        }
        Optional<WebcrmFieldMetadata> metadata = in.metadata(stamp);
        metadata.ifPresent(this::configuredStamp);
        in.sample(Side.WEBCRM).ifPresent(rows -> {
            Set<Object> foreign = new LinkedHashSet<>();
            long holding = 0;
            for (Map<String, Object> row : rows) {
                if (isForeign(row.get(stamp))) {
                    holding++;
                    foreign.add(row.get(stamp));
                }
            }
            if (holding > 0) {
                String label = metadata.map(WebcrmFieldMetadata::label).filter(l -> !l.isEmpty())
                        .map(l -> " (the tenant labels it '" + l + "')").orElse("");
                in.error(STAMP_FIELD, Side.WEBCRM, stamp, holding + " of " + Values.count(rows.size(), "sampled "
                        + in.entity(Side.WEBCRM)) + " hold" + (holding == 1 ? "s" : "") + " other data there" + label
                        + ", e.g. " + Values.examples(foreign)
                        + "; crmsync would overwrite it with link ids: choose an unused custom field");
            }
        });
    }

    private void configuredStamp(WebcrmFieldMetadata field) {
        String stamp = field.property();
        if (field.isDropdown()) {
            in.error(STAMP_FIELD, Side.WEBCRM, stamp, "webCRM's field metadata shows a dropdown ("
                    + Values.examples(field.dropdownValues()) + "), not free text; it cannot hold link ids");
        } else if (!field.displayType().isEmpty() && !field.isFreeText()) {
            in.warning(STAMP_FIELD, Side.WEBCRM, stamp, "webCRM's field metadata gives display type '"
                    + field.displayType() + "', which crmsync does not know to be free text");
        }
        if (field.hasMaxLength() && field.maxLength() < LINK_ID_LENGTH) {
            in.error(STAMP_FIELD, Side.WEBCRM, stamp, "webCRM's field metadata allows " + field.maxLength()
                    + " characters; a link id has " + LINK_ID_LENGTH);
        }
    }

    private void customcrmStamp() {
        String key = in.mapping().customcrmStampKey();
        String where = "external_ids." + key;
        if (!EXTERNAL_ID_KEY.matcher(key).matches()) {
            in.error(STAMP_FIELD, Side.CUSTOMCRM, where, "not a key the contract allows in external_ids "
                    + "(1 to 64 of A-Z a-z 0-9 _ . -)");
            return;
        }
        in.sample(Side.CUSTOMCRM).ifPresent(rows -> {
            Set<Object> foreign = new LinkedHashSet<>();
            long holding = 0;
            for (Map<String, Object> row : rows) {
                Object value = row.get("external_ids") instanceof Map<?, ?> ids ? ids.get(key) : null;
                if (isForeign(value)) {
                    holding++;
                    foreign.add(value);
                }
            }
            if (holding > 0) {
                in.warning(STAMP_FIELD, Side.CUSTOMCRM, where, holding + " of " + Values.count(rows.size(),
                        "sampled " + in.entity(Side.CUSTOMCRM)) + " hold" + (holding == 1 ? "s" : "")
                        + " something other than a link id under this key, e.g. " + Values.examples(foreign)
                        + "; another tool may be using it");
            }
        });
    }

    private static boolean isForeign(Object value) {
        return !Values.isBlank(value) && !LINK_ID.matcher(value.toString().strip()).matches();
    }

    /** The free text slots of API-NOTES §5.2, the same ones the configuration accepts as a stamp field. */
    private static Pattern freeTextSlot(Flow flow) {
        String entity = flow.webcrmEntity();
        return Pattern.compile(entity + "(Custom([1-9]|1[0-5])|Plus([1-9]|1[0-9]|20))"
                + (flow == Flow.ORGANISATIONS ? "|OrganisationExtraCustom[1-8]" : ""));
    }
}
