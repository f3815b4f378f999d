package dev.crmsync.app.simulate.webcrm;

import java.math.BigDecimal;
import java.time.DateTimeException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import tools.jackson.databind.JsonNode;

/**
 * Turns a DTO a client sent into the values the simulator stores, refusing it the way webCRM would: wrong types,
 * texts over the Swagger {@code maxLength}, values outside a Swagger enum, a person without last name, links to
 * records that do not exist, and a person moved to another organisation (API-NOTES §7.4).
 *
 * <p>Types are read as leniently as .NET's Json.NET reads them, because that is what webCRM runs on: a number
 * may come as a numeric string ({@code "OrganisationId": "0"}, as the Make.com blueprint sends it), a text as a
 * number or boolean, a boolean as {@code "true"}. An object or array is never a valid property value. Unknown
 * properties are ignored, as Json.NET does by default. The server-set properties (id, created and updated
 * stamps) are ignored too: only the server writes them.
 *
 * <p>The result holds every property of the DTO; one left out of the input is {@code null}. That is the full
 * replace a PUT of "the whole object" means.
 *
 * <p>This class is threadsafe: it holds no state.
 */
final class WebcrmValidator {

    /** Tells whether a record exists, for the checks of links between records. */
    @FunctionalInterface
    interface Existence {
        /**
         * @param entity the record kind
         * @param id     the id
         * @return true when such a record exists
         */
        boolean exists(WebcrmEntity entity, int id);
    }

    private static final String LAST_NAME_MANDATORY = "It is mandatory to define last name (PersonLastName)";
    private static final String ORGANISATION_IMMUTABLE = "It is not allowed to change the organisation ID of a person";

    private WebcrmValidator() {
    }

    /**
     * @param entity   the record kind
     * @param dto      the DTO as the client sent it
     * @param previous the stored values when updating, or null when creating
     * @param records  which records exist
     * @return the values to store, one per non-server-set property, in catalogue order
     * @throws WebcrmApiException a 400 listing every problem found
     */
    static Map<String, Object> validate(WebcrmEntity entity, JsonNode dto, Map<String, Object> previous,
                                        Existence records) {
        if (dto == null || !dto.isObject()) {
            throw WebcrmApiException.invalid("The " + entity.singular() + " must be a JSON object");
        }
        List<String> problems = new ArrayList<>();
        Map<String, Object> values = new LinkedHashMap<>();
        for (WebcrmField field : WebcrmFieldCatalogue.fields(entity)) {
            if (WebcrmFieldCatalogue.isServerSet(entity, field)) {
                continue;
            }
            try {
                values.put(field.name(), read(field, dto.get(field.name())));
            } catch (IllegalArgumentException e) {
                problems.add(field.name() + ": " + e.getMessage());
            }
        }
        if (problems.isEmpty()) {
            checkRules(entity, values, previous, records, problems);
        }
        if (!problems.isEmpty()) {
            throw WebcrmApiException.invalid(String.join("; ", problems));
        }
        return values;
    }

    private static void checkRules(WebcrmEntity entity, Map<String, Object> values, Map<String, Object> previous,
                                   Existence records, List<String> problems) {
        switch (entity) {
            case ORGANISATION -> {
            }
            case PERSON -> {
                Object lastName = values.get("PersonLastName");
                if (lastName == null || lastName.toString().isBlank()) {
                    problems.add(LAST_NAME_MANDATORY);
                }
                String organisationId = "PersonOrganisationId";
                if (previous != null && !Objects.equals(link(previous, organisationId), link(values, organisationId))) {
                    problems.add(ORGANISATION_IMMUTABLE);
                } else {
                    checkLink(values, organisationId, WebcrmEntity.ORGANISATION, records, problems);
                }
            }
            case PRODUCT -> {
                checkLink(values, "ProductOrganisationId", WebcrmEntity.ORGANISATION, records, problems);
                checkLink(values, "ProductPersonId", WebcrmEntity.PERSON, records, problems);
            }
        }
    }

    private static void checkLink(Map<String, Object> values, String name, WebcrmEntity target, Existence records,
                                  List<String> problems) {
        int id = link(values, name);
        if (id != 0 && !records.exists(target, id)) {
            problems.add(name + ": there is no " + target.singular().toLowerCase(Locale.ROOT) + " with id " + id);
        }
    }

    /** A link of 0 and a missing link mean the same: no linked record. */
    private static int link(Map<String, Object> values, String name) {
        return values.get(name) instanceof Integer id ? id : 0;
    }

    private static Object read(WebcrmField field, JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (node.isContainer()) {
            throw new IllegalArgumentException("expected a single value, not " + (node.isArray() ? "an array" : "an object"));
        }
        return switch (field.type()) {
            case TEXT -> text(field, node.asString());
            case INT32 -> int32(node);
            case NUMBER -> number(node);
            case BOOLEAN -> bool(node);
            case DATE_TIME -> dateTime(node);
        };
    }

    private static String text(WebcrmField field, String text) {
        if (field.hasMaxLength() && text.length() > field.maxLength()) {
            throw new IllegalArgumentException("the text is " + text.length() + " characters long, the maximum is "
                    + field.maxLength());
        }
        if (!field.allowedValues().isEmpty() && !field.allowedValues().contains(text)) {
            throw new IllegalArgumentException("'" + text + "' is not one of " + field.allowedValues());
        }
        return text;
    }

    private static Integer int32(JsonNode node) {
        try {
            BigDecimal value = node.isNumber() ? node.decimalValue() : new BigDecimal(node.asString().strip());
            return value.intValueExact();
        } catch (ArithmeticException | NumberFormatException e) {
            throw new IllegalArgumentException("expected a whole number within int32, got " + node);
        }
    }

    private static Double number(JsonNode node) {
        try {
            return node.isNumber() ? node.doubleValue() : Double.valueOf(new BigDecimal(node.asString().strip())
                    .doubleValue());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("expected a number, got " + node);
        }
    }

    private static Boolean bool(JsonNode node) {
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        String text = node.asString().strip().toLowerCase(Locale.ROOT);
        if (text.equals("true") || text.equals("false")) {
            return Boolean.valueOf(text);
        }
        throw new IllegalArgumentException("expected true or false, got " + node);
    }

    private static Object dateTime(JsonNode node) {
        if (!node.isString()) {
            throw new IllegalArgumentException("expected a date-time text, got " + node);
        }
        try {
            return WebcrmTimestamps.parse(node.asString());
        } catch (DateTimeException e) {
            throw new IllegalArgumentException("'" + node.asString() + "' is not a date-time");
        }
    }
}
