package dev.crmsync.adapters.http;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Whether a system is worth calling. As many failed exchanges in a row as one request may retry (no answer, or a
 * 502, 503 or 504) open the circuit: from then on requests fail at once with {@link SystemDownException}, costing the system
 * nothing, until the trial time. Then one request goes through as a trial: any answer closes the circuit and the
 * flows go on by themselves; a failure opens it again for twice as long, up to a ceiling.
 *
 * <p>A 429 or a 4xx is an answer: the system is up, so they close the circuit rather than count against it.
 *
 * <p>This class is threadsafe.
 */
public final class CircuitBreaker {

    /** Where the circuit stands. */
    public enum State {
        /** Requests go through. */
        CLOSED,
        /** Requests fail at once until the trial time. */
        OPEN,
        /** The trial time has come: the next request is the trial. */
        HALF_OPEN;

        /**
         * @return the state as the API and the dashboard spell it
         */
        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        }
    }

    /**
     * A moment of the circuit.
     *
     * @param state       where it stands
     * @param since       when it came to this state, or null before any change
     * @param nextTrialAt when a request goes through again, while open; else null
     * @param lastProblem the failure that opened it, while not closed; else null
     */
    public record Status(State state, Instant since, Instant nextTrialAt, String lastProblem) {

        /** A circuit that never opened. */
        public static final Status CLOSED = new Status(State.CLOSED, null, null, null);
    }

    /**
     * When to open and for how long.
     *
     * @param failuresToOpen failed exchanges in a row that open the circuit, at least 1
     * @param firstOpen      how long it stays open the first time
     * @param maxOpen        the longest it stays open; each failed trial doubles the time up to this
     */
    public record Settings(int failuresToOpen, Duration firstOpen, Duration maxOpen) {

        public Settings {
            if (failuresToOpen < 1 || firstOpen.isNegative() || maxOpen.compareTo(firstOpen) < 0) {
                throw new IllegalArgumentException("need failuresToOpen >= 1 and 0 <= firstOpen <= maxOpen");
            }
        }
    }

    private final String system;
    private final Settings settings;
    private final InstantSource clock;
    private final Consumer<Status> listener;
    private Status status = Status.CLOSED;
    private int failuresInARow;
    private Duration openFor;

    /**
     * @param system   the system's name for messages, e.g. {@code webCRM}
     * @param settings when to open and for how long
     * @param clock    the time source
     * @param listener told every change of state; called under this breaker's lock, so it must be quick
     */
    public CircuitBreaker(String system, Settings settings, InstantSource clock, Consumer<Status> listener) {
        this.system = system;
        this.settings = settings;
        this.clock = clock;
        this.listener = listener;
        this.openFor = settings.firstOpen();
    }

    /**
     * Lets a request through, or refuses it while the circuit is open.
     *
     * @param address where the system is, for the message; never with a credential
     * @throws SystemDownException while the circuit is open and its trial time has not come
     */
    public synchronized void beforeCall(String address) {
        if (status.state() != State.OPEN) {
            return;
        }
        Instant now = clock.instant();
        if (now.isBefore(status.nextTrialAt())) {
            throw new SystemDownException(system, address, status);
        }
        change(new Status(State.HALF_OPEN, now, null, status.lastProblem()));
    }

    /**
     * The system answered (anything but a 5xx, a 429 included): the circuit closes.
     */
    public synchronized void answered() {
        failuresInARow = 0;
        openFor = settings.firstOpen();
        if (status.state() != State.CLOSED) {
            change(new Status(State.CLOSED, clock.instant(), null, null));
        }
    }

    /**
     * An exchange failed in a way that says the system is down: no answer, or a 502, 503 or 504.
     *
     * @param problem what happened, without a credential
     * @return whether the circuit is open now, so the caller stops retrying
     */
    public synchronized boolean failed(String problem) {
        failuresInARow++;
        if (status.state() == State.HALF_OPEN) {
            openFor = doubled(openFor);
            open(problem);
        } else if (status.state() == State.CLOSED && failuresInARow >= settings.failuresToOpen()) {
            open(problem);
        }
        return status.state() == State.OPEN;
    }

    /**
     * @return whether requests are refused now
     */
    public synchronized boolean isOpen() {
        return status.state() == State.OPEN;
    }

    /**
     * @return where the circuit stands
     */
    public synchronized Status status() {
        return status;
    }

    /**
     * @return while open, when the next request goes through
     */
    public synchronized Optional<Instant> nextTrialAt() {
        return Optional.ofNullable(status.nextTrialAt());
    }

    private void open(String problem) {
        Instant now = clock.instant();
        change(new Status(State.OPEN, now, now.plus(openFor), problem));
    }

    private Duration doubled(Duration d) {
        Duration twice = d.multipliedBy(2);
        return twice.compareTo(settings.maxOpen()) > 0 ? settings.maxOpen() : twice;
    }

    private void change(Status next) {
        status = next;
        listener.accept(next);
    }
}
