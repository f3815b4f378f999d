package dev.crmsync.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crmsync.app.metrics.CrmsyncMeters;
import dev.crmsync.app.simulate.customcrm.RecordType;
import dev.crmsync.app.simulate.webcrm.WebcrmEntity;
import dev.crmsync.engine.SyncCycle;
import dev.crmsync.model.Flow;
import dev.crmsync.model.Link;
import dev.crmsync.model.Side;
import dev.crmsync.ports.RecordStatus;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The Prometheus text a service serves at {@code /metrics}, after real syncs over HTTP against both simulators:
 * the engine's series with their tags, the API calls and 429s per system, webCRM's pace budget, the dead-letter
 * gauge and the JVM's own meters.
 */
class PrometheusScrapeScenarioTest {

    private static final SyncCycle.Options SYNC = new SyncCycle.Options(false, true, false);
    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)})? (\\S+)$");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    /** One sample line of the exposition format. */
    record Sample(String name, Map<String, String> labels, double value) {
    }

    static List<Sample> parse(String scrape) {
        return scrape.lines().filter(l -> !l.isBlank() && !l.startsWith("#")).map(line -> {
            Matcher m = SAMPLE.matcher(line);
            assertThat(m.matches()).as("a sample line: %s", line).isTrue();
            Map<String, String> labels = new HashMap<>();
            if (m.group(2) != null) {
                Matcher label = LABEL.matcher(m.group(2));
                while (label.find()) {
                    labels.put(label.group(1), label.group(2));
                }
            }
            return new Sample(m.group(1), labels, Double.parseDouble(m.group(3)));
        }).toList();
    }

    /**
     * @return the value of the one sample of that name with exactly those labels
     */
    static double value(String scrape, String name, String... labels) {
        Map<String, String> wanted = new HashMap<>();
        for (int i = 0; i < labels.length; i += 2) {
            wanted.put(labels[i], labels[i + 1]);
        }
        List<Sample> found = parse(scrape).stream()
                .filter(s -> s.name().equals(name) && s.labels().equals(wanted)).toList();
        assertThat(found).as("%s%s in the scrape", name, Arrays.toString(labels)).hasSize(1);
        return found.getFirst().value();
    }

    @Test
    void shouldExposeTheEngineSeriesWithTheirTagsAfterASync() {
        try (SyncHarness harness = SyncHarness.empty(); CrmsyncMeters meters = CrmsyncMeters.create()) {
            // Given three webCRM organisations, and a Customcrm contact webCRM will refuse (no last name)
            for (String name : new String[] {"Fynsk A/S", "Sjællandsk ApS", "Jysk I/S"}) {
                harness.webcrm.createAsUser(WebcrmEntity.ORGANISATION, Map.of("OrganisationName", name));
            }
            String customer = harness.customcrm.createAsUser(RecordType.CUSTOMER, Map.of("name", "Øresund AB"))
                    .path("id").asString();
            harness.customcrm.createAsUser(RecordType.CONTACT, Map.of("customer_id", customer, "first_name", "Eva"));
            for (Flow flow : Flow.values()) {
                meters.deadLetters(flow, () -> harness.store(s -> s.withStatus(RecordStatus.DEAD)).stream()
                        .filter(d -> d.flow() == flow).count());
            }

            // When
            SyncMetricsScenarioTest.sync(harness, SYNC, meters.syncMetrics(), meters.httpObserver());
            String scrape = meters.scrape();

            // Then records read, skipped and written are counted per flow and side (and kind)
            assertThat(value(scrape, "crmsync_records_read_total", "flow", "organisations", "side", "webcrm"))
                    .isEqualTo(7.0);   // three, then the same three again (a read within a minute of the last stamp
                                       // starts at it) and Øresund AB
            assertThat(value(scrape, "crmsync_records_read_total", "flow", "organisations", "side", "customcrm"))
                    .isEqualTo(5.0);   // Øresund AB, then the echoes of the three creates, and Øresund AB once
                                       // more, stamped with the link to the organisation made from it
            assertThat(value(scrape, "crmsync_records_skipped_total", "flow", "organisations", "side", "webcrm"))
                    .isEqualTo(4.0);   // the re-read three, and Øresund AB: the copy its create read back matches
            assertThat(value(scrape, "crmsync_records_skipped_total", "flow", "organisations", "side", "customcrm"))
                    .isEqualTo(3.0);   // the echoes
            assertThat(value(scrape, "crmsync_records_written_total",
                    "flow", "organisations", "side", "customcrm", "kind", "create")).isEqualTo(3.0);
            assertThat(value(scrape, "crmsync_records_written_total",
                    "flow", "organisations", "side", "webcrm", "kind", "create")).isEqualTo(1.0);
            assertThat(value(scrape, "crmsync_records_written_total",
                    "flow", "persons", "side", "webcrm", "kind", "create")).isEqualTo(0.0);
            // and the refused contact is a dead letter, counted and shown by the gauge
            assertThat(value(scrape, "crmsync_dead_letters_total", "flow", "persons", "side", "webcrm"))
                    .isEqualTo(1.0);
            assertThat(value(scrape, "crmsync_dead_letters_current", "flow", "persons")).isEqualTo(1.0);
            assertThat(value(scrape, "crmsync_dead_letters_current", "flow", "organisations")).isEqualTo(0.0);
            // and the lag and cycle time are histograms and timers
            assertThat(value(scrape, "crmsync_sync_lag_seconds_count", "flow", "organisations", "side", "customcrm"))
                    .isEqualTo(3.0);
            assertThat(value(scrape, "crmsync_sync_lag_seconds_bucket", "flow", "organisations", "side", "customcrm",
                    "le", "1.0")).isEqualTo(3.0);   // no time passes on the test's clock between read and write
            assertThat(value(scrape, "crmsync_cycle_duration_seconds_count", "flows",
                    "organisations,persons,products")).isGreaterThanOrEqualTo(2.0);
            // and the HTTP calls per system and status
            assertThat(value(scrape, "crmsync_api_calls_total", "system", "webcrm", "status", "200"))
                    .isGreaterThan(0.0);
            assertThat(value(scrape, "crmsync_api_calls_total", "system", "customcrm", "status", "200"))
                    .isGreaterThan(0.0);
            assertThat(scrape).doesNotContain("crmsync_api_throttled_total");
        }
    }

    @Test
    void shouldCountThe429sOfABurstAndShowWebcrmsPaceBudget() {
        try (SyncHarness harness = SyncHarness.empty(); CrmsyncMeters meters = CrmsyncMeters.create()) {
            // Given an organisation on each side, and a burst of 429s from each system
            harness.webcrm.createAsUser(WebcrmEntity.ORGANISATION, Map.of("OrganisationName", "Fynsk A/S"));
            String customer = harness.customcrm.createAsUser(RecordType.CUSTOMER, Map.of("name", "Øresund AB"))
                    .path("id").asString();
            harness.webcrm.faults().failNext(3, 429, Duration.ofSeconds(5));
            harness.customcrm.faults().failNext(2, 429, Duration.ofSeconds(2));

            // When
            SyncMetricsScenarioTest.sync(harness, SYNC, meters.syncMetrics(), meters.httpObserver());
            String scrape = meters.scrape();

            // Then every 429 is counted, as throttled and as a call answered 429, and the sync still went through
            assertThat(value(scrape, "crmsync_api_throttled_total", "system", "webcrm")).isEqualTo(3.0);
            assertThat(value(scrape, "crmsync_api_throttled_total", "system", "customcrm")).isEqualTo(2.0);
            assertThat(value(scrape, "crmsync_api_calls_total", "system", "webcrm", "status", "429")).isEqualTo(3.0);
            assertThat(value(scrape, "crmsync_api_calls_total", "system", "customcrm", "status", "429"))
                    .isEqualTo(2.0);
            assertThat(harness.link(Flow.ORGANISATIONS, Side.CUSTOMCRM, customer).map(Link::webcrmId)).isPresent();
            // and Customcrm's two Retry-After: 2 fell between reading Fynsk A/S from webCRM and creating it there
            assertThat(value(scrape, "crmsync_sync_lag_seconds_bucket", "flow", "organisations", "side", "customcrm",
                    "le", "1.0")).isEqualTo(0.0);
            assertThat(value(scrape, "crmsync_sync_lag_seconds_bucket", "flow", "organisations", "side", "customcrm",
                    "le", "5.0")).isEqualTo(1.0);
            assertThat(value(scrape, "crmsync_sync_lag_seconds_sum", "flow", "organisations", "side", "customcrm"))
                    .isEqualTo(4.0);
            // and webCRM's budget is its configured pace less the requests of the last minute; Customcrm, which
            // crmsync does not pace, has none
            double calls = parse(scrape).stream()
                    .filter(s -> s.name().equals("crmsync_api_calls_total") && "webcrm".equals(s.labels().get("system")))
                    .mapToDouble(Sample::value).sum();
            assertThat(value(scrape, "crmsync_api_budget_limit", "system", "webcrm")).isEqualTo(240.0);
            assertThat(value(scrape, "crmsync_api_budget_remaining", "system", "webcrm"))
                    .isLessThan(240.0).isGreaterThanOrEqualTo(240.0 - calls);
            assertThat(scrape).doesNotContain("crmsync_api_budget_remaining{system=\"customcrm\"}");
        }
    }

    @Test
    void shouldExposeTheJvmMeters() {
        try (CrmsyncMeters meters = CrmsyncMeters.create()) {
            // When
            List<String> names = parse(meters.scrape()).stream().map(Sample::name).distinct().toList();

            // Then memory, garbage collection, threads, class loading, processor and uptime are there
            assertThat(names).contains("jvm_memory_used_bytes", "jvm_gc_memory_allocated_bytes_total",
                    "jvm_threads_live_threads", "jvm_classes_loaded_classes", "system_cpu_count",
                    "process_uptime_seconds");
            assertThat(names).allMatch(Objects::nonNull);
        }
    }
}
