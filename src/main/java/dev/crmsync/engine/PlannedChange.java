package dev.crmsync.engine;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What the plan does about one record or pair: a sentence for people and the actions that carry it out.
 *
 * @param summary      what happens, e.g. {@code create Customer on Customcrm from Organisation 12 "Acme A/S"}
 * @param actions      the steps, in order
 * @param removesLink  whether the change deletes or retires a link, which the delete circuit breaker counts
 */
public record PlannedChange(String summary, List<Action> actions, boolean removesLink) {

    public PlannedChange {
        actions = List.copyOf(actions);
    }

    /**
     * @return the link the change concerns (its first step's), or empty for a change about a record only
     */
    public Optional<String> linkId() {
        return actions.stream().map(Action::linkId).filter(Objects::nonNull).findFirst();
    }

    /**
     * @return whether the change writes to a system
     */
    public boolean writes() {
        return actions.stream().anyMatch(a -> a instanceof Action.Create || a instanceof Action.Update
                || a instanceof Action.Delete);
    }

    /**
     * @return whether the change alters the store's links, conflicts or history (not only record statuses)
     */
    public boolean changesState() {
        return actions.stream().anyMatch(a -> !(a instanceof Action.Settle));
    }
}
