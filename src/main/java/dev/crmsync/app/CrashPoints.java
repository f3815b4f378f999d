package dev.crmsync.app;

import dev.crmsync.adapters.http.HttpCallObserver;
import dev.crmsync.adapters.http.RateBudget;
import dev.crmsync.adapters.store.CommitObserver;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntConsumer;
import java.util.function.Supplier;

/**
 * A test hook, off unless asked for: it makes the {@code crmsync} process die at an exact point of its work, as if
 * it had been sent SIGKILL there, so that the crash suite can show that a sync killed anywhere loses no edit and
 * makes no duplicate. See {@code docs/crash-testing.md}.
 *
 * <h2>Steps</h2>
 * The hook counts steps, in the order they happen:
 * <ul>
 *   <li>just before a store transaction commits: its writes are in SQLite, its commit is not;</li>
 *   <li>just after it commits: it is durable;</li>
 *   <li>when the answer to a request to either system arrives: the system has done what was asked, crmsync has not
 *       read the answer yet. Dying here is the lost answer: the write landed, and crmsync never learnt it.</li>
 * </ul>
 * Dying just before a request is sent is not a point of its own: nothing durable happens between the step before
 * and the sending, so it leaves both systems and the store as dying at that step does.
 *
 * <h2>Switch</h2>
 * The environment variable {@value #VARIABLE}, read once when the process starts ({@code Main.main}; a command run
 * inside a test JVM is never armed):
 * <ul>
 *   <li>unset or empty: off; nothing is counted and nothing printed;</li>
 *   <li>{@code N}, 1 or more: every step is printed on standard error ({@value #TRACE_PREFIX}{@code N: what}), and
 *       at step N the process halts with exit status {@value #EXIT_STATUS};</li>
 *   <li>{@code never}: steps are counted and printed, and the process never halts; this is how a test learns how
 *       many steps a run takes.</li>
 * </ul>
 *
 * <h2>Why the process halts itself</h2>
 * {@link Runtime#halt} stops the JVM on the thread at the step: no shutdown hook runs (so the store is not closed and
 * crmsync neither releases its lock nor logs its stop), no {@code finally} block runs, nothing buffered in Java is
 * flushed. The operating system then closes the files and sockets and drops the store lock, as after SIGKILL, and
 * what SQLite wrote to the file stays as it is; a transaction that did not commit is rolled back when the store is
 * opened next. A SIGKILL sent from outside, once the step was printed, would land milliseconds later while the
 * process goes on committing and sending, so the point would be neither exact nor the same when replayed. 137 is the
 * status a shell reports for SIGKILL (128 + 9).
 *
 * <p>This class is threadsafe.
 */
public final class CrashPoints implements CommitObserver {

    /** The environment variable that arms the hook. */
    public static final String VARIABLE = "CRMSYNC_CRASH_AFTER";
    /** The value that counts and prints the steps without ever halting. */
    public static final String NEVER = "never";
    /** The exit status of a process halted by the hook, as after SIGKILL. */
    public static final int EXIT_STATUS = 137;
    /** How each step's line on standard error starts, followed by the step's number, a colon and what it is. */
    public static final String TRACE_PREFIX = "crmsync crash point: step ";

    /** Off: counts nothing. */
    public static final CrashPoints OFF = new CrashPoints(false, Long.MAX_VALUE, System.err, status -> { });

    private static volatile CrashPoints process = OFF;

    private final boolean on;
    private final long haltAt;
    private final PrintStream trace;
    private final IntConsumer halt;
    private final AtomicLong steps = new AtomicLong();
    private final AtomicLong commits = new AtomicLong();
    private final AtomicLong answers = new AtomicLong();

    private CrashPoints(boolean on, long haltAt, PrintStream trace, IntConsumer halt) {
        this.on = on;
        this.haltAt = haltAt;
        this.trace = trace;
        this.halt = halt;
    }

    /**
     * Arms the process's hook from the value of {@value #VARIABLE}; called once, by {@code Main.main}.
     *
     * @param value the variable's value, or null when it is not set
     * @throws IllegalArgumentException when the value is neither a step number of 1 or more nor {@value #NEVER}
     */
    public static void armProcess(String value) {
        process = of(value, System.err, Runtime.getRuntime()::halt);
    }

    /**
     * @return the process's hook: {@link #OFF} unless {@link #armProcess} armed it
     */
    public static CrashPoints ofProcess() {
        return process;
    }

    /**
     * @param value the value of {@value #VARIABLE}, or null when it is not set
     * @param trace where each step is printed
     * @param halt  what dies at the chosen step, given {@value #EXIT_STATUS}; {@code Runtime.getRuntime()::halt}
     * @return the hook
     * @throws IllegalArgumentException when the value is neither a step number of 1 or more nor {@value #NEVER}
     */
    static CrashPoints of(String value, PrintStream trace, IntConsumer halt) {
        Objects.requireNonNull(trace, "trace");
        Objects.requireNonNull(halt, "halt");
        if (value == null || value.isBlank()) {
            return OFF;
        }
        String given = value.strip();
        if (given.equals(NEVER)) {
            return new CrashPoints(true, Long.MAX_VALUE, trace, halt);
        }
        try {
            long step = Long.parseLong(given);
            if (step >= 1) {
                return new CrashPoints(true, step, trace, halt);
            }
        } catch (NumberFormatException notANumber) {
            // the same message as for a number below 1
        }
        throw new IllegalArgumentException(VARIABLE + " (a test hook that makes crmsync die at a chosen step) must "
                + "be a step number of 1 or more, or '" + NEVER + "': '" + value + "'");
    }

    /**
     * @return whether the hook counts steps
     */
    public boolean isOn() {
        return on;
    }

    /**
     * @return the steps counted so far
     */
    public long steps() {
        return steps.get();
    }

    @Override
    public void beforeCommit() {
        if (on) {
            step("before commit " + (commits.get() + 1));
        }
    }

    @Override
    public void committed() {
        if (on) {
            step("after commit " + commits.incrementAndGet());
        }
    }

    /**
     * @param next the observer to tell as well
     * @return an observer that counts each answer as a step, then tells {@code next}; {@code next} itself when off
     */
    public HttpCallObserver observing(HttpCallObserver next) {
        Objects.requireNonNull(next, "next");
        if (!on) {
            return next;
        }
        return new HttpCallObserver() {
            @Override
            public void called(String system, String method, int status, Duration took) {
                step("answer " + answers.incrementAndGet() + ": " + system + " " + method + " "
                        + (status == 0 ? "no answer" : Integer.toString(status)));
                next.called(system, method, status, took);
            }

            @Override
            public void throttled(String system) {
                next.throttled(system);
            }

            @Override
            public void paced(String system, Supplier<RateBudget> budget) {
                next.paced(system, budget);
            }
        };
    }

    private void step(String what) {
        long step = steps.incrementAndGet();
        // Printed before halting, so the last line of a halted process names the step it died at.
        synchronized (trace) {
            trace.println(TRACE_PREFIX + step + ": " + what);
            trace.flush();
        }
        if (step == haltAt) {
            halt.accept(EXIT_STATUS);
        }
    }
}
