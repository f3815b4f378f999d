package dev.crmsync.adapters.webcrm.internal;

import dev.crmsync.adapters.http.CrmHttpClient;
import dev.crmsync.adapters.webcrm.WebcrmFieldMetadata;
import dev.crmsync.model.Flow;
import dev.crmsync.ports.PermanentCrmException;
import dev.crmsync.ports.TransientCrmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * Reads {@code GET /FieldsMetadata/{Entity}} (API-NOTES §4.4): a bare {@code FieldMetadataDto[]} naming the fields
 * the tenant has configured, with label, display type, text limit and dropdown values.
 *
 * <p>webCRM does not document how a metadata entry names its DTO property. The entry's
 * {@code FieldMetadataFriendlyFieldName} is taken when it reads as a property of the entity
 * ({@code OrganisationCustom1}); otherwise the name is derived from {@code FieldMetadataDbFieldName}, whose
 * {@code o_custom1} form the known slots follow ({@code custom}, {@code plus}, {@code extracustom}, …), and as a
 * last resort the db field name itself is kept, so that no configured field is dropped unseen.
 *
 * <p>This class is threadsafe: it holds no state of its own.
 */
public final class FieldsMetadataReader {

    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z][A-Za-z0-9_]*");
    /** A db field name: a short entity prefix, an underscore, then a slot stem and its number. */
    private static final Pattern DB_SLOT = Pattern.compile("^[a-z]+_([a-z]+?)(\\d*)$");
    /** The generic slot stems of API-NOTES §5.2, lower case, with the spelling of their DTO property. */
    private static final Map<String, String> SLOT_STEMS = Map.of("custom", "Custom", "plus", "Plus",
            "extracustom", "ExtraCustom", "xtext", "XText", "xint", "XInt", "xdate", "XDate", "xmemo", "XMemo",
            "checkmark", "CheckMark", "memo", "Memo");

    private final CrmHttpClient http;

    /**
     * @param http the client every request goes through
     */
    public FieldsMetadataReader(CrmHttpClient http) {
        this.http = http;
    }

    /**
     * @param flow the flow whose webCRM entity to ask about
     * @return the configured fields, in webCRM's order; empty when the tenant has configured none
     * @throws TransientCrmException when webCRM stays unreachable or sends no readable list
     * @throws PermanentCrmException when webCRM refuses the token or the request
     */
    public List<WebcrmFieldMetadata> read(Flow flow) {
        String path = "/FieldsMetadata/" + flow.webcrmEntity();
        CrmHttpClient.Response answer = http.send("GET", path, null, null, Map.of());
        if (answer.status() == 401 || answer.status() == 403) {
            throw new PermanentCrmException("webCRM refused the access token for GET " + path + " ("
                    + answer.status() + ")", null);
        }
        if (!answer.isSuccess()) {
            throw new PermanentCrmException("webCRM answered GET " + path + " with " + answer.status() + ": "
                    + WebcrmJson.reason(answer.status(), answer.body()), null);
        }
        JsonNode list;
        try {
            list = WebcrmJson.mapper().readTree(answer.body());
        } catch (JacksonException e) {
            list = null;
        }
        if (list == null || !list.isArray()) {
            throw new TransientCrmException("webCRM GET " + path + " answered no readable JSON array", null);
        }
        List<WebcrmFieldMetadata> fields = new ArrayList<>();
        for (JsonNode dto : list) {
            if (dto.isObject()) {
                fields.add(field(flow, dto));
            }
        }
        return List.copyOf(fields);
    }

    private static WebcrmFieldMetadata field(Flow flow, JsonNode dto) {
        String dbName = text(dto, "FieldMetadataDbFieldName");
        String friendly = text(dto, "FieldMetadataFriendlyFieldName");
        List<String> values = new ArrayList<>();
        for (JsonNode choice : dto.path("FieldMetadataDropdownListData")) {
            // The Text is what a user picks and what webCRM shows; Value stands in when a tenant sends no Text.
            String value = !text(choice, "Text").isEmpty() ? text(choice, "Text") : text(choice, "Value");
            if (!value.isEmpty()) {
                values.add(value);
            }
        }
        JsonNode max = dto.path("FieldMetadataTextFieldMaxLength");
        return new WebcrmFieldMetadata(flow, property(flow, friendly, dbName), dbName,
                text(dto, "FieldMetadataLabel"), text(dto, "FieldMetadataDisplayType"),
                max.isIntegralNumber() ? Math.max(0, max.asInt()) : 0, values);
    }

    /**
     * @return the DTO property an entry stands for: its friendly name when that is one of the entity's
     *         properties, else one derived from the db field name, else the db field name itself
     */
    static String property(Flow flow, String friendlyName, String dbFieldName) {
        String entity = flow.webcrmEntity();
        if (IDENTIFIER.matcher(friendlyName).matches() && friendlyName.startsWith(entity)
                && friendlyName.length() > entity.length()) {
            return friendlyName;
        }
        Matcher slot = DB_SLOT.matcher(dbFieldName.toLowerCase(Locale.ROOT));
        if (slot.matches() && SLOT_STEMS.containsKey(slot.group(1))) {
            return entity + SLOT_STEMS.get(slot.group(1)) + slot.group(2);
        }
        return dbFieldName.isBlank() ? (friendlyName.isBlank() ? "(unnamed)" : friendlyName) : dbFieldName;
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? "" : value.asString().strip();
    }
}
