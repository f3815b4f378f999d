package dev.crmsync.model;

import java.util.Objects;

/**
 * A credential: an API token or key. Its {@link #toString()} never shows the value, so a secret that ends up in
 * a log line, an exception message or a page shows as {@code ****} (invariant 10). Only the code that sends it
 * over the wire calls {@link #reveal()}.
 *
 * @param value the credential
 */
public record Secret(String value) {

    public Secret {
        Objects.requireNonNull(value, "value");
    }

    /**
     * @return the credential itself, for the one place that sends it
     */
    public String reveal() {
        return value;
    }

    @Override
    public String toString() {
        return "****";
    }
}
