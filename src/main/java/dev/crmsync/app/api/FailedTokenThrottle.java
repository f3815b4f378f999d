package dev.crmsync.app.api;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * Slows down guessing of the service token, per client address (issue 11: thirty wrong tokens in a row were all
 * answered at once).
 *
 * <p>A client's first {@value #FREE_FAILURES} wrong tokens are answered at once. The {@value #FREE_FAILURES}th
 * makes it wait {@link #FIRST_WAIT}, and each wrong token after a wait doubles the next one, up to
 * {@link #MAX_WAIT}. While a client waits, its attempts are refused without the token being looked at, so that
 * guessing on costs the guesser time and teaches him nothing; they do not lengthen the wait, so a person who
 * mistyped and retries a little early is not punished further. A right token presented once the wait is over is
 * admitted and clears the client's record, so nobody is locked out for good. A client without a wrong token for
 * {@link #FORGET_AFTER} starts afresh.
 *
 * <p>The check and the count happen under one lock, so that requests sent side by side cannot slip more guesses
 * through than requests sent one after the other. At most {@link #MAX_CLIENTS} clients are remembered; past that
 * the one whose last wrong token is oldest is forgotten first.
 *
 * <p>This class is threadsafe.
 */
final class FailedTokenThrottle {

    /** Wrong tokens a client may send before it has to wait. */
    static final int FREE_FAILURES = 5;
    /** The first wait, after the {@value #FREE_FAILURES}th wrong token. */
    static final Duration FIRST_WAIT = Duration.ofSeconds(1);
    /** The longest wait; shorter than {@link #FORGET_AFTER}, so a guesser who waits as told is never forgotten. */
    static final Duration MAX_WAIT = Duration.ofMinutes(10);
    /** How long after its last wrong token a client is forgotten. */
    static final Duration FORGET_AFTER = Duration.ofMinutes(15);
    /** How many clients are remembered at most. */
    static final int MAX_CLIENTS = 10_000;

    /** What an attempt came to. */
    enum Outcome {
        /** The token was right. */
        ADMITTED,
        /** The token was wrong; answer 401. */
        REFUSED,
        /** The client must wait first; the token was not looked at. Answer 429. */
        WAIT
    }

    /**
     * @param outcome    what the attempt came to
     * @param retryAfter how long the client must wait before its next attempt is looked at; zero when it need not
     */
    record Verdict(Outcome outcome, Duration retryAfter) {

        Verdict {
            Objects.requireNonNull(outcome, "outcome");
            Objects.requireNonNull(retryAfter, "retryAfter");
        }
    }

    /** One client's wrong tokens: how many in a row, the last one's time, and until when it must wait. */
    private record Failures(int count, Instant last, Instant waitUntil) {
    }

    private final InstantSource clock;
    private final Map<String, Failures> clients = new HashMap<>();

    /**
     * @param clock the time source of the waits
     */
    FailedTokenThrottle(InstantSource clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * One attempt of a client to present the token.
     *
     * @param client       the client's address
     * @param tokenIsRight compares the presented token with the service token; not called while the client waits
     * @return what the attempt came to
     */
    synchronized Verdict attempt(String client, BooleanSupplier tokenIsRight) {
        Instant now = clock.instant();
        Failures failures = current(client, now);
        if (failures != null && now.isBefore(failures.waitUntil())) {
            return new Verdict(Outcome.WAIT, Duration.between(now, failures.waitUntil()));
        }
        if (tokenIsRight.getAsBoolean()) {
            clients.remove(client);
            return new Verdict(Outcome.ADMITTED, Duration.ZERO);
        }
        int count = failures == null ? 1 : failures.count() + 1;
        Duration wait = waitAfter(count);
        remember(client, new Failures(count, now, now.plus(wait)));
        return new Verdict(Outcome.REFUSED, wait);
    }

    /**
     * @param failures wrong tokens in a row
     * @return how long a client must wait after that many
     */
    static Duration waitAfter(int failures) {
        if (failures < FREE_FAILURES) {
            return Duration.ZERO;
        }
        int doublings = failures - FREE_FAILURES;
        // 2^10 s is past the cap already; stop doubling before the shift could overflow.
        if (doublings >= 20) {
            return MAX_WAIT;
        }
        Duration wait = FIRST_WAIT.multipliedBy(1L << doublings);
        return wait.compareTo(MAX_WAIT) > 0 ? MAX_WAIT : wait;
    }

    /**
     * @return how many clients are remembered now, for tests
     */
    synchronized int remembered() {
        return clients.size();
    }

    private Failures current(String client, Instant now) {
        Failures failures = clients.get(client);
        if (failures != null && isForgotten(failures, now)) {
            clients.remove(client);
            return null;
        }
        return failures;
    }

    private void remember(String client, Failures failures) {
        if (!clients.containsKey(client) && clients.size() >= MAX_CLIENTS) {
            Instant now = failures.last();
            clients.values().removeIf(f -> isForgotten(f, now));
            if (clients.size() >= MAX_CLIENTS) {
                Optional<String> oldest = clients.entrySet().stream()
                        .min(Comparator.comparing(e -> e.getValue().last())).map(Map.Entry::getKey);
                oldest.ifPresent(clients::remove);
            }
        }
        clients.put(client, failures);
    }

    private static boolean isForgotten(Failures failures, Instant now) {
        return !now.isBefore(failures.last().plus(FORGET_AFTER)) && !now.isBefore(failures.waitUntil());
    }
}
