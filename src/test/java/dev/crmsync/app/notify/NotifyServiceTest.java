package dev.crmsync.app.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import dev.crmsync.app.simulate.FaultSettings;
import dev.crmsync.app.simulate.webcrm.WebcrmEntity;
import dev.crmsync.testing.CapturedLogs;
import dev.crmsync.testing.HookReceiver;
import dev.crmsync.testing.ServiceHarness;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code crmsync run} with a {@code notify:} section, against a local receiver: a flow made to fail by the
 * simulator's fault injection is reported once when it starts failing and once when it recovers, dead letters
 * once they reach the threshold, and a receiver that is down costs a warning and nothing else.
 */
class NotifyServiceTest {

    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final String PATH = "/alerts/s3cr3t";
    /** Quick retries and a short circuit, so that a failing turn ends within a second and recovers soon after. */
    private static final String SYSTEMS = "retry-attempts: 2, retry-backoff: 50ms, retry-max-backoff: 100ms, circuit-open: 1s";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void shouldNotifyOnceWhenAFlowStartsFailingAndOnceWhenItRecovers() {
        try (HookReceiver receiver = new HookReceiver();
             ServiceHarness harness = ServiceHarness.start(notify(receiver.url(PATH), ""), SYSTEMS)) {
            // Given the flows synced once: nothing to report
            await().atMost(PATIENCE).until(() -> cycles(harness, "organisations", "ok") >= 1);
            assertThat(receiver.deliveries(PATH)).isEmpty();

            // When webCRM answers every request with a 500, for several turns
            harness.webcrm().faults().settings(new FaultSettings(Duration.ZERO, 1.0, 0, 0));
            await().atMost(PATIENCE).until(() -> cycles(harness, "organisations", "failed") >= 3);

            // Then the receiver heard once that organisations is failing, with the header and the reason
            await().atMost(PATIENCE).until(() -> !events(receiver, "organisations").isEmpty());
            List<JsonNode> failing = events(receiver, "organisations");
            assertThat(failing).extracting(e -> e.path("event").asString()).containsExactly("failing");
            assertThat(failing.getFirst().path("detail").asString()).contains("500");
            assertThat(failing.getFirst().path("previous").asString()).isEqualTo("ok");
            assertThat(receiver.deliveries(PATH).getFirst().header("X-Notify-Key")).isEqualTo("notify-key-123");

            // When webCRM answers again
            harness.webcrm().faults().reset();

            // Then the receiver hears once that it recovered, and since when it had failed
            await().atMost(PATIENCE).until(() -> events(receiver, "organisations").size() == 2);
            List<JsonNode> events = events(receiver, "organisations");
            assertThat(events).extracting(e -> e.path("event").asString()).containsExactly("failing", "recovered");
            assertThat(events.get(1).path("since").asString()).isEqualTo(events.get(0).path("at").asString());
            await().atMost(PATIENCE).until(() -> cycles(harness, "organisations", "ok") >= 2
                    && harness.status().path("flows").get(0).path("lastResult").asString().equals("ok"));
            assertThat(events(receiver, "organisations")).hasSize(2);
        }
    }

    @Test
    void shouldNotifyWhenAFlowsDeadLettersReachTheThreshold() {
        try (HookReceiver receiver = new HookReceiver();
             ServiceHarness harness = ServiceHarness.start(notify(receiver.url(PATH), ", dead-letter-threshold: 1"),
                     SYSTEMS)) {
            await().atMost(PATIENCE).until(() -> harness.status().path("flows").get(0).path("links").asInt() > 0);
            JsonNode link = harness.api("GET", "/api/links?flow=organisations", null).json().path("items").get(0);

            // When Customcrm refuses every write and a webCRM user edits a linked organisation
            harness.customcrm().faults().failWrites(422);
            harness.webcrm().editAsUser(WebcrmEntity.ORGANISATION, Integer.parseInt(link.path("webcrmId").asString()),
                    Map.of("OrganisationName", "Refused ApS"));

            // Then the receiver hears that organisations has a dead letter
            await().atMost(PATIENCE).until(() -> events(receiver, "organisations").stream()
                    .anyMatch(e -> e.path("event").asString().equals("dead-letters")));
            JsonNode event = events(receiver, "organisations").stream()
                    .filter(e -> e.path("event").asString().equals("dead-letters")).findFirst().orElseThrow();
            assertThat(event.path("deadLetters").asLong()).isEqualTo(1);
            assertThat(event.path("deadLetterThreshold").asInt()).isEqualTo(1);
        }
    }

    @Test
    void shouldWarnAboutAReceiverThatIsDownAndSyncAsIfNothingHappened() {
        HookReceiver gone = new HookReceiver();
        String url = gone.url(PATH);
        gone.close();
        try (CapturedLogs logs = new CapturedLogs();
             ServiceHarness harness = ServiceHarness.start(notify(url, ""), SYSTEMS)) {
            await().atMost(PATIENCE).until(() -> cycles(harness, "organisations", "ok") >= 1);

            // When a flow starts failing, and its event cannot be delivered
            harness.webcrm().faults().settings(new FaultSettings(Duration.ZERO, 1.0, 0, 0));
            ILoggingEvent warning = await().atMost(PATIENCE).until(() -> logs.first(Level.WARN, "notification")
                    .orElse(null), w -> w != null);

            // Then a warning names the receiver without its secret path, and the flows go on once webCRM is back
            assertThat(warning.getKeyValuePairs().toString()).contains(url.substring(0, url.indexOf("/alerts")) + "/…");
            harness.webcrm().faults().reset();
            double okBefore = cycles(harness, "organisations", "ok");
            await().atMost(PATIENCE).until(() -> cycles(harness, "organisations", "ok") > okBefore);
            assertThat(logs.lines()).allSatisfy(e -> assertThat(CapturedLogs.text(e))
                    .doesNotContain("s3cr3t").doesNotContain("notify-key-123"));
        }
    }

    private static String notify(String url, String more) {
        return "notify: { url: \"" + url + "\", headers: { X-Notify-Key: notify-key-123 }, retry-attempts: 2, "
                + "retry-backoff: 50ms" + more + " }\n";
    }

    private static List<JsonNode> events(HookReceiver receiver, String flow) {
        return receiver.deliveries(PATH).stream().map(d -> JSON.readTree(d.body()))
                .filter(e -> e.path("flow").asString().equals(flow)).toList();
    }

    /** The value of {@code crmsync_cycles_total{flow,result}}. */
    static double cycles(ServiceHarness harness, String flow, String result) {
        return harness.metric("crmsync_cycles_total", "flow=\"" + flow + "\"", "result=\"" + result + "\"");
    }
}
