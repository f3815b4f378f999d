package dev.crmsync.app.simulate.customcrm;

import dev.crmsync.app.simulate.SimulatorJson;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import tools.jackson.databind.cfg.JsonNodeFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * JSON and timestamp formats of the reference server.
 *
 * <p>This class is threadsafe.
 */
final class CustomcrmJson {

    /**
     * The simulators' shared mapper, but reading decimals as {@link java.math.BigDecimal}: a price of 1234.10 must
     * come back as 1234.10, not as the nearest double.
     */
    static final JsonMapper MAPPER = SimulatorJson.mapper().rebuild()
            .enable(JsonNodeFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .build();

    /** Fixed millisecond precision and a written-out offset, so timestamps sort as text and parse everywhere. */
    private static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private CustomcrmJson() {
    }

    /**
     * @param instant a point in time
     * @return it as RFC 3339 in UTC with milliseconds, {@code 2025-03-01T09:30:00.000Z}
     */
    static String timestamp(Instant instant) {
        return TIMESTAMP.format(instant);
    }
}
