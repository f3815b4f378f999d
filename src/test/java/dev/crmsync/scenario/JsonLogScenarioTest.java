package dev.crmsync.scenario;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.util.ContextInitializer;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.joran.spi.JoranException;
import dev.crmsync.app.logging.LogFormat;
import dev.crmsync.app.simulate.customcrm.RecordType;
import dev.crmsync.app.simulate.webcrm.WebcrmEntity;
import dev.crmsync.engine.SyncRun;
import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The production {@code logback.xml} in JSON mode, as {@code crmsync run} uses it: a real sync over HTTP against
 * both simulators logs one JSON object per line, every line of a cycle (the connectors' included) carries the
 * cycle id, the lines about a record carry its link and record, and no credential appears, even at DEBUG.
 *
 * <p>The test reconfigures the process's logback and restores the test configuration afterwards.
 */
class JsonLogScenarioTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void shouldLogOneJsonObjectPerLineWithTheCycleLinkAndRecordAndNoSecret() {
        // Given an organisation in webCRM, and a Customcrm contact webCRM will refuse (no last name)
        List<JsonNode> lines;
        SyncRun.Result result;
        try (SyncHarness harness = SyncHarness.empty()) {
            harness.webcrm.createAsUser(WebcrmEntity.ORGANISATION, Map.of("OrganisationName", "Fynsk A/S"));
            String customer = harness.customcrm.createAsUser(RecordType.CUSTOMER, Map.of("name", "Øresund AB"))
                    .path("id").asString();
            String contact = harness.customcrm.createAsUser(RecordType.CONTACT,
                    Map.of("customer_id", customer, "first_name", "Eva")).path("id").asString();

            // When crmsync syncs with -Dcrmsync.log.format=json at DEBUG
            String[] output = new String[1];
            SyncRun.Result[] run = new SyncRun.Result[1];
            withProductionLogging("json", text -> output[0] = text, () -> run[0] = harness.sync());
            result = run[0];

            // Then no credential is in the output
            assertThat(output[0]).isNotBlank().doesNotContain(SyncHarness.TOKEN).doesNotContain(SyncHarness.KEY)
                    .doesNotContainIgnoringCase("bearer ");
            // and every line is one JSON object
            lines = output[0].lines().map(line -> {
                JsonNode node = JSON.readTree(line);
                assertThat(node.isObject()).as("a JSON object: %s", line).isTrue();
                return node;
            }).toList();

            // and the refused contact's line names its link and record, and the reason as a field
            assertThat(lines).filteredOn(l -> l.path("message").asString().contains("dead letter"))
                    .singleElement().satisfies(l -> {
                        assertThat(l.path("level").asString()).isEqualTo("WARN");
                        assertThat(l.path("record").asString()).isEqualTo("customcrm/" + contact);
                        assertThat(l.path("link").asString()).isNotBlank();
                        assertThat(l.path("flow").asString()).isEqualTo("persons");
                        assertThat(l.path("reason").asString()).contains("PersonLastName");
                    });
        }
        // and every line the engine logged carries a cycle id, one per cycle
        List<JsonNode> engine = lines.stream()
                .filter(l -> l.path("logger_name").asString().startsWith("dev.crmsync.engine")).toList();
        assertThat(engine).isNotEmpty().allSatisfy(l -> assertThat(l.path("cycle").asString()).isNotBlank());
        List<JsonNode> finished = lines.stream().filter(l -> l.path("message").asString().equals("cycle finished"))
                .toList();
        assertThat(finished).hasSize(result.cycles().size());
        assertThat(finished.stream().map(l -> l.path("cycle").asString()).distinct()).hasSize(finished.size());
        // and the connector's lines inside a cycle share its id
        assertThat(lines).filteredOn(l -> l.path("message").asString().equals("logged in to webCRM"))
                .isNotEmpty().allSatisfy(l -> assertThat(finished.stream().map(f -> f.path("cycle").asString()))
                        .contains(l.path("cycle").asString()));
        // and each landed write names its link and record, with its key-values as fields
        assertThat(lines).filteredOn(l -> l.path("message").asString().equals("write landed")).hasSize(2)
                .allSatisfy(l -> {
                    assertThat(l.path("link").asString()).isNotBlank();
                    assertThat(l.path("record").asString()).matches("(webcrm|customcrm)/.+");
                    assertThat(l.path("kind").asString()).isEqualTo("create");
                });
        // and once the cycles are over, the ids are gone from the thread
        assertThat(MDC.get("cycle")).isNull();
        assertThat(MDC.get("link")).isNull();
        assertThat(MDC.get("record")).isNull();
    }

    @Test
    void shouldLogTextUnlessJsonIsChosen() {
        // When the production configuration is loaded without a choice
        String[] output = new String[1];
        withProductionLogging(null, text -> output[0] = text,
                () -> LoggerFactory.getLogger("dev.crmsync.Probe").atInfo().addKeyValue("flow", "persons").log("probe"));

        // Then the line is text, with its key-values
        assertThat(output[0]).contains("INFO  dev.crmsync.Probe - probe flow=\"persons\"").doesNotContain("{");
    }

    /**
     * Runs {@code action} under the production {@code logback.xml} with {@code -Dcrmsync.log.format} set to
     * {@code format} (unset when null) and the level at DEBUG, catching what the active appender writes, then
     * restores the test configuration.
     */
    private static void withProductionLogging(String format, Consumer<String> output, Runnable action) {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        ByteArrayOutputStream caught = new ByteArrayOutputStream();
        String appender = LogFormat.of(format, null).appender();
        try {
            if (format != null) {
                System.setProperty(LogFormat.PROPERTY, format);
            } else {
                System.clearProperty(LogFormat.PROPERTY);
            }
            System.setProperty("CRMSYNC_LOG_LEVEL", "DEBUG");
            context.reset();
            JoranConfigurator configurator = new JoranConfigurator();
            configurator.setContext(context);
            configurator.doConfigure(JsonLogScenarioTest.class.getResource("/logback.xml"));
            Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
            assertThat(root.iteratorForAppenders()).toIterable().extracting(a -> a.getName())
                    .containsExactly(appender);
            ((OutputStreamAppender<ILoggingEvent>) root.getAppender(appender)).setOutputStream(caught);
            action.run();
        } catch (JoranException e) {
            throw new IllegalStateException(e);
        } finally {
            System.clearProperty(LogFormat.PROPERTY);
            System.clearProperty("CRMSYNC_LOG_LEVEL");
            context.reset();
            try {
                new ContextInitializer(context).autoConfig();
            } catch (JoranException e) {
                throw new IllegalStateException(e);
            }
        }
        output.accept(caught.toString(UTF_8));
    }
}
