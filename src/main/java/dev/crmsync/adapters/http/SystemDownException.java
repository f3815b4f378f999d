package dev.crmsync.adapters.http;

import dev.crmsync.ports.TransientCrmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * A request refused without being sent, because the system's {@link CircuitBreaker} is open: it failed every
 * attempt lately, and is left alone until the trial time. Transient: the flows go on by themselves once it answers.
 */
public final class SystemDownException extends TransientCrmException {

    private static final long serialVersionUID = 1L;

    private final Instant nextTrialAt;

    /**
     * @param system  the system, e.g. {@code webCRM}
     * @param address where it is, without credentials
     * @param status  the open circuit
     */
    public SystemDownException(String system, String address, CircuitBreaker.Status status) {
        this(system + " at " + address + " is down since " + seconds(status.since()) + " (" + status.lastProblem()
                + "); crmsync tries it again at " + seconds(status.nextTrialAt()), status.nextTrialAt());
    }

    /**
     * @param message     what failed, naming the system and its address, never a credential
     * @param nextTrialAt when the system is tried again
     */
    public SystemDownException(String message, Instant nextTrialAt) {
        super(message, null);
        this.nextTrialAt = nextTrialAt;
    }

    private static Instant seconds(Instant at) {
        return at == null ? null : at.truncatedTo(ChronoUnit.SECONDS);
    }

    /**
     * @return when the system is tried again
     */
    public Instant nextTrialAt() {
        return nextTrialAt;
    }
}
