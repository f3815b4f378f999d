package dev.crmsync.app.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.crmsync.app.simulate.SeedPlan;
import dev.crmsync.app.simulate.customcrm.CustomcrmSimulator;
import dev.crmsync.app.simulate.webcrm.WebcrmSimulator;
import dev.crmsync.testing.CrmsyncProcess;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code crmsync run} as its own process, as an operator or systemd starts it: it serves, logs JSON lines without
 * secrets, and stops cleanly on SIGTERM with exit status 0 (issue 11: it ended with the JVM's 143, which systemd
 * counts as a failed stop), or with 4 when the stop had to cut the running cycle short.
 */
class RunProcessTest {

    private static final String TOKEN = "process-test-token-0123456789";
    private static final String WEBCRM_TOKEN = "process-webcrm-token";
    private static final String CUSTOMCRM_KEY = "process-customcrm-key";

    @Test
    void shouldServeLogJsonAndStopCleanlyOnSigterm(@TempDir Path dir) throws Exception {
        try (WebcrmSimulator webcrm = WebcrmSimulator.builder().token(WEBCRM_TOKEN).seed(3)
                .seedPlan(new SeedPlan(0, 3, 4, 2)).build().start("127.0.0.1", 0);
             CustomcrmSimulator customcrm = CustomcrmSimulator.builder().apiKey(CUSTOMCRM_KEY).seed(3)
                     .seedPlan(new SeedPlan(1, 3, 4, 2)).build().start("127.0.0.1", 0)) {
            // Given
            Path config = dir.resolve("crmsync.yaml");
            Files.writeString(config, """
                    webcrm:    { url: %s, token: %s }
                    customcrm: { url: %s, api-key: %s }
                    store:     { url: "jdbc:sqlite:crmsync.db" }
                    server:    { port: 0, token: ${CRMSYNC_TOKEN} }
                    sync:      { interval: 1s }
                    """.formatted(webcrm.baseUrl(), WEBCRM_TOKEN, customcrm.baseUrl(), CUSTOMCRM_KEY));
            try (CrmsyncProcess process = crmsyncRun(dir, "--config", config.toString())) {
                try {
                    // When it runs
                    String url = await().atMost(Duration.ofSeconds(60)).until(process::dashboardUrl, u -> u != null);
                    await().atMost(Duration.ofSeconds(60)).until(() -> status(url + "api/status", TOKEN) == 200
                            && status(url + "health/ready", null) == 200);
                    assertThat(status(url + "api/status", null)).isEqualTo(401);
                } finally {
                    // And is sent SIGTERM
                    process.terminate();
                }
                int exit = process.waitFor(Duration.ofSeconds(60));
                List<String> err = process.err();

                // Then it stopped cleanly with status 0, having logged one JSON object per line and no secret
                assertThat(exit).as(String.join("\n", err)).isZero();
                JsonMapper json = JsonMapper.builder().build();
                assertThat(err).as("standard error of the run").isNotEmpty()
                        .allSatisfy(line -> assertThat(line).startsWith("{"));
                List<JsonNode> lines = err.stream().map(json::readTree).toList();
                assertThat(lines).anySatisfy(l -> assertThat(l.path("message").asString())
                        .isEqualTo("crmsync is running"));
                assertThat(lines).anySatisfy(l -> {
                    assertThat(l.path("message").asString()).isEqualTo("crmsync stopped");
                    assertThat(l.path("clean").asBoolean()).isTrue();
                });
                assertThat(lines).anySatisfy(l -> assertThat(l.path("cycle").asString()).isNotBlank());
                assertThat(String.join("\n", err) + String.join("\n", process.out())).doesNotContain(TOKEN)
                        .doesNotContain(WEBCRM_TOKEN).doesNotContain(CUSTOMCRM_KEY);
            }
        }
    }

    @Test
    void shouldExitWithFourWhenTheStopHadToCutTheRunningCycleShort(@TempDir Path dir) throws Exception {
        // Given two systems that take every connection and never answer, so the first cycle hangs in a request
        try (BlackHole webcrm = new BlackHole(); BlackHole customcrm = new BlackHole()) {
            Path config = dir.resolve("crmsync.yaml");
            Files.writeString(config, """
                    webcrm:    { url: %s, token: t, timeout: 10m }
                    customcrm: { url: %s, api-key: k, timeout: 10m }
                    store:     { url: "jdbc:sqlite:crmsync.db" }
                    server:    { port: 0, token: ${CRMSYNC_TOKEN} }
                    """.formatted(webcrm.url(), customcrm.url()));
            try (CrmsyncProcess process = crmsyncRun(dir, "--config", config.toString(), "--skip-check",
                    "--stop-grace", "1s")) {
                try {
                    // When it runs, its cycle waits for an answer, and it is sent SIGTERM
                    await().atMost(Duration.ofSeconds(60)).until(process::dashboardUrl, u -> u != null);
                    await().atMost(Duration.ofSeconds(60))
                            .until(() -> webcrm.connections() + customcrm.connections() > 0);
                } finally {
                    process.terminate();
                }
                int exit = process.waitFor(Duration.ofSeconds(60));
                List<String> err = process.err();

                // Then it stopped after the grace, and said that the stop was not clean
                assertThat(exit).as(String.join("\n", err)).isEqualTo(RunCommand.UNCLEAN_STOP);
                JsonMapper json = JsonMapper.builder().build();
                assertThat(err.stream().map(json::readTree)).anySatisfy(l -> {
                    assertThat(l.path("message").asString()).isEqualTo("crmsync stopped");
                    assertThat(l.path("clean").asBoolean()).isFalse();
                });
            }
        }
    }

    @Test
    void shouldServeEveryConnectionOfTheFileAndStopUncleanWhenOneWasCutShort(@TempDir Path dir) throws Exception {
        // Given a file of two connections: one over two simulators, one over two systems that never answer
        try (WebcrmSimulator webcrm = WebcrmSimulator.builder().token(WEBCRM_TOKEN).seed(3)
                .seedPlan(new SeedPlan(0, 3, 4, 2)).build().start("127.0.0.1", 0);
             CustomcrmSimulator customcrm = CustomcrmSimulator.builder().apiKey(CUSTOMCRM_KEY).seed(3)
                     .seedPlan(new SeedPlan(1, 3, 4, 2)).build().start("127.0.0.1", 0);
             BlackHole stuckWebcrm = new BlackHole(); BlackHole stuckCustomcrm = new BlackHole()) {
            Path config = dir.resolve("crmsync.yaml");
            Files.writeString(config, """
                    connections:
                      - name: good
                        webcrm:    { url: %s, token: %s }
                        customcrm: { url: %s, api-key: %s }
                        sync:      { interval: 1s }
                      - name: stuck
                        webcrm:    { url: %s, token: t, timeout: 10m }
                        customcrm: { url: %s, api-key: k, timeout: 10m }
                    store:     { url: "jdbc:sqlite:crmsync.db" }
                    server:    { port: 0, token: ${CRMSYNC_TOKEN} }
                    """.formatted(webcrm.baseUrl(), WEBCRM_TOKEN, customcrm.baseUrl(), CUSTOMCRM_KEY,
                    stuckWebcrm.url(), stuckCustomcrm.url()));
            try (CrmsyncProcess process = crmsyncRun(dir, "--config", config.toString(), "--skip-check",
                    "--stop-grace", "1s")) {
                try {
                    // When it runs without --connection, while the stuck connection's first cycle waits
                    String url = await().atMost(Duration.ofSeconds(60)).until(process::dashboardUrl, u -> u != null);
                    await().atMost(Duration.ofSeconds(60))
                            .until(() -> stuckWebcrm.connections() + stuckCustomcrm.connections() > 0);

                    // Then the good connection links its systems all the same, under its own routes, and the stuck
                    // one answers its status
                    await().atMost(Duration.ofSeconds(60)).until(() -> body(url
                            + "connections/good/api/links?flow=organisations", TOKEN).contains("\"state\":\"active\""));
                    assertThat(status(url + "connections/stuck/api/status", TOKEN)).isEqualTo(200);
                    assertThat(status(url + "api/connections", TOKEN)).isEqualTo(200);
                } finally {
                    // And is sent SIGTERM
                    process.terminate();
                }
                int exit = process.waitFor(Duration.ofSeconds(60));
                List<String> err = process.err();

                // Then it stopped both, and said that the stop was not clean, naming the connection cut short
                assertThat(exit).as(String.join("\n", err)).isEqualTo(RunCommand.UNCLEAN_STOP);
                JsonMapper json = JsonMapper.builder().build();
                List<JsonNode> lines = err.stream().map(json::readTree).toList();
                assertThat(lines).anySatisfy(l -> {
                    assertThat(l.path("message").asString()).isEqualTo("a running cycle was cut short by the stop");
                    assertThat(l.path("connection").asString()).isEqualTo("stuck");
                });
                assertThat(lines).filteredOn(l -> l.path("message").asString().contains("cut short"))
                        .extracting(l -> l.path("connection").asString()).containsExactly("stuck");
                // And the sync's own lines name their connection
                assertThat(lines).anySatisfy(l -> {
                    assertThat(l.path("message").asString()).isEqualTo("logged in to webCRM");
                    assertThat(l.path("connection").asString()).isEqualTo("good");
                });
            }
        }
    }

    /**
     * Starts {@code crmsync run} with the product's logging, standard error into a file in {@code dir}.
     */
    private static CrmsyncProcess crmsyncRun(Path dir, String... args) {
        List<String> command = new ArrayList<>(List.of("run"));
        command.addAll(List.of(args));
        return CrmsyncProcess.start(dir.resolve("stderr.log"), Map.of("CRMSYNC_TOKEN", TOKEN),
                command.toArray(String[]::new));
    }

    /**
     * A system that accepts every connection, reads nothing and never answers: a request to it waits for its
     * timeout.
     */
    private static final class BlackHole implements AutoCloseable {

        private final ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        private final List<Socket> accepted = new CopyOnWriteArrayList<>();

        BlackHole() throws IOException {
            Thread.ofVirtual().start(() -> {
                try {
                    while (true) {
                        accepted.add(server.accept());
                    }
                } catch (IOException closed) {
                    // closed at the end of the test
                }
            });
        }

        String url() {
            return "http://127.0.0.1:" + server.getLocalPort();
        }

        int connections() {
            return accepted.size();
        }

        @Override
        public void close() throws IOException {
            server.close();
            for (Socket socket : accepted) {
                socket.close();
            }
        }
    }

    private static String body(String url, String token) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + token).build();
        return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString()).body();
    }

    private static int status(String url, String token) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
