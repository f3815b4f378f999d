package dev.crmsync.app.simulate.customcrm;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Checks a record's client fields against the contract and keeps only what the contract knows: unknown
 * properties and server-set fields are dropped, {@code null} means "no value" and is dropped too. References
 * ({@code customer_id}) are checked here for form only; whether they name a live record is the database's
 * question, asked by {@link CustomcrmRecords}.
 *
 * <p>This class is threadsafe: it holds no state.
 */
final class CustomcrmValidator {

    /** One field that is not valid; nested fields are dotted, {@code address.country_code}. */
    record FieldError(String field, String message) {
    }

    /** The fields worth keeping, and what was wrong with the others. */
    record Result(ObjectNode data, List<FieldError> errors) {
    }

    private enum Kind { NAME, TEXT, EMAIL, DATE, NUMBER, INTEGER, CONTACT_STATUS, COUNTRY, REFERENCE, ADDRESS }

    static final int MAX_NAME_LENGTH = 200;

    private static final Map<RecordType, Map<String, Kind>> FIELDS = Map.of(
            RecordType.CUSTOMER, fields("name", Kind.NAME, "vat_number", Kind.TEXT, "address", Kind.ADDRESS,
                    "phone", Kind.TEXT, "website", Kind.TEXT, "domain", Kind.TEXT, "industry", Kind.TEXT,
                    "type", Kind.TEXT, "status", Kind.TEXT, "notes", Kind.TEXT),
            RecordType.CONTACT, fields("customer_id", Kind.REFERENCE, "first_name", Kind.TEXT,
                    "middle_name", Kind.TEXT, "last_name", Kind.TEXT, "email", Kind.EMAIL,
                    "secondary_email", Kind.EMAIL, "phone", Kind.TEXT, "mobile", Kind.TEXT, "job_title", Kind.TEXT,
                    "salutation", Kind.TEXT, "status", Kind.CONTACT_STATUS, "birthday", Kind.DATE,
                    "notes", Kind.TEXT),
            RecordType.PRODUCT, fields("name", Kind.TEXT, "description", Kind.TEXT, "price", Kind.NUMBER,
                    "list_price", Kind.NUMBER, "cost_price", Kind.NUMBER, "discount_percent", Kind.NUMBER,
                    "quantity", Kind.NUMBER, "vat_code", Kind.TEXT, "year", Kind.INTEGER,
                    "stock_status", Kind.TEXT, "customer_id", Kind.REFERENCE, "contact_id", Kind.REFERENCE));
    private static final Map<String, Kind> ADDRESS_FIELDS = fields("street", Kind.TEXT, "postal_code", Kind.TEXT,
            "city", Kind.TEXT, "state", Kind.TEXT, "country_code", Kind.COUNTRY);

    private static final Set<String> CONTACT_STATUSES = Set.of("active", "resigned", "other", "guest");
    private static final Set<String> COUNTRIES = Set.of(Locale.getISOCountries());
    private static final Pattern EMAIL = Pattern.compile("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$");
    private static final Pattern RECORD_ID = Pattern.compile("^[A-Za-z0-9_.:-]{1,64}$");
    // Keys and values travel in the lookup URL's path, so they keep to characters that need no escaping there.
    static final Pattern EXTERNAL_ID_KEY = Pattern.compile("^[A-Za-z0-9_.-]{1,64}$");
    static final Pattern EXTERNAL_ID_VALUE = Pattern.compile("^[A-Za-z0-9_.:~@+-]{1,200}$");

    private CustomcrmValidator() {
    }

    /**
     * @param type the record type
     * @param body the record as a client sent it, or as a merge patch left it
     * @return the valid known fields, with {@code external_ids} always present, and the errors found
     */
    static Result validate(RecordType type, JsonNode body) {
        ObjectNode data = CustomcrmJson.MAPPER.createObjectNode();
        List<FieldError> errors = new ArrayList<>();
        copyValid(FIELDS.get(type), body, "", data, errors);
        data.set(StoredRecord.EXTERNAL_IDS, externalIds(body.path(StoredRecord.EXTERNAL_IDS), errors));
        return new Result(data, List.copyOf(errors));
    }

    private static void copyValid(Map<String, Kind> fields, JsonNode from, String prefix, ObjectNode into,
                                  List<FieldError> errors) {
        fields.forEach((name, kind) -> {
            JsonNode value = from.path(name);
            String field = prefix + name;
            if (value.isMissingNode() || value.isNull()) {
                if (kind == Kind.NAME) {
                    errors.add(new FieldError(field, "is required"));
                }
            } else if (kind == Kind.ADDRESS) {
                ObjectNode address = address(value, field, errors);
                if (!address.isEmpty()) {
                    into.set(name, address);
                }
            } else {
                String message = check(kind, value);
                if (message == null) {
                    into.set(name, value);
                } else {
                    errors.add(new FieldError(field, message));
                }
            }
        });
    }

    private static ObjectNode address(JsonNode value, String field, List<FieldError> errors) {
        ObjectNode address = CustomcrmJson.MAPPER.createObjectNode();
        if (value.isObject()) {
            copyValid(ADDRESS_FIELDS, value, field + ".", address, errors);
        } else {
            errors.add(new FieldError(field, "must be an object"));
        }
        return address;
    }

    private static String check(Kind kind, JsonNode value) {
        return switch (kind) {
            case NUMBER -> value.isNumber() ? null : "must be a number";
            case INTEGER -> value.isIntegralNumber() ? null : "must be a whole number";
            default -> value.isString() ? checkText(kind, value.stringValue()) : "must be a string";
        };
    }

    private static String checkText(Kind kind, String text) {
        return switch (kind) {
            case NAME -> text.isBlank() ? "must not be blank"
                    : text.codePointCount(0, text.length()) > MAX_NAME_LENGTH
                            ? "must be at most " + MAX_NAME_LENGTH + " characters" : null;
            case EMAIL -> EMAIL.matcher(text).matches() ? null : "must be an e-mail address";
            case DATE -> isDate(text) ? null : "must be a date, YYYY-MM-DD";
            case CONTACT_STATUS -> CONTACT_STATUSES.contains(text) ? null
                    : "must be one of active, resigned, other, guest";
            case COUNTRY -> text.length() == 2 && text.equals(text.toUpperCase(Locale.ROOT))
                    && COUNTRIES.contains(text) ? null : "must be an ISO 3166-1 alpha-2 country code, such as DK";
            case REFERENCE -> RECORD_ID.matcher(text).matches() ? null : "must be a record id";
            default -> null;
        };
    }

    private static boolean isDate(String text) {
        try {
            LocalDate.parse(text);
            return true;
        } catch (DateTimeParseException e) {
            return false;
        }
    }

    private static ObjectNode externalIds(JsonNode value, List<FieldError> errors) {
        ObjectNode ids = CustomcrmJson.MAPPER.createObjectNode();
        if (value.isMissingNode() || value.isNull()) {
            return ids;
        }
        if (!value.isObject()) {
            errors.add(new FieldError(StoredRecord.EXTERNAL_IDS, "must be an object of strings"));
            return ids;
        }
        value.forEachEntry((key, id) -> {
            String field = StoredRecord.EXTERNAL_IDS + "." + key;
            if (!EXTERNAL_ID_KEY.matcher(key).matches()) {
                errors.add(new FieldError(field, "key must be 1 to 64 of A-Z a-z 0-9 _ . -"));
            } else if (id.isString() && EXTERNAL_ID_VALUE.matcher(id.stringValue()).matches()) {
                ids.put(key, id.stringValue());
            } else if (!id.isNull()) {
                errors.add(new FieldError(field, "must be a string of 1 to 200 of A-Z a-z 0-9 _ . : ~ @ + -"));
            }
        });
        return ids;
    }

    private static Map<String, Kind> fields(Object... namesAndKinds) {
        Map<String, Kind> fields = new LinkedHashMap<>();
        for (int i = 0; i < namesAndKinds.length; i += 2) {
            fields.put((String) namesAndKinds[i], (Kind) namesAndKinds[i + 1]);
        }
        return fields;
    }
}
