package dev.crmsync.app.config;

/**
 * A configuration that cannot be used, with a message that names the key and the problem.
 */
public class ConfigException extends RuntimeException {

    /**
     * @param key     the dotted key, e.g. {@code webcrm.token}
     * @param problem what is wrong with it
     */
    public ConfigException(String key, String problem) {
        super(key + ": " + problem);
    }

    /**
     * @param message the whole message
     */
    public ConfigException(String message) {
        super(message);
    }
}
