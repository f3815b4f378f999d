package dev.crmsync.app.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.crmsync.app.api.ManagementApi;
import dev.crmsync.app.simulate.SeedPlan;
import dev.crmsync.app.simulate.SimulatorJson;
import dev.crmsync.app.simulate.customcrm.CustomcrmSimulator;
import dev.crmsync.app.simulate.customcrm.RecordType;
import dev.crmsync.app.simulate.webcrm.WebcrmEntity;
import dev.crmsync.app.simulate.webcrm.WebcrmSimulator;
import dev.crmsync.testing.CrmsyncProcess;
import dev.crmsync.testing.RecordingProxy;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Issue 11, deliverable 7: no secret in any log line, error, page or API answer, shown end to end. {@code crmsync
 * run} runs as its own process with the product's logging at DEBUG, in text and in JSON, its secrets given in the
 * environment only, against both simulators behind recording proxies (which is how the test learns the secrets
 * crmsync is handed or makes at run time: webCRM's access and refresh tokens, the webhook secret, the hook key).
 * The test drives syncs both ways, change hooks, a webCRM token that stops being accepted, refused and failing
 * writes, wrong service tokens, a sign-in with a malformed body, every route of the management API's contract,
 * the dashboard's pages, and {@code crmsync check} with wrong credentials at systems that echo them; then it
 * searches every log line and every answer for every secret.
 */
class SecretsEndToEndTest {

    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final YAMLMapper YAML = YAMLMapper.builder().build();

    private final SecureRandom random = new SecureRandom();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final SecretSearch search = new SecretSearch();

    @ParameterizedTest(name = "log format {0}")
    @ValueSource(strings = {"json", "text"})
    void shouldShowNoSecretInAnyLogLineOrAnswer(String format, @TempDir Path dir) throws Exception {
        // Given distinctive secrets, read by crmsync from its environment only
        String webcrmToken = distinctive("wcapp");
        String customcrmKey = distinctive("cckey");
        String serviceToken = distinctive("svctok");
        search.secret("webCRM application token", webcrmToken);
        search.secret("Customcrm API key", customcrmKey);
        search.secret("service token", serviceToken);
        // And a webCRM whose clock the test can move ahead, so that the access token crmsync holds expires there
        AtomicReference<Duration> webcrmAhead = new AtomicReference<>(Duration.ZERO);
        InstantSource webcrmClock = () -> Instant.now().plus(webcrmAhead.get());
        try (WebcrmSimulator webcrm = WebcrmSimulator.builder().token(webcrmToken).seed(5).clock(webcrmClock)
                .seedPlan(new SeedPlan(0, 3, 4, 2)).build().start("127.0.0.1", 0);
             CustomcrmSimulator customcrm = CustomcrmSimulator.builder().apiKey(customcrmKey).seed(5)
                     .seedPlan(new SeedPlan(1, 3, 4, 2)).database(dir.resolve("customcrm.db")).build()
                     .start("127.0.0.1", 0);
             RecordingProxy webcrmProxy = new RecordingProxy(webcrm.baseUrl());
             RecordingProxy customcrmProxy = new RecordingProxy(customcrm.baseUrl())) {
            int port = freePort();
            Path config = dir.resolve("crmsync.yaml");
            Files.writeString(config, """
                    webcrm:    { url: %s, token: ${WEBCRM_TOKEN} }
                    customcrm: { url: %s, api-key: ${CUSTOMCRM_API_KEY} }
                    store:     { url: "jdbc:sqlite:crmsync.db" }
                    server:    { port: %d, token: ${CRMSYNC_TOKEN}, public-url: "http://127.0.0.1:%d" }
                    sync:      { interval: 1s, reconcile-interval: 5s }
                    """.formatted(webcrmProxy.url(), customcrmProxy.url(), port, port));
            Map<String, String> env = Map.of("WEBCRM_TOKEN", webcrmToken, "CUSTOMCRM_API_KEY", customcrmKey,
                    "CRMSYNC_TOKEN", serviceToken, "CRMSYNC_LOG_FORMAT", format, "CRMSYNC_LOG_LEVEL", "DEBUG");
            Api api;
            List<String> runErr;
            List<String> runOut;
            try (CrmsyncProcess run = CrmsyncProcess.start(dir.resolve("run.err"), env, "run", "--config",
                    config.toString())) {
                try {
                    String url = await().atMost(PATIENCE).until(run::dashboardUrl, u -> u != null);
                    api = new Api(url.endsWith("/") ? url.substring(0, url.length() - 1) : url, serviceToken);
                    awaitFirstCycles(api);

                    // When records change on both sides and their changes are carried, by poll or hook
                    syncsBothWays(webcrm, customcrm, api);
                    // And webCRM stops accepting the access token crmsync holds, so crmsync logs in again
                    webcrmAhead.set(Duration.ofHours(2));
                    int afterExpiry = webcrm.createAsUser(WebcrmEntity.ORGANISATION,
                            Map.of("OrganisationName", "After The Expiry A/S"));
                    await().atMost(PATIENCE).until(() -> api.linkNamed("After The Expiry A/S") != null);
                    // And writes fail: refused for good (dead letters) and for a passing reason
                    String deadLetter = deadLetterAndFailingWrites(webcrm, customcrm, api);
                    // And strangers call the hooks and the API with wrong or no credentials
                    strangers(api, serviceToken);
                    // And a person uses every route of the API and the dashboard
                    everyRoute(api, afterExpiry, deadLetter, serviceToken);
                } finally {
                    run.terminate();
                }
                assertThat(run.waitFor(PATIENCE)).as("exit status of the run").isZero();
                runErr = run.err();
                runOut = run.out();
            }
            // And someone runs the preflight with wrong credentials at systems that echo what they were sent
            String wrongWebcrmToken = distinctive("wcwrong");
            String wrongCustomcrmKey = distinctive("ccwrong");
            search.secret("a wrong webCRM application token", wrongWebcrmToken);
            search.secret("a wrong Customcrm API key", wrongCustomcrmKey);
            echoCredentials(webcrmProxy, customcrmProxy, wrongWebcrmToken, wrongCustomcrmKey);
            List<String> checkLines;
            try (CrmsyncProcess check = CrmsyncProcess.start(dir.resolve("check.err"), Map.of(
                    "WEBCRM_TOKEN", wrongWebcrmToken, "CUSTOMCRM_API_KEY", wrongCustomcrmKey,
                    "CRMSYNC_TOKEN", serviceToken, "CRMSYNC_LOG_FORMAT", format, "CRMSYNC_LOG_LEVEL", "DEBUG"),
                    "check", "--config",
                    config.toString())) {
                int exit = check.waitFor(PATIENCE);
                checkLines = Stream.concat(check.out().stream(), check.err().stream()).toList();
                assertThat(exit).as(String.join("\n", checkLines)).isEqualTo(3);
            }

            // Then the test saw the secrets crmsync was handed and made at run time
            secretsMadeAtRunTime(webcrmProxy, customcrmProxy);
            // And the run did what it should have: a second login after webCRM refused the first token, a hook
            // of each system received, writes refused, and the checks said the credentials were wrong
            String log = String.join("\n", runErr);
            assertThat(log).contains("webCRM answered 401; logging in again").contains("dead letter")
                    .contains("webCRM hook received").contains("Customcrm webhook received")
                    .contains("refused a Customcrm webhook delivery");
            assertThat(webcrmProxy.exchanges()).filteredOn(e -> e.path().equals("/Auth/ApiLogin")
                    && e.status() == 200).hasSizeGreaterThanOrEqualTo(2);
            assertThat(String.join("\n", checkLines)).contains("webCRM").containsIgnoringCase("token");
            assertThat(webcrmProxy.exchanges()).as("webCRM echoed the wrong token")
                    .anySatisfy(e -> assertThat(e.responseBody()).contains(wrongWebcrmToken));
            assertThat(customcrmProxy.exchanges()).as("Customcrm echoed the wrong key")
                    .anySatisfy(e -> assertThat(e.responseBody()).contains(wrongCustomcrmKey));
            if (format.equals("json")) {
                assertThat(runErr).allSatisfy(line -> assertThat(line).startsWith("{"));
            } else {
                assertThat(runErr).anySatisfy(line -> assertThat(line).contains(" DEBUG "));
            }

            // And no secret is in any of it
            runErr.forEach(line -> search.logLine("run, standard error", line));
            runOut.forEach(line -> search.logLine("run, standard out", line));
            checkLines.forEach(line -> search.logLine("check with wrong credentials", line));
            api.answers().forEach((where, text) -> search.answer(where, text));
            assertThat(search.leaks()).as("secrets found in %d log lines and %d answers (%s)", search.logLines(),
                    search.answers(), format).isEmpty();
            assertThat(search.logLines()).isGreaterThan(100);
            assertThat(search.answers()).isGreaterThan(50);
            System.out.printf("secrets end to end (%s): %d secrets of %d kinds, %d log lines and %d answers "
                    + "searched, no leak%n", format, search.values(), search.names().size(), search.logLines(),
                    search.answers());
        }
    }

    // ---------------------------------------------------------------- the scenario

    private static void awaitFirstCycles(Api api) {
        await().atMost(PATIENCE).until(() -> {
            JsonNode status = api.json("GET", "/api/status");
            for (JsonNode flow : status.path("flows")) {
                if (flow.path("lastCycle").isNull()) {
                    return false;
                }
            }
            return status.path("flows").size() == 3;
        });
    }

    private static void syncsBothWays(WebcrmSimulator webcrm, CustomcrmSimulator customcrm, Api api) {
        JsonNode link = api.json("GET", "/api/links?flow=organisations&limit=1").path("items").get(0);
        webcrm.editAsUser(WebcrmEntity.ORGANISATION, Integer.parseInt(link.path("webcrmId").asString()),
                Map.of("OrganisationName", "Edited In Webcrm A/S"));
        await().atMost(PATIENCE).until(() -> customcrm.record(RecordType.CUSTOMER, link.path("customcrmId")
                .asString()).orElseThrow().path("name").asString().equals("Edited In Webcrm A/S"));
        customcrm.editAsUser(RecordType.CUSTOMER, link.path("customcrmId").asString(),
                Map.of("name", "Edited In Customcrm ApS"));
        await().atMost(PATIENCE).until(() -> webcrm.record(WebcrmEntity.ORGANISATION,
                Integer.parseInt(link.path("webcrmId").asString())).orElseThrow().path("OrganisationName")
                .asString().equals("Edited In Customcrm ApS"));
    }

    /** @return the webCRM id of a record that ended as a dead letter */
    private static String deadLetterAndFailingWrites(WebcrmSimulator webcrm, CustomcrmSimulator customcrm, Api api) {
        customcrm.faults().failWrites(422);
        int refused;
        try {
            refused = webcrm.createAsUser(WebcrmEntity.ORGANISATION, Map.of("OrganisationName", "Refused Kettles A/S"));
            await().atMost(PATIENCE).until(() -> api.json("GET", "/api/dead-letters").size() >= 1);
        } finally {
            customcrm.faults().reset();
        }
        webcrm.faults().failNext(3, 503, Duration.ofSeconds(1));
        customcrm.faults().failNext(2, 429, Duration.ofSeconds(1));
        customcrm.editAsUser(RecordType.CONTACT, "con_1", Map.of("job_title", "Chief Of Retries"));
        await().atMost(PATIENCE).until(() -> webcrm.faults().pending() == 0 && customcrm.faults().pending() == 0);
        return Integer.toString(refused);
    }

    private void strangers(Api api, String serviceToken) throws Exception {
        String wrongServiceToken = distinctive("svcwrong");
        search.secret("a wrong service token", wrongServiceToken);
        api.call("no token", "GET", "/api/status", null, null);
        api.call("wrong token", "GET", "/api/status", null, wrongServiceToken);
        api.call("sign-in with a wrong token", "POST", "/api/session", "{\"token\":\"" + wrongServiceToken + "\"}",
                null);
        // A token pasted without quotes is not JSON: the answer must say so without quoting it back
        api.call("sign-in with the token unquoted", "POST", "/api/session", "{\"token\": " + serviceToken + "}",
                null);
        api.call("sign-in with a wrong token unquoted", "POST", "/api/session",
                "{\"token\": " + wrongServiceToken + "}", null);
        api.call("webCRM hook with a wrong key", "POST", "/hooks/webcrm/" + distinctive("nokey"), "{}", null);
        api.call("Customcrm hook unsigned", "POST", "/hooks/customcrm", "{\"type\":\"customers\"}", null);
        api.callWithHeader("Customcrm hook forged", "/hooks/customcrm", "{\"type\":\"customers\"}",
                "Customcrm-Signature", "t=" + Instant.now().getEpochSecond() + ",v1=" + "ab".repeat(32));
    }

    private static void everyRoute(Api api, int webcrmId, String deadLetter, String serviceToken) throws Exception {
        String linkId = api.linkNamed("After The Expiry A/S");
        Map<String, String> values = Map.of("{flow}", "organisations", "{side}", "webcrm", "{recordId}", deadLetter,
                "{id}", linkId);
        Set<String> covered = new LinkedHashSet<>();
        for (String[] operation : contractOperations()) {
            String method = operation[0];
            String template = operation[1];
            String path = template;
            for (Map.Entry<String, String> value : values.entrySet()) {
                path = path.replace(value.getKey(), value.getValue());
            }
            String body = switch (template) {
                case "/api/session" -> method.equals("POST") ? "{\"token\":\"" + serviceToken + "\"}" : null;
                case "/api/conflicts/{id}/resolve" -> "{\"keep\":\"webcrm\"}";
                default -> method.equals("GET") || method.equals("DELETE") ? null : "{}";
            };
            if (template.equals("/api/events")) {
                api.firstEvents();
            } else {
                api.call("with the token", method, path, body, serviceToken);
            }
            covered.add(method + " " + template);
        }
        for (String flow : List.of("organisations", "persons", "products")) {
            api.call("with the token", "POST", "/api/flows/" + flow + "/resume", null, serviceToken);
        }
        for (String query : List.of("/api/dataflow?format=md", "/api/dataflow?format=rst", "/api/conflicts?open=false",
                "/api/timeline?limit=500", "/api/links?q=" + webcrmId, "/api/stats?hours=168&bucketMinutes=1")) {
            api.call("with the token", "GET", query, null, serviceToken);
        }
        for (String page : List.of("/", "/index.html", "/dashboard.js", "/dashboard.css", "/favicon.svg",
                "/no-such-page")) {
            api.call("dashboard", "GET", page, null, null);
        }
        assertThat(covered).as("every operation of the contract was called").hasSizeGreaterThan(20);
    }

    /** Makes the systems echo the credential a refused request presented, as a careless server might. */
    private static void echoCredentials(RecordingProxy webcrmProxy, RecordingProxy customcrmProxy, String webcrmToken,
                                        String customcrmKey) {
        webcrmProxy.rewrite("/Auth/ApiLogin", "The authCode is not a valid application token",
                "The authCode " + webcrmToken + " is not a valid application token");
        customcrmProxy.exchanges().stream().map(RecordingProxy.Exchange::path).distinct().forEach(path ->
                customcrmProxy.rewrite(path, "the API key is not valid", "the API key " + customcrmKey
                        + " is not valid"));
    }

    /** Registers the secrets that only the proxies saw: webCRM's tokens, the hook key and the webhook secret. */
    private void secretsMadeAtRunTime(RecordingProxy webcrmProxy, RecordingProxy customcrmProxy) {
        int tokens = 0;
        for (RecordingProxy.Exchange login : webcrmProxy.exchanges()) {
            if (login.path().startsWith("/Auth/") && login.status() == 200) {
                JsonNode answer = SimulatorJson.mapper().readTree(login.responseBody());
                search.secret("a webCRM access token", answer.path("AccessToken").asString());
                search.secret("a webCRM refresh token", answer.path("RefreshToken").asString());
                tokens++;
            }
        }
        Set<String> hookKeys = new LinkedHashSet<>();
        for (RecordingProxy.Exchange hook : webcrmProxy.exchanges()) {
            if (hook.method().equals("POST") && hook.path().endsWith("/Hooks")) {
                String target = SimulatorJson.mapper().readTree(hook.requestBody()).path("TargetUrl").asString();
                hookKeys.add(target.substring(target.lastIndexOf('/') + 1));
            }
        }
        hookKeys.forEach(key -> search.secret("the webCRM hook key", key));
        Set<String> webhookSecrets = new LinkedHashSet<>();
        for (RecordingProxy.Exchange subscription : customcrmProxy.exchanges()) {
            if (subscription.method().equals("POST") && subscription.path().equals("/webhooks")) {
                webhookSecrets.add(SimulatorJson.mapper().readTree(subscription.requestBody()).path("secret")
                        .asString());
            }
        }
        webhookSecrets.forEach(secret -> search.secret("the Customcrm webhook secret", secret));
        assertThat(tokens).as("webCRM logins seen").isGreaterThanOrEqualTo(2);
        assertThat(hookKeys).as("webCRM hook keys seen").hasSize(1);
        assertThat(webhookSecrets).as("Customcrm webhook secrets seen").hasSize(1);
    }

    // ---------------------------------------------------------------- plumbing

    private static List<String[]> contractOperations() throws IOException {
        JsonNode contract;
        try (InputStream in = ManagementApi.class.getResourceAsStream(ManagementApi.CONTRACT)) {
            contract = YAML.readTree(in);
        }
        List<String[]> out = new ArrayList<>();
        for (Map.Entry<String, JsonNode> path : contract.path("paths").properties()) {
            for (String method : path.getValue().propertyNames()) {
                out.add(new String[] {method.toUpperCase(java.util.Locale.ROOT), path.getKey()});
            }
        }
        return out;
    }

    private String distinctive(String prefix) {
        byte[] bytes = new byte[12];
        random.nextBytes(bytes);
        return prefix + HexFormat.of().formatHex(bytes);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** The service's HTTP side as the test calls it, keeping every answer (status, headers, body) to search. */
    private final class Api {

        private final String base;
        private final String token;
        private final Map<String, String> answers = new LinkedHashMap<>();

        Api(String base, String token) {
            this.base = base;
            this.token = token;
        }

        Map<String, String> answers() {
            return answers;
        }

        JsonNode json(String method, String path) {
            return SimulatorJson.mapper().readTree(call("with the token", method, path, null, token));
        }

        String linkNamed(String name) {
            JsonNode items = json("GET", "/api/links?q=" + name.replace(" ", "%20")).path("items");
            return items.isEmpty() ? null : items.get(0).path("id").asString();
        }

        String call(String why, String method, String path, String body, String bearer) {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(PATIENCE)
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofString(body));
            if (body != null) {
                request.header("Content-Type", "application/json");
            }
            if (bearer != null) {
                request.header("Authorization", "Bearer " + bearer);
            }
            return send(why + ": " + method + " " + path, request);
        }

        void callWithHeader(String why, String path, String body, String header, String value) {
            send(why + ": POST " + path, HttpRequest.newBuilder(URI.create(base + path)).timeout(PATIENCE)
                    .header("Content-Type", "application/json").header(header, value)
                    .POST(HttpRequest.BodyPublishers.ofString(body)));
        }

        /** Reads the event stream until its first status event has come, then closes it. */
        void firstEvents() throws Exception {
            HttpResponse<Stream<String>> stream = http.send(HttpRequest.newBuilder(URI.create(base + "/api/events"))
                    .header("Authorization", "Bearer " + token).header("Accept", "text/event-stream").build(),
                    HttpResponse.BodyHandlers.ofLines());
            StringBuilder text = new StringBuilder(stream.statusCode() + " " + stream.headers().map() + "\n");
            try (Stream<String> lines = stream.body()) {
                var iterator = lines.iterator();
                boolean status = false;
                while (iterator.hasNext()) {
                    String line = iterator.next();
                    text.append(line).append('\n');
                    if (status && line.startsWith("data: ")) {
                        break;
                    }
                    status |= line.equals("event: status");
                }
            }
            answers.put("with the token: GET /api/events #" + answers.size(), text.toString());
        }

        private String send(String where, HttpRequest.Builder request) {
            try {
                HttpResponse<String> answer = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
                answers.put(where + " #" + answers.size(), answer.statusCode() + " " + answer.headers().map() + "\n"
                        + answer.body());
                return answer.body();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }
}
