package dev.crmsync.adapters.webcrm.internal;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The connector's JSON: one mapper, and the few readings of webCRM answers it needs.
 *
 * <p>Decimals are read as {@link BigDecimal}, so a price survives a round trip digit for digit. Unknown
 * properties are never fatal: webCRM adds fields without notice (API-NOTES §1, §14), and the connector keeps
 * records as maps anyway.
 *
 * <p>This class is threadsafe: the mapper is immutable once built.
 */
public final class WebcrmJson {

    /** The longest stretch of a non-JSON error body quoted in a reason. */
    private static final int MAX_QUOTED = 300;

    private static final TypeReference<List<Map<String, Object>>> ROWS = new TypeReference<>() {
    };
    private static final TypeReference<Map<String, Object>> OBJECT = new TypeReference<>() {
    };

    private static final JsonMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private WebcrmJson() {
    }

    /**
     * @return the shared mapper
     */
    public static JsonMapper mapper() {
        return MAPPER;
    }

    /**
     * @param body a list page's body
     * @return its rows, in order, or empty when the body is not a JSON array of objects (a malformed page)
     */
    public static Optional<List<Map<String, Object>>> rows(String body) {
        try {
            List<Map<String, Object>> rows = MAPPER.readValue(body, ROWS);
            return rows == null || rows.stream().anyMatch(Objects::isNull) ? Optional.empty() : Optional.of(rows);
        } catch (JacksonException e) {
            return Optional.empty();
        }
    }

    /**
     * @param body a single DTO's body
     * @return its properties
     * @throws JacksonException when the body is not a JSON object
     */
    public static Map<String, Object> object(String body) {
        return MAPPER.readValue(body, OBJECT);
    }

    /**
     * @param value properties or a list of them
     * @return the JSON text
     */
    public static String write(Object value) {
        return MAPPER.writeValueAsString(value);
    }

    /**
     * Reads the id out of a create's answer: a bare integer (Persons, Products), a numeric string, or an object
     * holding the id (as 2026 clients read {@code POST /Organisations}, API-NOTES §7.1).
     *
     * @param body    the answer's body, possibly empty
     * @param idField the entity's id property, e.g. {@code OrganisationId}
     * @return the id, or empty when the answer names none (the empty {@code POST /Organisations} answer)
     */
    public static Optional<String> createdId(String body, String idField) {
        if (body == null || body.isBlank()) {
            return Optional.empty();
        }
        JsonNode answer;
        try {
            answer = MAPPER.readTree(body);
        } catch (JacksonException e) {
            return Optional.empty();
        }
        if (answer.isObject()) {
            JsonNode id = answer.has(idField) ? answer.get(idField) : answer.get("Id");
            return id == null ? Optional.empty() : idOf(id);
        }
        return idOf(answer);
    }

    /**
     * Reads the answer to a bulk {@code PATCH}, documented only as a {@code string[]} of "assigned ids … and error
     * messages" (API-NOTES §7.3): strings, and numbers or nulls should webCRM send those, as text.
     *
     * @param body the answer's body
     * @return one text per element (a null as the empty text), or empty when the body is no such array
     */
    public static Optional<List<String>> answerTexts(String body) {
        if (body == null || body.isBlank()) {
            return Optional.empty();
        }
        try {
            JsonNode answer = MAPPER.readTree(body);
            if (!answer.isArray()) {
                return Optional.empty();
            }
            List<String> texts = new ArrayList<>(answer.size());
            for (JsonNode element : answer) {
                if (element.isString()) {
                    texts.add(element.asString());
                } else if (element.isNumber()) {
                    texts.add(element.numberValue().toString());
                } else if (element.isNull()) {
                    texts.add("");
                } else {
                    return Optional.empty();
                }
            }
            return Optional.of(texts);
        } catch (JacksonException e) {
            return Optional.empty();
        }
    }

    /**
     * @param value an id as it came in a row: a number or a numeric string
     * @return the id in decimal, or empty when the value is no positive whole number
     */
    public static Optional<String> idText(Object value) {
        BigInteger id;
        try {
            id = switch (value) {
                case null -> null;
                case Integer i -> BigInteger.valueOf(i);
                case Long l -> BigInteger.valueOf(l);
                case BigInteger b -> b;
                case BigDecimal d -> d.toBigIntegerExact();
                case String s -> new BigInteger(s.strip());
                default -> null;
            };
        } catch (ArithmeticException | NumberFormatException e) {
            return Optional.empty();
        }
        return id == null || id.signum() <= 0 ? Optional.empty() : Optional.of(id.toString());
    }

    /**
     * @param id an id in decimal
     * @return the id as the JSON number webCRM's int32 id properties hold
     */
    public static Number idNumber(String id) {
        long value = Long.parseLong(id);
        return value <= Integer.MAX_VALUE ? (Number) (int) value : (Number) value;
    }

    /**
     * Finds webCRM's reason in an error answer. webCRM declares no error body; the one it is known to send is
     * {@code {"Message": "...", "Type": "..."}} (API-NOTES §10), and a login failure carries
     * {@code ErrorDescription}. Anything else is quoted, shortened.
     *
     * @param status the status
     * @param body   the body, possibly empty
     * @return the reason, never blank
     */
    public static String reason(int status, String body) {
        if (body == null || body.isBlank()) {
            return "HTTP " + status + " without a message";
        }
        try {
            JsonNode answer = MAPPER.readTree(body);
            if (answer.isString()) {
                return answer.asString();
            }
            for (String field : List.of("Message", "message", "ErrorDescription", "Error", "title", "detail")) {
                JsonNode text = answer.get(field);
                if (text != null && text.isString() && !text.asString().isBlank()) {
                    return text.asString();
                }
            }
        } catch (JacksonException e) {
            // Not JSON: quote it below.
        }
        String text = body.strip();
        return "HTTP " + status + ": " + (text.length() > MAX_QUOTED ? text.substring(0, MAX_QUOTED) + "…" : text);
    }

    private static Optional<String> idOf(JsonNode node) {
        if (node.isIntegralNumber()) {
            return idText(node.bigIntegerValue());
        }
        if (node.isString()) {
            return idText(node.asString());
        }
        return Optional.empty();
    }
}
