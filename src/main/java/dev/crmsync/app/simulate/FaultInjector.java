package dev.crmsync.app.simulate;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Random;

/**
 * Decides, request by request, which fault a simulator injects: standing faults from {@link FaultSettings}, and
 * one-shot faults queued by a test or a person ({@link #failNext}, {@link #dropNext}, {@link #malformNextPages}).
 * Queued faults are served first, in the order they were queued.
 *
 * <p>The random choices come from a seeded {@link Random}, so a run with the same seed and the same request order
 * meets the same faults.
 *
 * <p>This class is threadsafe.
 *
 * @see FaultFilter
 */
public final class FaultInjector {

    /** What to do with one request. */
    public sealed interface Fault {
        /** Serve the request normally. */
        record None() implements Fault {
        }

        /** Answer with {@code status} instead of serving; {@code retryAfter} is set for 429 and 503. */
        record Fail(int status, Duration retryAfter) implements Fault {
        }

        /** Close the connection without an answer. */
        record Drop() implements Fault {
        }
    }

    private static final Fault NONE = new Fault.None();

    private final Random random;
    private final Deque<Fault> queued = new ArrayDeque<>();
    private FaultSettings settings = FaultSettings.NONE;
    private int malformedPagesQueued;
    private int lostAnswersQueued;
    private int slowAnswersQueued;
    private long served;
    private Duration spike = Duration.ZERO;
    private int failingWrites;

    /**
     * @param seed seed of the random choices
     */
    public FaultInjector(long seed) {
        this.random = new Random(seed);
    }

    /**
     * @return the standing faults
     */
    public synchronized FaultSettings settings() {
        return settings;
    }

    /**
     * Replaces the standing faults.
     *
     * @param newSettings the faults to inject from now on
     */
    public synchronized void settings(FaultSettings newSettings) {
        this.settings = newSettings;
    }

    /**
     * Queues {@code count} failed answers, e.g. a burst of 429s.
     *
     * @param count      how many requests fail, at least 1
     * @param status     the HTTP status to answer with (429 or 5xx)
     * @param retryAfter the {@code Retry-After} to send with 429 and 503; zero for none
     */
    public synchronized void failNext(int count, int status, Duration retryAfter) {
        if (count < 1) {
            throw new IllegalArgumentException("count must be >= 1: " + count);
        }
        if (status != 429 && (status < 500 || status > 599)) {
            throw new IllegalArgumentException("status must be 429 or 5xx: " + status);
        }
        for (int i = 0; i < count; i++) {
            queued.addLast(new Fault.Fail(status, retryAfter));
        }
    }

    /**
     * Queues {@code count} dropped connections.
     *
     * @param count how many requests lose their connection, at least 1
     */
    public synchronized void dropNext(int count) {
        if (count < 1) {
            throw new IllegalArgumentException("count must be >= 1: " + count);
        }
        for (int i = 0; i < count; i++) {
            queued.addLast(new Fault.Drop());
        }
    }

    /**
     * Queues {@code count} lost answers to writes: the next writes (POST, PUT, PATCH, DELETE) are carried out, then
     * their connection is closed before the answer goes out, as when a proxy or the network dies on the way back.
     * The client cannot tell whether the write landed; this is what a sync's outbox and stamps are for.
     *
     * @param count how many writes lose their answer, at least 1
     */
    public synchronized void loseNextWriteAnswers(int count) {
        if (count < 1) {
            throw new IllegalArgumentException("count must be >= 1: " + count);
        }
        lostAnswersQueued += count;
    }

    /**
     * Queues a latency spike: the next {@code count} requests, of any kind, are answered only after {@code latency}
     * more, on top of any standing latency. A spike longer than the client's timeout turns into timeouts: a read
     * is asked again, a write may have landed without the client knowing.
     *
     * @param count   how many requests, at least 1
     * @param latency the extra delay of each
     */
    public synchronized void slowNext(int count, Duration latency) {
        if (count < 1 || latency == null || latency.isNegative()) {
            throw new IllegalArgumentException("need count >= 1 and a latency >= 0: " + count + ", " + latency);
        }
        slowAnswersQueued += count;
        spike = latency;
    }

    /**
     * Decides whether the answer to a write that has just been carried out is lost.
     *
     * @param method the request's HTTP method
     * @return true to close the connection instead of answering
     */
    public synchronized boolean loseThisAnswer(String method) {
        if (lostAnswersQueued > 0 && !method.equals("GET") && !method.equals("HEAD")) {
            lostAnswersQueued--;
            served++;
            return true;
        }
        return false;
    }

    /**
     * Queues {@code count} malformed list pages: the next list pages served are cut off mid-JSON.
     *
     * @param count how many pages, at least 1
     */
    public synchronized void malformNextPages(int count) {
        if (count < 1) {
            throw new IllegalArgumentException("count must be >= 1: " + count);
        }
        malformedPagesQueued += count;
    }

    /**
     * Answers every write (POST, PUT, PATCH, DELETE) with {@code status} until {@link #reset()}, while reads are
     * served: a system in read-only maintenance (5xx), or one whose own rules refuse records for a while (4xx, e.g.
     * 422 until an administrator fixes its data), whose refused writes end as dead letters to replay later.
     *
     * @param status a 4xx or 5xx status
     */
    public synchronized void failWrites(int status) {
        if (status < 400 || status > 599) {
            throw new IllegalArgumentException("status must be 4xx or 5xx: " + status);
        }
        failingWrites = status;
    }

    /** Clears queued faults and switches standing faults off. */
    public synchronized void reset() {
        queued.clear();
        malformedPagesQueued = 0;
        lostAnswersQueued = 0;
        slowAnswersQueued = 0;
        spike = Duration.ZERO;
        failingWrites = 0;
        settings = FaultSettings.NONE;
    }

    /**
     * @return how many queued one-shot faults are still waiting
     */
    public synchronized int pending() {
        return queued.size() + malformedPagesQueued + lostAnswersQueued + slowAnswersQueued;
    }

    /**
     * Picks the fault for the next request.
     *
     * @return the fault; {@link Fault.None} to serve normally
     */
    public synchronized Fault nextFault() {
        return nextFault("GET");
    }

    /**
     * Picks the fault for the next request.
     *
     * @param method the request's HTTP method
     * @return the fault; {@link Fault.None} to serve normally
     */
    public synchronized Fault nextFault(String method) {
        Fault fault = pick(method);
        if (fault != NONE) {
            served++;
        }
        return fault;
    }

    private Fault pick(String method) {
        if (failingWrites != 0 && !method.equals("GET") && !method.equals("HEAD")) {
            return new Fault.Fail(failingWrites, Duration.ZERO);
        }
        if (!queued.isEmpty()) {
            return queued.pollFirst();
        }
        if (settings.dropRate() > 0 && random.nextDouble() < settings.dropRate()) {
            return new Fault.Drop();
        }
        if (settings.serverErrorRate() > 0 && random.nextDouble() < settings.serverErrorRate()) {
            int[] statuses = {500, 502, 503};
            return new Fault.Fail(statuses[random.nextInt(statuses.length)], Duration.ofSeconds(1));
        }
        return NONE;
    }

    /**
     * @return faults of every kind served since the simulator started (a reset does not clear it): failed, dropped,
     *         lost and malformed answers, and latency spikes; a test checks by it that its fault was met
     */
    public synchronized long served() {
        return served;
    }

    /**
     * Decides whether a list page about to be sent is cut off.
     *
     * @return true to malform this page
     */
    public synchronized boolean malformThisPage() {
        boolean malformed = malformedPagesQueued > 0
                || settings.malformedPageRate() > 0 && random.nextDouble() < settings.malformedPageRate();
        if (malformedPagesQueued > 0) {
            malformedPagesQueued--;
        }
        if (malformed) {
            served++;
        }
        return malformed;
    }

    /**
     * @return the extra latency of the request now arriving: the standing one, plus a queued spike's
     */
    public synchronized Duration latency() {
        if (slowAnswersQueued > 0) {
            slowAnswersQueued--;
            served++;
            return settings.latency().plus(spike);
        }
        return settings.latency();
    }
}
