package dev.crmsync.app.simulate;

import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The one JSON mapper configuration that the simulators share.
 *
 * <p>Unknown properties are ignored on input, as the real systems do: a client that sends a field the server
 * does not know must not be rejected for it (webCRM adds fields without notice, see API-NOTES §1).
 *
 * <p>This class is threadsafe: the mapper is immutable once built.
 */
public final class SimulatorJson {

    private static final JsonMapper MAPPER = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private SimulatorJson() {
    }

    /**
     * @return the shared mapper
     */
    public static JsonMapper mapper() {
        return MAPPER;
    }
}
