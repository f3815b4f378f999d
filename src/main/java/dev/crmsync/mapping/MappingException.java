package dev.crmsync.mapping;

/**
 * A value that cannot be carried to the other side under the mapping, e.g. a country name that names no country.
 * The record it belongs to becomes a dead letter with this message as the reason; the rest of the run goes on.
 */
public class MappingException extends RuntimeException {

    /**
     * @param message what is wrong, naming the field and the value
     */
    public MappingException(String message) {
        super(message);
    }
}
