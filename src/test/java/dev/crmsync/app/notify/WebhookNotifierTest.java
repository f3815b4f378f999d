package dev.crmsync.app.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import dev.crmsync.adapters.http.RetryPolicy;
import dev.crmsync.adapters.http.Sleeper;
import dev.crmsync.app.config.NotifySettings;
import dev.crmsync.app.service.CycleResult;
import dev.crmsync.model.Flow;
import dev.crmsync.model.Secret;
import dev.crmsync.testing.Backoffs;
import dev.crmsync.testing.CapturedLogs;
import dev.crmsync.testing.HookReceiver;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The notifier POSTs each event to a real receiver, tries again through the retry policy, and never leaks. */
class WebhookNotifierTest {

    private static final String SECRET_PATH = "/hooks/T0001/B0001/s3cr3t-webhook-path";
    private static final AlertEvent FAILING = new AlertEvent(AlertEvent.Kind.FAILING, Flow.PERSONS,
            Instant.parse("2025-03-01T10:05:00Z"), Instant.parse("2025-03-01T10:05:00Z"), CycleResult.OK,
            "Customcrm answered HTTP 500", 2, 0);

    private final HookReceiver receiver = new HookReceiver();
    private final List<Duration> pauses = new CopyOnWriteArrayList<>();
    private final Sleeper recording = pauses::add;
    private final CapturedLogs logs = new CapturedLogs();

    @AfterEach
    void stop() {
        logs.close();
        receiver.close();
    }

    @Test
    void shouldPostTheEventAsJsonWithTheConfiguredHeaders() {
        try (WebhookNotifier notifier = notifier(receiver.url(SECRET_PATH), 3)) {
            notifier.accept(FAILING);

            await().atMost(Duration.ofSeconds(10)).until(() -> receiver.deliveries(SECRET_PATH).size() == 1);
            HookReceiver.Delivery delivery = receiver.deliveries(SECRET_PATH).getFirst();
            assertThat(delivery.header("Authorization")).isEqualTo("Bearer notify-secret");
            assertThat(delivery.header("Content-Type")).startsWith("application/json");
            JsonNode body = JsonMapper.builder().build().readTree(delivery.body());
            assertThat(body.path("source").asString()).isEqualTo("crmsync");
            assertThat(body.path("event").asString()).isEqualTo("failing");
            assertThat(body.path("flow").asString()).isEqualTo("persons");
            assertThat(body.path("title").asString()).isEqualTo("webCRM Persons ↔ Customcrm Contacts");
            assertThat(body.path("at").asString()).isEqualTo("2025-03-01T10:05:00Z");
            assertThat(body.path("previous").asString()).isEqualTo("ok");
            assertThat(body.path("detail").asString()).isEqualTo("Customcrm answered HTTP 500");
            assertThat(body.path("deadLetters").asLong()).isEqualTo(2);
            assertThat(body.path("deadLetterThreshold").isNull()).isTrue();
            assertThat(body.path("text").asString())
                    .isEqualTo("crmsync: webCRM Persons ↔ Customcrm Contacts is failing: Customcrm answered HTTP 500");
            assertThat(pauses).isEmpty();
        }
    }

    @Test
    void shouldTryAReceiverThatAnswers503AsOftenAsConfiguredThenWarnNamingItWithoutItsSecrets() {
        // Given a receiver that is down for maintenance
        receiver.answerWith(503);
        try (WebhookNotifier notifier = notifier(receiver.url(SECRET_PATH), 3)) {
            // When
            notifier.accept(FAILING);

            // Then it is tried three times with the retry policy's pauses, and one warning names it
            ILoggingEvent warning = await().atMost(Duration.ofSeconds(10)).until(this::warning, w -> w != null);
            assertThat(receiver.deliveries(SECRET_PATH)).hasSize(3);
            Backoffs.assertJittered(pauses, Duration.ofSeconds(1), Duration.ofSeconds(2));
            String line = CapturedLogs.text(warning);
            assertThat(line).contains("url=\"" + receiver.url("/").replaceAll("/$", "") + "/…\"")
                    .contains("failed after 3 attempts: answered HTTP 503");
            assertNoSecretLogged();
        }
    }

    @Test
    void shouldNotTryAgainWhenTheReceiverRefusesTheEvent() {
        receiver.answerWith(400);
        try (WebhookNotifier notifier = notifier(receiver.url(SECRET_PATH), 3)) {
            notifier.accept(FAILING);

            ILoggingEvent warning = await().atMost(Duration.ofSeconds(10)).until(this::warning, w -> w != null);
            assertThat(receiver.deliveries(SECRET_PATH)).hasSize(1);
            assertThat(pauses).isEmpty();
            assertThat(warning.getKeyValuePairs().toString()).contains("refused with HTTP 400");
        }
    }

    @Test
    void shouldWarnAboutAReceiverThatIsNotThereWithoutHoldingUpTheCaller() {
        // Given a receiver that has gone away
        String url = receiver.url(SECRET_PATH);
        receiver.close();
        try (WebhookNotifier notifier = notifier(url, 2)) {
            // When the sync hands it an event, the call returns at once (the sending is the notifier's own thread)
            notifier.accept(FAILING);

            // Then a warning names the receiver by scheme and host only
            ILoggingEvent warning = await().atMost(Duration.ofSeconds(10)).until(this::warning, w -> w != null);
            assertThat(warning.getKeyValuePairs().toString()).contains("no connection");
            assertThat(pauses).hasSize(1);
            assertNoSecretLogged();
        }
    }

    private WebhookNotifier notifier(String url, int attempts) {
        NotifySettings settings = new NotifySettings(URI.create(url),
                Map.of("Authorization", new Secret("Bearer notify-secret")), Duration.ofSeconds(5),
                new RetryPolicy.Settings(attempts, Duration.ofSeconds(1), Duration.ofSeconds(30),
                        NotifySettings.MAX_RETRY_AFTER), 0);
        return new WebhookNotifier(settings, recording, InstantSource.system());
    }

    private ILoggingEvent warning() {
        return logs.first(Level.WARN, "notification").orElse(null);
    }

    private void assertNoSecretLogged() {
        assertThat(logs.lines()).isNotEmpty().allSatisfy(event -> assertThat(CapturedLogs.text(event))
                .doesNotContain("s3cr3t").doesNotContain("notify-secret"));
    }
}
