package dev.crmsync.app.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class SimulateCustomcrmCommandTest {

    @TempDir
    Path dir;

    @Test
    void shouldDefaultToTheDocumentedPortHostKeyAndSeedCounts() {
        // When
        SimulateCustomcrmCommand command = new SimulateCustomcrmCommand();
        new CommandLine(command).parseArgs();

        // Then
        assertThat(command.port).isEqualTo(8082);
        assertThat(command.host).isEqualTo("127.0.0.1");
        assertThat(command.apiKey).isEqualTo("demo-customcrm-key");
        assertThat(command.seed).isEqualTo(42);
        assertThat(command.database).isNull();
        assertThat(new int[] {command.firstCompany, command.customers, command.contacts, command.products})
                .containsExactly(40, 50, 120, 60);
        assertThat(command.rateLimit).isEqualTo(600);
    }

    @Test
    void shouldRefuseAnInvalidSettingAsAUsageErrorBeforeStarting() {
        // Given
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new SimulateCustomcrmCommand()).setErr(new PrintWriter(err));

        // When
        int badRate = cli.execute("--drop-rate", "2");
        int negativeLimit = cli.execute("--rate-limit=-1");
        int emptyKey = cli.execute("--api-key=");

        // Then
        assertThat(new int[] {badRate, negativeLimit, emptyKey}).containsOnly(CommandLine.ExitCode.USAGE);
        assertThat(err.toString()).contains("--drop-rate must be between 0 and 1",
                "--rate-limit must be zero or positive", "apiKey must not be blank");
    }

    @Test
    void shouldServeTheSeededDataUntilInterruptedThenStop() throws Exception {
        // Given the command running on a free port with its data in a file
        StringWriter out = new StringWriter();
        CommandLine cli = new CommandLine(new SimulateCustomcrmCommand()).setOut(new PrintWriter(out));
        Path file = dir.resolve("demo.db");
        AtomicInteger exit = new AtomicInteger(-1);
        Thread running = Thread.ofPlatform().start(() -> exit.set(cli.execute("--port", "0", "--db", file.toString(),
                "--customers", "3", "--contacts", "4", "--products", "2")));
        String baseUrl = await().atMost(Duration.ofSeconds(30)).until(() -> baseUrl(out), url -> url != null);

        // When
        HttpResponse<String> customer = get(baseUrl + "/customers/cus_3");
        running.interrupt();
        running.join(Duration.ofSeconds(30));

        // Then
        assertThat(out.toString()).contains("API key: demo-customcrm-key", "curl -s -H 'Authorization: Bearer");
        assertThat(customer.statusCode()).isEqualTo(200);
        assertThat(running.isAlive()).isFalse();
        assertThat(exit.get()).isZero();
        assertThat(file).exists();
        assertThat(isServing(baseUrl)).isFalse();
    }

    @Test
    void shouldRefuseANumberOfTenantsBelowOneOrNoNumberNamingTheOption() {
        // Given
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new SimulateCustomcrmCommand()).setErr(new PrintWriter(err));

        // When
        int zero = cli.execute("--tenants", "0");
        int negative = cli.execute("--tenants=-1");
        int word = cli.execute("--tenants", "two");

        // Then
        assertThat(new int[] {zero, negative, word}).containsOnly(CommandLine.ExitCode.USAGE);
        assertThat(err.toString()).contains("--tenants must be 1 or more: 0", "--tenants must be 1 or more: -1",
                "'--tenants'", "'two' is not an int");
    }

    @Test
    void shouldServeEachTenantUnderItsNumberedKeyInAFileOfItsOwn() throws Exception {
        // Given the command running two tenants on a free port with their data beside a file
        StringWriter out = new StringWriter();
        CommandLine cli = new CommandLine(new SimulateCustomcrmCommand()).setOut(new PrintWriter(out));
        Path file = dir.resolve("demo.db");
        Thread running = Thread.ofPlatform().start(() -> cli.execute("--port", "0", "--db", file.toString(),
                "--tenants", "2", "--customers", "1", "--contacts", "0", "--products", "0"));
        try {
            String baseUrl = await().atMost(Duration.ofSeconds(30)).until(() -> baseUrl(out), url -> url != null);

            // When
            HttpResponse<String> second = get(baseUrl + "/customers/cus_1", "demo-customcrm-key-2");
            HttpResponse<String> unnumbered = get(baseUrl + "/customers/cus_1", "demo-customcrm-key");

            // Then
            assertThat(second.statusCode()).isEqualTo(200);
            assertThat(unnumbered.statusCode()).isEqualTo(401);
            assertThat(out.toString()).contains("Tenants: 2, API keys demo-customcrm-key-1 to demo-customcrm-key-2",
                    "demo-1.db to ", "demo-2.db", "/_sim/tenants/1/faults");
            assertThat(dir.resolve("demo-2.db")).exists();
        } finally {
            running.interrupt();
            running.join(Duration.ofSeconds(30));
        }
    }

    private static String baseUrl(StringWriter out) {
        Matcher url = Pattern.compile("listening on (http://\\S+)").matcher(out.toString());
        return url.find() ? url.group(1) : null;
    }

    private static HttpResponse<String> get(String url) throws IOException, InterruptedException {
        return get(url, "demo-customcrm-key");
    }

    private static HttpResponse<String> get(String url, String apiKey) throws IOException, InterruptedException {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url))
                .header("Authorization", "Bearer " + apiKey).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static boolean isServing(String baseUrl) throws InterruptedException {
        try {
            get(baseUrl + "/openapi.yaml");
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
