package dev.crmsync.app.simulate.webcrm;

import dev.crmsync.app.simulate.SimulatorJson;
import java.time.LocalDateTime;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Renders stored values as webCRM serves them: every property of the DTO, nulls included, in Swagger order (the
 * properties beyond the Swagger document last), and date-times in the {@link WebcrmTimestamps} convention.
 *
 * <p>This class is threadsafe: it holds no state.
 */
final class WebcrmDtoWriter {

    private WebcrmDtoWriter() {
    }

    /**
     * @param entity the record kind
     * @param record the stored values
     * @return the DTO
     */
    static ObjectNode toDto(WebcrmEntity entity, Map<String, Object> record) {
        ObjectNode dto = SimulatorJson.mapper().createObjectNode();
        for (WebcrmField field : WebcrmFieldCatalogue.fields(entity)) {
            dto.set(field.name(), toJson(record.get(field.name())));
        }
        return dto;
    }

    /**
     * @param value a stored value: null, text, Integer, Double, Boolean or a Copenhagen {@link LocalDateTime}
     * @return the value as JSON
     */
    static JsonNode toJson(Object value) {
        JsonNodeFactory json = JsonNodeFactory.instance;
        return switch (value) {
            case null -> json.nullNode();
            case String text -> json.stringNode(text);
            case Integer number -> json.numberNode(number);
            case Double number -> json.numberNode(number);
            case Boolean flag -> json.booleanNode(flag);
            case LocalDateTime time -> json.stringNode(WebcrmTimestamps.format(time));
            default -> throw new IllegalStateException("not a stored value type: " + value.getClass());
        };
    }
}
