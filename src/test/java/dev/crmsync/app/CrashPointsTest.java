package dev.crmsync.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.crmsync.adapters.http.HttpCallObserver;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The crash test hook on its own: which values arm it, what counts as a step, and that it halts at exactly the
 * chosen step with SIGKILL's status. (That the halt really ends a process, and what the sync makes of it, is
 * {@code scenario.CrashSuiteTest}'s business.)
 */
class CrashPointsTest {

    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
    private final PrintStream trace = new PrintStream(printed, true, StandardCharsets.UTF_8);
    private final List<Integer> halts = new ArrayList<>();
    private final List<String> heardByNext = new ArrayList<>();
    private final HttpCallObserver next = new HttpCallObserver() {
        @Override
        public void called(String system, String method, int status, Duration took) {
            heardByNext.add(system + " " + method + " " + status);
        }
    };

    @Test
    void shouldBeOffAndInvisibleWhenTheVariableIsNotSet() {
        for (String unset : new String[] {null, "", "  "}) {
            CrashPoints hook = CrashPoints.of(unset, trace, halts::add);

            assertThat(hook.isOn()).isFalse();
            assertThat(hook.observing(next)).as("the observer is handed on untouched").isSameAs(next);
            hook.beforeCommit();
            hook.committed();
            assertThat(hook.steps()).isZero();
        }
        assertThat(printed.toString(StandardCharsets.UTF_8)).isEmpty();
        assertThat(halts).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "-3", "soon", "5x", "1.5"})
    void shouldRefuseAValueThatIsNoStepNamingTheVariable(String value) {
        assertThatThrownBy(() -> CrashPoints.of(value, trace, halts::add))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("CRMSYNC_CRASH_AFTER")
                .hasMessageContaining("'" + value + "'")
                .hasMessageContaining("'never'");
    }

    @Test
    void shouldCountCommitsOnBothSidesAndAnswersAndHaltAtExactlyTheChosenStep() {
        // Given a hook armed for step 4
        CrashPoints hook = CrashPoints.of(" 4 ", trace, halts::add);
        HttpCallObserver observer = hook.observing(next);

        // When a commit and two answers pass, the second of which is the fourth step, then more
        hook.beforeCommit();
        hook.committed();
        observer.called("webcrm", "GET", 200, Duration.ofMillis(3));
        assertThat(halts).isEmpty();
        observer.called("customcrm", "POST", 0, Duration.ofMillis(3));
        assertThat(halts).as("halted at step 4").containsExactly(CrashPoints.EXIT_STATUS);
        hook.beforeCommit();

        // Then every step was printed before the halt, and the observer it wraps heard every answer
        assertThat(printed.toString(StandardCharsets.UTF_8).lines()).containsExactly(
                "crmsync crash point: step 1: before commit 1",
                "crmsync crash point: step 2: after commit 1",
                "crmsync crash point: step 3: answer 1: webcrm GET 200",
                "crmsync crash point: step 4: answer 2: customcrm POST no answer",
                "crmsync crash point: step 5: before commit 2");
        assertThat(halts).as("a step is reached once").containsExactly(137);
        assertThat(heardByNext).containsExactly("webcrm GET 200", "customcrm POST 0");
        assertThat(hook.steps()).isEqualTo(5);
    }

    @Test
    void shouldCountAndPrintWithoutEverHaltingWhenToldNever() {
        CrashPoints hook = CrashPoints.of("never", trace, halts::add);

        for (int i = 0; i < 1000; i++) {
            hook.beforeCommit();
            hook.committed();
        }

        assertThat(hook.isOn()).isTrue();
        assertThat(hook.steps()).isEqualTo(2000);
        assertThat(halts).isEmpty();
        assertThat(printed.toString(StandardCharsets.UTF_8).lines()).hasSize(2000)
                .last().isEqualTo("crmsync crash point: step 2000: after commit 1000");
    }
}
