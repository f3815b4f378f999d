package dev.crmsync.adapters.http;

import dev.crmsync.ports.TransientCrmException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * crmsync's one way of trying again: every request to webCRM or Customcrm, and every page that arrived unreadable,
 * goes through {@link #run}. A failed attempt is followed by a pause that grows exponentially up to a ceiling, with
 * jitter so that several crmsync processes that failed together do not come back together; a pause the server asked
 * for ({@code Retry-After} in seconds or as an HTTP date, or webCRM's {@code RetryAfterSeconds}) takes the place of
 * the computed one, up to a ceiling of its own.
 *
 * <p>Why not Resilience4j's {@code Retry}: it sleeps through one JVM-wide static function, so a test could not
 * check a wait without waiting, and two connectors in one JVM could not wait differently. Every pause here goes
 * through the connector's {@link Sleeper}. Whether an attempt may be repeated at all (a create whose answer was lost
 * may have landed) is the caller's decision, made by throwing instead of answering {@link Attempt.Failed}.
 *
 * <p>This class is threadsafe.
 */
public final class RetryPolicy {

    /**
     * How hard to try.
     *
     * @param maxAttempts   attempts in all, at least 1
     * @param firstBackoff  the pause after the first failure, before jitter; it doubles with each further failure
     * @param maxBackoff    the longest computed pause
     * @param maxRetryAfter the longest pause a server may ask for; a longer one is cut to this
     */
    public record Settings(int maxAttempts, Duration firstBackoff, Duration maxBackoff, Duration maxRetryAfter) {

        public Settings {
            if (maxAttempts < 1) {
                throw new IllegalArgumentException("maxAttempts must be >= 1: " + maxAttempts);
            }
            if (firstBackoff.isNegative() || maxBackoff.compareTo(firstBackoff) < 0 || maxRetryAfter.isNegative()) {
                throw new IllegalArgumentException("backoffs must satisfy 0 <= first <= max, and maxRetryAfter >= 0");
            }
        }

        /**
         * @return six attempts; pauses from about 1 s growing to about 30 s (31 s in all before jitter); a server's
         *         Retry-After honoured up to two minutes
         */
        public static Settings ofDefaults() {
            return new Settings(6, Duration.ofSeconds(1), Duration.ofSeconds(30), Duration.ofMinutes(2));
        }
    }

    /**
     * What one attempt came to.
     *
     * @param <T> what a successful attempt gives
     */
    public sealed interface Attempt<T> {

        /**
         * @param value what the attempt gave
         */
        record Succeeded<T>(T value) implements Attempt<T> {
        }

        /**
         * A failure worth another attempt.
         *
         * @param problem    what went wrong, for the message when the attempts are spent; never a credential
         * @param serverWait how long the server asked to be left alone, if it did
         */
        record Failed<T>(String problem, Optional<Duration> serverWait) implements Attempt<T> {
        }
    }

    /** Told before each pause, e.g. to log that a system did not answer. */
    @FunctionalInterface
    public interface RetryListener {

        /** Hears nothing. */
        RetryListener NONE = (what, attempt, problem, pause) -> {
        };

        /**
         * @param what    what is being tried, e.g. {@code webCRM GET /Queries}
         * @param attempt the attempt that failed, from 1
         * @param problem why it failed
         * @param pause   the pause before the next attempt
         */
        void retrying(String what, int attempt, String problem, Duration pause);
    }

    private static final Pattern RETRY_AFTER_SECONDS = Pattern.compile("\"RetryAfterSeconds\"\\s*:\\s*(\\d{1,9})");

    private final Settings settings;
    private final Sleeper sleeper;
    private final Supplier<RandomGenerator> random;

    /**
     * @param settings how hard to try
     * @param sleeper  how to pause
     */
    public RetryPolicy(Settings settings, Sleeper sleeper) {
        this(settings, sleeper, ThreadLocalRandom::current);
    }

    /**
     * @param settings how hard to try
     * @param sleeper  how to pause
     * @param random   the jitter's source; tests pass a seeded one
     */
    public RetryPolicy(Settings settings, Sleeper sleeper, Supplier<RandomGenerator> random) {
        this.settings = settings;
        this.sleeper = sleeper;
        this.random = random;
    }

    /**
     * @return how hard this policy tries
     */
    public Settings settings() {
        return settings;
    }

    /**
     * Runs attempts until one succeeds or the attempts are spent. An attempt that throws ends the run at once
     * with its exception.
     *
     * @param what    what is being tried, for messages
     * @param attempt one attempt; called up to {@code maxAttempts} times
     * @param spent   makes the exception thrown when the attempts are spent, from a summary such as
     *                {@code failed after 6 attempts: 503 from the server}
     * @param listener told before each pause
     * @return the successful attempt's value
     * @throws TransientCrmException from {@code spent}, or when the wait is interrupted
     */
    public <T> T run(String what, Supplier<Attempt<T>> attempt, Function<String, TransientCrmException> spent,
                     RetryListener listener) {
        String lastProblem = "no attempt";
        for (int n = 1; n <= settings.maxAttempts(); n++) {
            Attempt<T> result = attempt.get();
            if (result instanceof Attempt.Succeeded<T> succeeded) {
                return succeeded.value();
            }
            Attempt.Failed<T> failed = (Attempt.Failed<T>) result;
            lastProblem = failed.problem();
            if (n == settings.maxAttempts()) {
                break;
            }
            int failures = n;
            Duration pause = failed.serverWait().map(this::capServerWait).orElseGet(() -> backoff(failures));
            listener.retrying(what, n, lastProblem, pause);
            sleeper.pause(pause, what);
        }
        throw spent.apply("failed after " + settings.maxAttempts() + " attempt"
                + (settings.maxAttempts() == 1 ? "" : "s") + ": " + lastProblem);
    }

    /**
     * The pause after a number of failures in a row: {@code firstBackoff × 2^(failures-1)}, capped at
     * {@code maxBackoff}, of which a random part up to half is left out ("equal jitter"): never less than half
     * the computed pause, so a system that is down is not hammered, and spread enough that clients which failed
     * together come back apart.
     *
     * @param failures failures so far, from 1
     * @return the pause before the next attempt
     */
    public Duration backoff(int failures) {
        long first = settings.firstBackoff().toMillis();
        long cap = settings.maxBackoff().toMillis();
        long computed = first;
        for (int i = 1; i < failures && computed < cap; i++) {
            computed *= 2;
        }
        computed = Math.min(computed, cap);
        long half = computed / 2;
        long jitter = half == 0 ? 0 : random.get().nextLong(half + 1);
        return Duration.ofMillis(computed - half + jitter);
    }

    /**
     * The pause a server asked for: a {@code Retry-After} header in seconds or as an HTTP date, or else webCRM's
     * {@code RetryAfterSeconds} in the answer's JSON body.
     *
     * @param retryAfterHeader the header's value, or null
     * @param body             the answer's body, or null
     * @param now              the time, to turn an HTTP date into a pause
     * @return the pause, never negative; empty when the answer names none readable
     */
    public static Optional<Duration> serverWait(String retryAfterHeader, String body, Instant now) {
        if (retryAfterHeader != null && !retryAfterHeader.isBlank()) {
            String value = retryAfterHeader.strip();
            try {
                return Optional.of(Duration.ofSeconds(Math.max(0, Long.parseLong(value))));
            } catch (NumberFormatException notSeconds) {
                try {
                    Instant at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                    Duration wait = Duration.between(now, at);
                    return Optional.of(wait.isNegative() ? Duration.ZERO : wait);
                } catch (DateTimeParseException notADate) {
                    // Neither form: fall through to the body, then to the computed backoff.
                }
            }
        }
        if (body != null) {
            Matcher m = RETRY_AFTER_SECONDS.matcher(body.length() > 4096 ? body.substring(0, 4096) : body);
            if (m.find()) {
                return Optional.of(Duration.ofSeconds(Long.parseLong(m.group(1))));
            }
        }
        return Optional.empty();
    }

    private Duration capServerWait(Duration wait) {
        return wait.compareTo(settings.maxRetryAfter()) > 0 ? settings.maxRetryAfter() : wait;
    }

}
