package dev.crmsync.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crmsync.app.cli.Main;
import dev.crmsync.app.simulate.customcrm.RecordType;
import dev.crmsync.app.simulate.webcrm.WebcrmEntity;
import dev.crmsync.model.Side;
import dev.crmsync.ports.CreateIntent;
import dev.crmsync.ports.ObservedRecord;
import dev.crmsync.ports.RecordStatus;
import dev.crmsync.testing.CommandRun;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Issue 11: a system that cannot be reached, a wrong Customcrm API key and a credential revoked in the middle of a
 * sync, through the real command line against both simulators. Each gives one message that names the cause, the
 * documented exit status 3 and no stack trace, and leaves the store so that the next sync finishes the job
 * without a duplicate. The commands' waits move the harness's clock, so retries against a closed port are spent
 * at once. (A wrong webCRM token for {@code sync} and {@code check} is in {@code CommandLineTest} and
 * {@code CheckCommandTest}; a malformed file in {@code ConfigFileErrorsTest}.)
 */
class SystemErrorsCommandTest {

    private static final String WRONG_KEY = "not-the-key-8817";
    private static final String WRONG_TOKEN = "not-the-token-8817";

    private final SyncHarness harness = SyncHarness.empty();
    private final CommandRun run = new CommandRun(harness.clock);
    private final Path dir = tempDir();

    @AfterEach
    void stop() {
        harness.close();
    }

    private static Path tempDir() {
        try {
            return Files.createTempDirectory("crmsync-system-errors-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Path config(String webcrmUrl, String token, String customcrmUrl, String key) throws IOException {
        Path file = dir.resolve("crmsync.yaml");
        Files.writeString(file, """
                webcrm:    { url: %s, token: %s }
                customcrm: { url: %s, api-key: %s }
                store:     { url: "jdbc:sqlite:%s" }
                """.formatted(webcrmUrl, token, customcrmUrl, key, dir.resolve("state.db")));
        return file;
    }

    /** An address where nothing listens: a port the system just handed out and took back. */
    private static String closedAddress() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return "http://127.0.0.1:" + socket.getLocalPort();
        }
    }

    /** What {@code crmsync} printed on standard error, as its lines; the run's output is cleared. */
    private List<String> errorLines() {
        List<String> lines = run.err().lines().filter(l -> !l.isBlank()).toList();
        assertThat(run.printedStackTrace()).as(run.out() + run.err()).isFalse();
        run.clear();
        return lines;
    }

    @ParameterizedTest
    @EnumSource(Side.class)
    void shouldNameTheSystemThatCannotBeReachedWithItsAddressAndExitThree(Side down) throws IOException {
        // Given one system's URL where nothing listens
        String closed = closedAddress();
        Path config = down == Side.WEBCRM
                ? config(closed, SyncHarness.TOKEN, harness.customcrm.baseUrl(), SyncHarness.KEY)
                : config(harness.webcrm.baseUrl(), SyncHarness.TOKEN, closed, SyncHarness.KEY);

        // When
        int sync = run.crmsync("sync", "--config", config.toString(), "--once");
        List<String> syncErr = errorLines();
        int check = run.crmsync("check", "--config", config.toString());
        String checkOut = run.out();
        List<String> checkErr = errorLines();

        // Then sync says it in one line, check in its connection finding; both name the system and its address
        assertThat(sync).isEqualTo(Main.SYSTEM_ERROR);
        assertThat(syncErr).singleElement().asString().startsWith("crmsync: " + down.label() + " ")
                .contains("failed after").contains("(at " + closed + ")");
        assertThat(check).isEqualTo(Main.SYSTEM_ERROR);
        assertThat(checkErr).isEmpty();
        assertThat(checkOut.lines().filter(l -> l.contains("ERROR")))
                .singleElement().asString().contains("connection: " + down.label()).contains("(at " + closed + ")");
        assertThat(harness.writes(down.other())).isZero();
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS) // a service that started anyway would wait for a signal
    void shouldRefuseAWrongCustomcrmKeyInOneLineWithoutTheKeyAndStartNothing() throws IOException {
        // Given
        Path config = config(harness.webcrm.baseUrl(), SyncHarness.TOKEN, harness.customcrm.baseUrl(), WRONG_KEY);

        // When
        int sync = run.crmsync("sync", "--config", config.toString(), "--once");
        List<String> syncErr = errorLines();
        int check = run.crmsync("check", "--config", config.toString());
        String checkOut = run.out();
        List<String> checkErr = errorLines();
        int service = run.crmsync("run", "--config", config.toString(), "--insecure-no-auth", "--port", "0");
        String serviceOut = run.out();
        List<String> serviceErr = errorLines();

        // Then
        String refused = "Customcrm refused the API key (401 on GET /customers); check customcrm.api-key";
        assertThat(sync).isEqualTo(Main.SYSTEM_ERROR);
        assertThat(syncErr).containsExactly("crmsync: " + refused);
        assertThat(check).isEqualTo(Main.SYSTEM_ERROR);
        assertThat(checkErr).isEmpty();
        assertThat(checkOut).contains("ERROR    Customcrm  -                         connection: " + refused);
        assertThat(service).isEqualTo(Main.SYSTEM_ERROR);
        assertThat(serviceErr).containsExactly("crmsync: " + refused + "; nothing was started");
        assertThat(serviceOut).doesNotContain("is running");
        assertThat(syncErr + checkOut + serviceOut + serviceErr).doesNotContain(WRONG_KEY);
        assertThat(harness.writes(Side.WEBCRM)).isZero();
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS) // a service that started anyway would wait for a signal
    void shouldNotStartTheServiceWithAWrongWebcrmTokenAsIfWebcrmHadNotAnswered() throws IOException {
        // Given
        Path config = config(harness.webcrm.baseUrl(), WRONG_TOKEN, harness.customcrm.baseUrl(), SyncHarness.KEY);

        // When
        int service = run.crmsync("run", "--config", config.toString(), "--insecure-no-auth", "--port", "0");
        String out = run.out();
        List<String> err = errorLines();

        // Then it stops at once with the refusal, rather than run on retrying what waiting will not mend
        assertThat(service).isEqualTo(Main.SYSTEM_ERROR);
        assertThat(err).singleElement().asString()
                .startsWith("crmsync: webCRM refused the API token (401: ")
                .endsWith("; nothing was started");
        assertThat(out).doesNotContain("did not answer").doesNotContain("is running");
        assertThat(out + err).doesNotContain(WRONG_TOKEN);
    }

    @ParameterizedTest
    @EnumSource(Side.class)
    void shouldStopAtACredentialRevokedMidRunAndFinishAfterItIsRestoredWithoutADuplicate(Side revoked)
            throws IOException {
        // Given three companies with a person each on both sides, and the credential of one system revoked once
        // that system has taken its first write (the organisations it is given)
        for (int i = 1; i <= 3; i++) {
            int organisation = harness.webcrm.createAsUser(WebcrmEntity.ORGANISATION,
                    Map.of("OrganisationName", "Vest " + i + " A/S"));
            harness.webcrm.createAsUser(WebcrmEntity.PERSON, Map.of("PersonOrganisationId", organisation,
                    "PersonLastName", "Vestergaard " + i));
            String customer = harness.customcrm.createAsUser(RecordType.CUSTOMER, Map.of("name", "Øst " + i + " AB"))
                    .path("id").asString();
            harness.customcrm.createAsUser(RecordType.CONTACT, Map.of("customer_id", customer,
                    "last_name", "Östberg " + i));
        }
        (revoked == Side.WEBCRM ? harness.webcrm.revocation() : harness.customcrm.revocation()).revokeAfterWrites(1);
        Path config = harness.configFile();

        // When
        int interrupted = run.crmsync("sync", "--config", config.toString(), "--once");
        List<String> err = errorLines();

        // Then the run stops with one line naming the refused credential, and no record was given up
        assertThat(interrupted).isEqualTo(Main.SYSTEM_ERROR);
        assertThat(err).singleElement().asString().startsWith("crmsync: " + revoked.label() + " refused the API");
        assertThat(harness.<List<ObservedRecord>>store(s -> s.withStatus(RecordStatus.DEAD))).isEmpty();
        assertThat(harness.<List<CreateIntent>>store(s -> s.intents())).isNotEmpty();

        // When the credential is good again
        (revoked == Side.WEBCRM ? harness.webcrm.revocation() : harness.customcrm.revocation()).reinstate();
        int resumed = run.crmsync("sync", "--config", config.toString(), "--once");

        // Then the next sync finishes: every record once on each side, the outbox empty
        assertThat(resumed).as(run.out() + run.err()).isZero();
        assertThat(harness.webcrm.count(WebcrmEntity.ORGANISATION)).isEqualTo(6);
        assertThat(harness.webcrm.count(WebcrmEntity.PERSON)).isEqualTo(6);
        assertThat(harness.customcrm.count(RecordType.CUSTOMER)).isEqualTo(6);
        assertThat(harness.customcrm.count(RecordType.CONTACT)).isEqualTo(6);
        assertThat(harness.<List<CreateIntent>>store(s -> s.intents())).isEmpty();
        harness.assertAnotherSyncWritesNothing();
    }
}
