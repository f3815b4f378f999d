package dev.crmsync.app.service.hooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.crmsync.adapters.customcrm.CustomcrmConnector;
import dev.crmsync.adapters.customcrm.CustomcrmSettings;
import dev.crmsync.adapters.webcrm.WebcrmConnector;
import dev.crmsync.adapters.webcrm.WebcrmSettings;
import dev.crmsync.app.simulate.SeedPlan;
import dev.crmsync.app.simulate.SimulatorJson;
import dev.crmsync.app.simulate.customcrm.CustomcrmSimulator;
import dev.crmsync.app.simulate.customcrm.RecordType;
import dev.crmsync.app.simulate.webcrm.WebcrmEntity;
import dev.crmsync.app.simulate.webcrm.WebcrmSimulator;
import dev.crmsync.model.Flow;
import dev.crmsync.model.Secret;
import dev.crmsync.model.Side;
import dev.crmsync.testing.MutableClock;
import dev.crmsync.testing.RecordingProxy;
import io.javalin.Javalin;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/**
 * The change hooks end to end: both simulators, the real connectors, and the hooks' routes on a real server. A
 * change in a simulator must reach the hint of the right flow; a delivery with a wrong key, a bad signature or a
 * stale time must reach none.
 */
class ChangeHooksTest {

    private static final String TOKEN = "change-hooks-token";
    private static final String API_KEY = "change-hooks-key";
    private static final Instant START = Instant.parse("2025-06-15T10:00:00Z");
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final Map<Flow, String> STAMPS = Map.of(Flow.ORGANISATIONS, "OrganisationCustom5",
            Flow.PERSONS, "PersonCustom5", Flow.PRODUCTS, "ProductCustom5");

    private final MutableClock simClock = new MutableClock(START);
    private final MutableClock serviceClock = new MutableClock(START);
    private final List<Flow> hints = new CopyOnWriteArrayList<>();
    private final List<Flow> deleteHints = new CopyOnWriteArrayList<>();
    private final List<Side> counted = new CopyOnWriteArrayList<>();
    private final HttpClient http = HttpClient.newHttpClient();
    private WebcrmSimulator webcrmSim;
    private CustomcrmSimulator customcrmSim;
    private WebcrmConnector webcrm;
    private CustomcrmConnector customcrm;
    private RecordingProxy proxy;
    private String publicUrl;
    private ChangeHooks hooks;
    private Javalin server;

    @BeforeEach
    void start() throws IOException {
        webcrmSim = WebcrmSimulator.builder().token(TOKEN).clock(simClock).seedPlan(new SeedPlan(0, 2, 2, 2)).build()
                .start("127.0.0.1", 0);
        customcrmSim = CustomcrmSimulator.builder().apiKey(API_KEY).clock(simClock)
                .seedPlan(new SeedPlan(0, 2, 2, 0)).build().start("127.0.0.1", 0);
        webcrm = new WebcrmConnector(new WebcrmSettings(URI.create(webcrmSim.baseUrl()), new Secret(TOKEN),
                ZoneId.of("Europe/Copenhagen"), Duration.ofHours(1), 100, 250, Duration.ofSeconds(10)), STAMPS,
                simClock, simClock::advance);
        customcrm = customcrmConnector(API_KEY);
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        // The systems reach the hooks through a proxy that writes every delivery down, as an eavesdropper could.
        proxy = new RecordingProxy("http://127.0.0.1:" + port);
        publicUrl = proxy.url().toString();
        hooks = hooks(customcrm);
        server = Javalin.create(cfg -> {
            cfg.startup.showJavalinBanner = false;
            cfg.startup.showOldJavalinVersionWarning = false;
            hooks.install(cfg);
        }).start("127.0.0.1", port);
    }

    @AfterEach
    void stop() {
        hooks.stop();
        proxy.close();
        server.stop();
        webcrm.close();
        customcrm.close();
        webcrmSim.stop();
        customcrmSim.stop();
        http.close();
    }

    @Test
    void shouldHintTheFlowThatAChangeOnEitherSystemNames() throws Exception {
        // Given the hooks registered on both systems, with every log line caught
        ListAppender<ILoggingEvent> logs = catchLogs();
        try {
            hooks.start();
            changesOnBothSystems();

            // And the key webCRM was given appears in no log line
            String targetUrl = webcrmHookUrls().getFirst();
            String key = targetUrl.substring(targetUrl.lastIndexOf('/') + 1);
            assertThat(key).hasSizeGreaterThan(30);
            assertThat(logs.list).isNotEmpty().allSatisfy(event -> assertThat(event.getFormattedMessage()
                    + event.getKeyValuePairs()).doesNotContain(key));
        } finally {
            stopCatching(logs);
        }
    }

    private void changesOnBothSystems() {
        assertThat(hooks.isRegistered(Side.WEBCRM)).isTrue();
        assertThat(hooks.isRegistered(Side.CUSTOMCRM)).isTrue();
        assertThat(hooks.problem(Side.WEBCRM)).isEmpty();

        // When a user edits a webCRM person
        webcrmSim.editAsUser(WebcrmEntity.PERSON, 1, Map.of("PersonTitle", "CFO"));

        // Then the persons flow is hinted
        await().atMost(WAIT).until(() -> hints.size() == 1);
        assertThat(hints).containsExactly(Flow.PERSONS);

        // When a Customcrm customer is edited
        customcrmSim.editAsUser(RecordType.CUSTOMER, "cus_1", Map.of("phone", "+45 1"));

        // Then the organisations flow is hinted
        await().atMost(WAIT).until(() -> hints.size() == 2);
        assertThat(hints).containsExactly(Flow.PERSONS, Flow.ORGANISATIONS);

        // When a webCRM product is deleted
        webcrmSim.deleteAsUser(WebcrmEntity.PRODUCT, 1);

        // Then the products flow gets the delete hint, which can reconcile
        await().atMost(WAIT).until(() -> deleteHints.size() == 1);
        assertThat(deleteHints).containsExactly(Flow.PRODUCTS);
        assertThat(hints).hasSize(2);
        assertThat(hooks.received(Side.WEBCRM)).isEqualTo(2);
        assertThat(hooks.received(Side.CUSTOMCRM)).isEqualTo(1);
        assertThat(counted).containsExactlyInAnyOrder(Side.WEBCRM, Side.CUSTOMCRM, Side.WEBCRM);
    }

    @Test
    void shouldRefuseAWebcrmDeliveryWithAWrongKeyAndHintNothing() throws Exception {
        // Given
        hooks.start();

        // When
        HttpResponse<String> answer = post("/hooks/webcrm/not-the-key",
                "{\"EventType\":\"Update\",\"Entity\":\"Organisation\",\"Id\":1}", Map.of());

        // Then
        assertThat(answer.statusCode()).isEqualTo(404);
        assertThat(hooks.refused(Side.WEBCRM)).isEqualTo(1);
        assertThat(hooks.received(Side.WEBCRM)).isZero();
        assertThat(hints).isEmpty();
    }

    @Test
    void shouldRefuseACustomcrmDeliveryWithABadSignatureAndHintNothing() throws Exception {
        // Given
        hooks.start();
        String body = "{\"type\":\"customers\",\"id\":\"cus_1\",\"event\":\"updated\",\"version\":2,"
                + "\"occurred_at\":\"2025-06-15T10:00:00.000Z\"}";

        // When one delivery is signed with a made-up signature and one is not signed at all
        HttpResponse<String> forged = post("/hooks/customcrm", body, Map.of("Customcrm-Signature",
                "t=" + START.getEpochSecond() + ",v1=" + "ab".repeat(32)));
        HttpResponse<String> unsigned = post("/hooks/customcrm", body, Map.of());

        // Then
        assertThat(forged.statusCode()).isEqualTo(401);
        assertThat(forged.body()).isEqualTo("signature does not match");
        assertThat(unsigned.statusCode()).isEqualTo(401);
        assertThat(unsigned.body()).contains("missing Customcrm-Signature");
        assertThat(hooks.refused(Side.CUSTOMCRM)).isEqualTo(2);
        assertThat(hints).isEmpty();
    }

    @Test
    void shouldRefuseAGenuineCustomcrmDeliveryThatIsTooOld() {
        // Given the service's clock six minutes ahead of Customcrm's
        hooks.start();
        serviceClock.advance(Duration.ofMinutes(6));

        // When Customcrm sends a genuine, signed delivery
        customcrmSim.editAsUser(RecordType.CONTACT, "con_1", Map.of("job_title", "CFO"));

        // Then it is refused as stale, and nothing is hinted
        await().atMost(WAIT).until(() -> hooks.refused(Side.CUSTOMCRM) == 1);
        assertThat(hooks.received(Side.CUSTOMCRM)).isZero();
        assertThat(hints).isEmpty();
    }

    @Test
    void shouldRefuseAGenuineCustomcrmDeliverySentAgainWhileItsSignatureIsFresh() throws Exception {
        // Regression (issue 11): a recorded delivery sent again within the signature's five minutes was accepted.
        // Given a genuine delivery, accepted, and recorded on its way
        hooks.start();
        customcrmSim.editAsUser(RecordType.CUSTOMER, "cus_1", Map.of("phone", "+45 2"));
        await().atMost(WAIT).until(() -> hooks.received(Side.CUSTOMCRM) == 1);
        RecordingProxy.Exchange delivery = proxy.exchanges().stream()
                .filter(e -> e.path().equals(ChangeHooks.CUSTOMCRM_ROUTE)).findFirst().orElseThrow();
        Map<String, String> signature = Map.of("Customcrm-Signature",
                delivery.requestHeaders().get("customcrm-signature").getFirst());

        // When the copy is sent again a minute later, its signature still fresh
        serviceClock.advance(Duration.ofMinutes(1));
        HttpResponse<String> replayed = post(ChangeHooks.CUSTOMCRM_ROUTE, delivery.requestBody(), signature);

        // Then it is refused, and hints nothing
        assertThat(replayed.statusCode()).isEqualTo(409);
        assertThat(replayed.body()).isEqualTo("this delivery was received already");
        assertThat(hooks.received(Side.CUSTOMCRM)).isEqualTo(1);
        assertThat(hooks.refused(Side.CUSTOMCRM)).isEqualTo(1);
        assertThat(hints).containsExactly(Flow.ORGANISATIONS);

        // When the same record changes again, with the clocks together
        simClock.advance(Duration.ofMinutes(1));
        customcrmSim.editAsUser(RecordType.CUSTOMER, "cus_1", Map.of("phone", "+45 3"));

        // Then that change is a delivery of its own, and accepted
        await().atMost(WAIT).until(() -> hooks.received(Side.CUSTOMCRM) == 2);
        assertThat(hints).containsExactly(Flow.ORGANISATIONS, Flow.ORGANISATIONS);

        // And once the five minutes are over, the first copy is refused for its time
        serviceClock.advance(Duration.ofMinutes(5));
        HttpResponse<String> stale = post(ChangeHooks.CUSTOMCRM_ROUTE, delivery.requestBody(), signature);
        assertThat(stale.statusCode()).isEqualTo(401);
        assertThat(stale.body()).startsWith("timestamp outside the 5-minute window");
    }

    @Test
    void shouldReplaceWhatACrashedStartLeftAndRemoveEverythingOnStop() throws Exception {
        // Given a start that never stopped
        hooks(customcrm).start();

        // When a new start registers, then stops
        hooks.start();
        int webcrmHooks = webcrmHookUrls().size();
        int subscriptions = customcrmSubscriptionUrls().size();
        hooks.stop();

        // Then only this start's hooks were there (three event types for each of three flows, one subscription),
        // and none is left
        assertThat(webcrmHooks).isEqualTo(9);
        assertThat(subscriptions).isEqualTo(1);
        assertThat(webcrmHookUrls()).isEmpty();
        assertThat(customcrmSubscriptionUrls()).isEmpty();
        assertThat(post("/hooks/customcrm", "{}", Map.of("Customcrm-Signature", "t=1,v1=" + "0".repeat(64)))
                .body()).isEqualTo("no webhook subscription is active");
        assertThat(hooks.isStarted()).isFalse();
    }

    @Test
    void shouldReportARegistrationThatFailsAndStillRegisterTheOtherSystem() {
        // Given a Customcrm that refuses the API key
        CustomcrmConnector refused = customcrmConnector("wrong-key");
        ChangeHooks partly = hooks(refused);

        // When
        partly.start();

        // Then
        assertThat(partly.isRegistered(Side.WEBCRM)).isTrue();
        assertThat(partly.isRegistered(Side.CUSTOMCRM)).isFalse();
        assertThat(partly.problem(Side.CUSTOMCRM)).hasValueSatisfying(p -> assertThat(p).contains("API key"));
        partly.stop();
        refused.close();
    }

    private ChangeHooks hooks(CustomcrmConnector customcrmSide) {
        return ChangeHooks.builder().publicUrl(URI.create(publicUrl + "/")).webcrm(webcrm).customcrm(customcrmSide)
                .hint(hints::add).deleteHint(deleteHints::add).onReceived(counted::add).clock(serviceClock).build();
    }

    private CustomcrmConnector customcrmConnector(String key) {
        return new CustomcrmConnector(new CustomcrmSettings(URI.create(customcrmSim.baseUrl()), new Secret(key), 100,
                Duration.ofSeconds(10)), simClock, simClock::advance);
    }

    private HttpResponse<String> post(String path, String body, Map<String, String> headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(publicUrl + path))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(request::header);
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private List<String> webcrmHookUrls() throws Exception {
        String login = http.send(HttpRequest.newBuilder(URI.create(webcrmSim.baseUrl() + "/Auth/ApiLogin"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("authCode=" + TOKEN)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        String access = SimulatorJson.mapper().readTree(login).path("AccessToken").asString();
        List<String> urls = new ArrayList<>();
        for (Flow flow : Flow.values()) {
            JsonNode list = SimulatorJson.mapper().readTree(http.send(HttpRequest.newBuilder(
                    URI.create(webcrmSim.baseUrl() + "/" + flow.webcrmCollection() + "/Hooks"))
                    .header("Authorization", "Bearer " + access).build(), HttpResponse.BodyHandlers.ofString()).body());
            list.forEach(hook -> urls.add(hook.path("TargetUrl").asString()));
        }
        return urls;
    }

    private List<String> customcrmSubscriptionUrls() throws Exception {
        JsonNode list = SimulatorJson.mapper().readTree(http.send(HttpRequest.newBuilder(
                URI.create(customcrmSim.baseUrl() + "/webhooks")).header("Authorization", "Bearer " + API_KEY).build(),
                HttpResponse.BodyHandlers.ofString()).body());
        List<String> urls = new ArrayList<>();
        list.path("items").forEach(s -> urls.add(s.path("url").asString()));
        return urls;
    }

    private static ListAppender<ILoggingEvent> catchLogs() {
        Logger logger = (Logger) LoggerFactory.getLogger("dev.crmsync");
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        logger.addAppender(appender);
        logger.setLevel(Level.DEBUG);
        return appender;
    }

    private static void stopCatching(ListAppender<ILoggingEvent> appender) {
        Logger logger = (Logger) LoggerFactory.getLogger("dev.crmsync");
        logger.detachAppender(appender);
        logger.setLevel(null);
    }
}
