package dev.crmsync.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class BenchReportTest {

    private static final Machine MACHINE = new Machine(2, 6144, "Eclipse Adoptium 25+36", "Linux 6.1 amd64",
            "Some CPU");
    private static final Figure MET = new Figure("webcrm_calls_per_create", "create", 0.008, "requests/record",
            Goal.atMost(0.01), "webCRM requests / records created", "28 requests for 3,500 records");
    private static final Figure MISSED = new Figure("calls_per_echo", "create", 0.5, "writes/echo", Goal.atMost(0),
            "writes caused by echoes / echoes", "PUT /Persons | 1,750 of them");
    private static final Figure REPORTED = new Figure("customcrm_calls_per_update", "create", 1.25,
            "requests/edit", Goal.none(), "Customcrm requests / 500", "");
    private static final Figure SKIPPED = new Figure("heap_mb_1m_links", "heap", null, "MB", Goal.atMost(512),
            "peak heap after GC", "needs -Dbench.scale=full");

    private static BenchReport report() {
        return new BenchReport(Instant.parse("2026-12-06T02:00:00Z"), Duration.ofSeconds(754), MACHINE,
                "mvn -Pbench verify", "default", List.of(MET, MISSED, REPORTED, SKIPPED));
    }

    @Test
    void shouldWriteOneTableRowPerFigureWithGoalValueDateMachineAndCommand() {
        // When
        String md = report().markdown("## How each figure is defined\n\ntext");

        // Then
        assertThat(md).contains("| `webcrm_calls_per_create` | <= 0.01 | 0.008 requests/record | met | 2026-12-06 | "
                + "2 cores, 6144 MB heap, JDK Eclipse Adoptium 25+36, Linux 6.1 amd64 | "
                + "`mvn -Pbench verify -Dbench.only=create` | 28 requests for 3,500 records |");
        assertThat(md).contains("| `customcrm_calls_per_update` | none set | 1.25 requests/edit | reported |");
        assertThat(md).contains("| `heap_mb_1m_links` | <= 512 | not measured | not measured |");
        assertThat(md).contains("took 12 min 34 s").endsWith("## How each figure is defined\n\ntext\n");
    }

    @Test
    void shouldPrintTheReasonBesideAMissedGoalWithoutBreakingTheTable() {
        String row = report().markdown("").lines().filter(l -> l.startsWith("| `calls_per_echo`")).findFirst()
                .orElseThrow();

        assertThat(row).contains("**missed**").endsWith("| PUT /Persons \\| 1,750 of them |");
        assertThat(row.replace("\\|", "").chars().filter(c -> c == '|').count()).isEqualTo(9);
    }

    @Test
    void shouldWriteTheSameFiguresAsJson() {
        // When
        JsonNode json = JsonMapper.builder().build().readTree(report().json());

        // Then
        assertThat(json.path("scale").asString()).isEqualTo("default");
        assertThat(json.path("wallSeconds").asDouble()).isEqualTo(754.0);
        assertThat(json.path("machine").path("cores").asInt()).isEqualTo(2);
        assertThat(json.path("figures")).hasSize(4);
        JsonNode missed = json.path("figures").get(1);
        assertThat(missed.path("name").asString()).isEqualTo("calls_per_echo");
        assertThat(missed.path("measured").asDouble()).isEqualTo(0.5);
        assertThat(missed.path("status").asString()).isEqualTo("missed");
        assertThat(missed.path("goal").path("kind").asString()).isEqualTo("at_most");
        assertThat(missed.path("goal").path("target").asDouble()).isZero();
        JsonNode skipped = json.path("figures").get(3);
        assertThat(skipped.path("measured").isNull()).isTrue();
        assertThat(skipped.path("status").asString()).isEqualTo("not_measured");
        assertThat(json.path("figures").get(2).path("goal").path("target").isNull()).isTrue();
    }

    @Test
    void shouldNameTheScaleInTheCommandToReproduceWhenItIsNotTheDefault() {
        BenchReport full = new BenchReport(Instant.EPOCH, Duration.ZERO, MACHINE, "mvn -Pbench verify", "full",
                List.of(MET));

        assertThat(full.reproduce(MET)).isEqualTo("mvn -Pbench verify -Dbench.only=create -Dbench.scale=full");
    }

    @Test
    void shouldRefuseAMissedGoalWithoutAReasonAndAnUnmeasuredFigureWithoutWhy() {
        assertThatThrownBy(() -> new Figure("calls_per_echo", "create", 0.5, "writes/echo", Goal.atMost(0), "d", " "))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("say why");
        assertThatThrownBy(() -> new Figure("heap_mb_1m_links", "heap", null, "MB", Goal.atMost(512), "d", null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not measured");
    }

    @Test
    void shouldHoldMeasuredValuesAgainstEachKindOfGoal() {
        assertThat(Goal.atMost(0.01).isMetBy(0.01)).isTrue();
        assertThat(Goal.atMost(0.01).isMetBy(0.0101)).isFalse();
        assertThat(Goal.atLeast(0.8).isMetBy(0.79)).isFalse();
        assertThat(Goal.atLeast(0.8).isMetBy(0.8)).isTrue();
        assertThat(Goal.equalTo(12, "= idle_cycle_calls_1k (12)").isMetBy(13)).isFalse();
        assertThat(Goal.equalTo(12, "= idle_cycle_calls_1k (12)").isMetBy(12)).isTrue();
        assertThat(Goal.none().isMetBy(1e9)).isTrue();
        assertThat(Goal.format(200_000)).isEqualTo("200,000");
        assertThat(Goal.format(0.012345)).isEqualTo("0.01235");
        assertThat(Goal.format(1.1)).isEqualTo("1.1");
    }
}
