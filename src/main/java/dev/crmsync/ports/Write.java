package dev.crmsync.ports;

import dev.crmsync.model.SideRecord;
import java.util.Map;

/**
 * A write the engine asks a {@link Connector} to make.
 */
public sealed interface Write {

    /**
     * @return the link the written record belongs to
     */
    String linkId();

    /**
     * Creates a record stamped with its link id.
     *
     * @param linkId     the new record's link
     * @param properties the properties to create it with, stamp included
     */
    record Create(String linkId, Map<String, Object> properties) implements Write {
    }

    /**
     * Changes the mapped properties of a record and leaves its other properties alone.
     *
     * @param linkId     the record's link
     * @param recordId   the record's id
     * @param current    the record as last read, for systems that replace whole objects or check versions; null
     *                   when crmsync holds no copy
     * @param properties the mapped properties to set, stamp included
     */
    record Update(String linkId, String recordId, SideRecord current, Map<String, Object> properties)
            implements Write {
    }

    /**
     * Deletes a record.
     *
     * @param linkId   the record's link
     * @param recordId the record's id
     */
    record Delete(String linkId, String recordId) implements Write {
    }
}
