package dev.crmsync.app.api;

import dev.crmsync.model.FieldValues;
import dev.crmsync.model.Flow;
import dev.crmsync.model.Link;
import dev.crmsync.ports.Store;
import java.util.Optional;

/**
 * What a person calls a linked record: an organisation's or product's name, a person's first and last name,
 * and an email where there is one, read from the link's last agreed values (the canonical names are the same
 * for both sides). A link without them is called by its record ids.
 *
 * <p>This class is threadsafe as far as its store is.
 */
final class RecordTitles {

    /**
     * @param name  the name to show
     * @param email the email, or null
     */
    record Title(String name, String email) {
    }

    private final Store store;

    RecordTitles(Store store) {
        this.store = store;
    }

    /**
     * @param linkId a link id
     * @return its title, or null when the store holds no such link
     */
    String nameOf(String linkId) {
        Optional<Link> link = store.link(linkId);
        return link.map(l -> of(l).name()).orElse(null);
    }

    /**
     * @param link a link
     * @return its title
     */
    static Title of(Link link) {
        FieldValues base = link.base();
        String name = nameOf(link.flow(), base);
        if (name == null) {
            name = link.flow().webcrmEntity() + " " + (link.webcrmId() != null ? link.webcrmId() : link.customcrmId());
        }
        return new Title(name, text(base, "email"));
    }

    /**
     * @param flow   the flow whose canonical fields {@code values} holds
     * @param values canonical values, e.g. a record mapped from either side; may be null
     * @return the name they give, or null when they give none
     */
    static String nameOf(Flow flow, FieldValues values) {
        return flow == Flow.PERSONS
                ? join(text(values, "first_name"), text(values, "last_name"))
                : text(values, "name");
    }

    private static String text(FieldValues values, String field) {
        Object value = values == null ? null : values.get(field);
        return value == null || value.toString().isBlank() ? null : value.toString().strip();
    }

    private static String join(String first, String last) {
        if (first == null) {
            return last;
        }
        return last == null ? first : first + " " + last;
    }
}
