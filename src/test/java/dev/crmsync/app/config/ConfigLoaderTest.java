package dev.crmsync.app.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.crmsync.adapters.http.Resilience;
import dev.crmsync.engine.ConflictPolicy;
import dev.crmsync.engine.DeleteMark;
import dev.crmsync.engine.DeletePolicy;
import dev.crmsync.engine.DeleteRules;
import dev.crmsync.engine.SyncSettings;
import dev.crmsync.model.Flow;
import dev.crmsync.model.Side;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

    private static final String MINIMAL = """
            webcrm:    { url: http://127.0.0.1:8081, token: ${WEBCRM_TOKEN} }
            customcrm: { url: http://127.0.0.1:8082, api-key: ${CUSTOMCRM_API_KEY} }
            store:     { url: jdbc:sqlite:crmsync.db }
            """;

    private final ConfigLoader loader = new ConfigLoader(Map.of("WEBCRM_TOKEN", "w-secret",
            "CUSTOMCRM_API_KEY", "c-secret"));

    private CrmsyncConfig parse(String yaml) {
        return loader.parse(yaml, Path.of("/etc/crmsync"));
    }

    private static String problem(Runnable load) {
        try {
            load.run();
        } catch (ConfigException e) {
            return e.getMessage();
        }
        throw new AssertionError("expected a ConfigException");
    }

    @Test
    void shouldReadTheMinimalFileWithDefaultsForEverythingElse() {
        CrmsyncConfig config = parse(MINIMAL);

        assertThat(config.webcrm().url()).hasToString("http://127.0.0.1:8081");
        assertThat(config.webcrm().token().reveal()).isEqualTo("w-secret");
        assertThat(config.customcrm().apiKey().reveal()).isEqualTo("c-secret");
        assertThat(config.storeUrl()).isEqualTo("jdbc:sqlite:/etc/crmsync/crmsync.db");
        assertThat(config.sync().conflictPolicy().kind()).isEqualTo(ConflictPolicy.Kind.NEWEST_WINS);
        assertThat(config.sync().deleteThreshold()).isEqualTo(0.2);
        assertThat(config.mappings()).containsOnlyKeys(Flow.values());
        assertThat(config.webcrm().requestsPerMinute()).isLessThanOrEqualTo(250);
        assertThat(config.webcrm().writeBatchSize()).isEqualTo(500);
        assertThat(config.customcrm().writeBatchSize()).isEqualTo(500);
    }

    @Test
    void shouldReadTheWriteBatchSizesAndNameTheKeyOfOneOutOfRange() {
        CrmsyncConfig config = parse(MINIMAL.replace("token: ${WEBCRM_TOKEN}", "token: t, write-batch-size: 100")
                .replace("api-key: ${CUSTOMCRM_API_KEY}", "api-key: k, write-batch-size: 1"));

        assertThat(config.webcrm().writeBatchSize()).isEqualTo(100);
        assertThat(config.customcrm().writeBatchSize()).isEqualTo(1);
        assertThat(problem(() -> parse(MINIMAL.replace("token: ${WEBCRM_TOKEN}", "token: t, write-batch-size: 5000"))))
                .startsWith("webcrm.write-batch-size:");
        assertThat(problem(() -> parse(MINIMAL.replace("api-key: ${CUSTOMCRM_API_KEY}",
                "api-key: k, write-batch-size: 0")))).startsWith("customcrm.write-batch-size:");
    }

    @Test
    void shouldReadEachSystemsRetrySettingsAndNameTheKeyOfAWrongOne() {
        CrmsyncConfig config = parse(MINIMAL.replace("token: ${WEBCRM_TOKEN}",
                "token: t, retry-attempts: 3, retry-backoff: 200ms, retry-max-backoff: 5s, circuit-open: 1m"));

        assertThat(config.webcrm().resilience().retry().maxAttempts()).isEqualTo(3);
        assertThat(config.webcrm().resilience().retry().firstBackoff()).isEqualTo(Duration.ofMillis(200));
        assertThat(config.webcrm().resilience().retry().maxBackoff()).isEqualTo(Duration.ofSeconds(5));
        assertThat(config.webcrm().resilience().circuitOpen()).isEqualTo(Duration.ofMinutes(1));
        assertThat(config.customcrm().resilience()).isEqualTo(Resilience.ofDefaults());
        assertThat(problem(() -> parse(MINIMAL.replace("api-key: ${CUSTOMCRM_API_KEY}",
                "api-key: k, retry-backoff: 10s, retry-max-backoff: 5s"))))
                .startsWith("customcrm.retry-max-backoff: must not be shorter than retry-backoff (10s)");
        assertThat(problem(() -> parse(MINIMAL.replace("api-key: ${CUSTOMCRM_API_KEY}",
                "api-key: k, retry-attempts: 0")))).startsWith("customcrm.retry-attempts:");
        assertThat(problem(() -> parse(MINIMAL.replace("token: ${WEBCRM_TOKEN}", "token: t, circuit-open: 0s"))))
                .startsWith("webcrm.circuit-open:");
    }

    @Test
    void shouldNeverPrintSecrets() {
        CrmsyncConfig config = parse(MINIMAL);

        assertThat(config.toString()).doesNotContain("w-secret").doesNotContain("c-secret");
    }

    @Test
    void shouldReadEveryPolicyKey() {
        CrmsyncConfig config = parse(MINIMAL + """
                sync:
                  conflict-policy: manual
                  clock-tolerance: 5s
                  tie-breaker: customcrm
                  empty-overwrites: true
                  delete-threshold: 0.5
                  delete-minimum: 10
                  max-attempts: 3
                  retry-backoff: 1m
                  batch-size: 50
                  delete-window: 30m
                  flows:
                    persons: { delete: retire }
                """);

        ConflictPolicy policy = config.sync().conflictPolicy();
        assertThat(policy.kind()).isEqualTo(ConflictPolicy.Kind.MANUAL);
        assertThat(policy.tolerance()).isEqualTo(Duration.ofSeconds(5));
        assertThat(policy.tieBreaker()).isEqualTo(Side.CUSTOMCRM);
        assertThat(policy.emptyOverwrites()).isTrue();
        assertThat(config.sync().deleteThreshold()).isEqualTo(0.5);
        assertThat(config.sync().deleteMinimum()).isEqualTo(10);
        assertThat(config.sync().maxAttempts()).isEqualTo(3);
        assertThat(config.sync().retryBackoff()).isEqualTo(Duration.ofMinutes(1));
        assertThat(config.sync().batchSize()).isEqualTo(50);
        assertThat(config.sync().deleteWindow()).isEqualTo(Duration.ofMinutes(30));
        // retire is the older name of retire-link, kept so that existing files keep working
        assertThat(config.sync().deleteRules().get(Flow.PERSONS)).isEqualTo(DeleteRules.both(DeletePolicy.RETIRE_LINK));
        assertThat(config.sync().deleteRules().get(Flow.PRODUCTS)).isEqualTo(DeleteRules.DEFAULT);
    }

    @Test
    void shouldNameTheKeyOfEachMistake() {
        assertThat(problem(() -> parse("customcrm: { url: http://x, api-key: k }")))
                .isEqualTo("webcrm: is required");
        assertThat(problem(() -> parse(MINIMAL.replace("token: ${WEBCRM_TOKEN}", "time-zone: UTC"))))
                .startsWith("webcrm.token: is required");
        assertThat(problem(() -> parse(MINIMAL.replace("token: ${WEBCRM_TOKEN}", "tokn: x"))))
                .isEqualTo("webcrm.tokn: unknown key; did you mean webcrm.token?");
        assertThat(problem(() -> parse(MINIMAL.replace("api-key:", "api_key:"))))
                .isEqualTo("customcrm.api_key: unknown key; did you mean customcrm.api-key?");
        assertThat(problem(() -> parse(MINIMAL + "sync: { conflict-policy: loudest-wins }")))
                .startsWith("sync.conflict-policy: unknown conflict policy 'loudest-wins'");
        assertThat(problem(() -> parse(MINIMAL + "sync: { delete-threshold: 20 }")))
                .startsWith("sync.delete-threshold:");
        assertThat(problem(() -> parse(MINIMAL + "sync: { retry-backoff: soon }")))
                .startsWith("sync.retry-backoff: 'soon' is not a duration");
        assertThat(problem(() -> parse(MINIMAL + "sync: { flows: { deals: { delete: retire } } }")))
                .isEqualTo("sync.flows.deals: unknown key; known keys here are organisations, persons, products");
        assertThat(problem(() -> parse(MINIMAL.replace("http://127.0.0.1:8081", "ftp://x"))))
                .startsWith("webcrm.url: 'ftp://x' is not an http(s) URL");
        assertThat(problem(() -> parse(MINIMAL + "colour: blue"))).startsWith("colour: unknown key");
        assertThat(problem(() -> parse(MINIMAL.replace("jdbc:sqlite:crmsync.db", "\"jdbc:sqlite::memory:\""))))
                .startsWith("store.url:");
        assertThat(problem(() -> parse("webcrm: [1, 2]\ncustomcrm: {}"))).startsWith("webcrm: must be a mapping");
    }

    @Test
    void shouldReadAPostgresqlStoreWithItsUserAndAPasswordFromTheEnvironmentAndNeverShowThePassword() {
        // Given
        ConfigLoader withStorePassword = new ConfigLoader(Map.of("WEBCRM_TOKEN", "w", "CUSTOMCRM_API_KEY", "c",
                "STORE_PASSWORD", "s3cret-store"));
        String yaml = MINIMAL.replace("store:     { url: jdbc:sqlite:crmsync.db }", """
                store:
                  url: jdbc:postgresql://db.example.com:5432/crmsync?currentSchema=acme
                  user: crmsync
                  password: ${STORE_PASSWORD}
                """);

        // When
        CrmsyncConfig config = withStorePassword.parse(yaml, Path.of("/etc/crmsync"));

        // Then
        assertThat(config.storeUrl()).isEqualTo("jdbc:postgresql://db.example.com:5432/crmsync?currentSchema=acme");
        assertThat(config.store().user()).isEqualTo("crmsync");
        assertThat(config.store().password().reveal()).isEqualTo("s3cret-store");
        assertThat(config.store().toString()).doesNotContain("s3cret-store");
        assertThat(config.toString()).doesNotContain("s3cret-store");
    }

    @Test
    void shouldRefuseAStoreUrlOfNeitherDatabaseAndKeysThatOnlyPostgresqlTakes() {
        assertThat(problem(() -> parse(MINIMAL.replace("jdbc:sqlite:crmsync.db",
                "\"jdbc:mysql://db/crmsync?password=hunter2\""))))
                .isEqualTo("store.url: 'jdbc:mysql://db/crmsync?password=****' is not a supported store; use "
                        + "jdbc:sqlite:FILE or jdbc:postgresql://HOST/DATABASE");
        assertThat(problem(() -> parse(MINIMAL.replace("jdbc:sqlite:crmsync.db", "jdbc:postgresql:crmsync"))))
                .startsWith("store.url: 'jdbc:postgresql:crmsync' is not a PostgreSQL URL such as "
                        + "jdbc:postgresql://db.example.com:5432/crmsync");
        assertThat(problem(() -> parse(MINIMAL.replace("{ url: jdbc:sqlite:crmsync.db }",
                "{ url: jdbc:sqlite:crmsync.db, user: crmsync }"))))
                .startsWith("store.user: unknown key");
    }

    private static final String TWO_CONNECTIONS = """
            connections:
              - name: acme
                webcrm:    { url: http://127.0.0.1:8081, token: ${ACME_WEBCRM_TOKEN} }
                customcrm: { url: http://127.0.0.1:8082, api-key: ${ACME_CUSTOMCRM_KEY} }
                sync:      { conflict-policy: webcrm-wins, flows: { persons: { interval: 2m } } }
              - name: globex-eu
                webcrm:    { url: http://127.0.0.1:9081, token: ${GLOBEX_WEBCRM_TOKEN} }
                customcrm: { url: http://127.0.0.1:9082, api-key: ${GLOBEX_CUSTOMCRM_KEY} }
            store:  { url: jdbc:sqlite:crmsync.db }
            server: { port: 8090 }
            """;

    private final ConfigLoader connectionsLoader = new ConfigLoader(Map.of("ACME_WEBCRM_TOKEN", "a-w",
            "ACME_CUSTOMCRM_KEY", "a-c", "GLOBEX_WEBCRM_TOKEN", "g-w", "GLOBEX_CUSTOMCRM_KEY", "g-c"));

    @Test
    void shouldReadEachConnectionWithItsOwnSystemsPoliciesAndStoreAndTheSharedServer() {
        // When
        List<CrmsyncConfig> connections = connectionsLoader.parseAll(TWO_CONNECTIONS, Path.of("/etc/crmsync"));

        // Then
        assertThat(connections).extracting(CrmsyncConfig::connection).containsExactly("acme", "globex-eu");
        CrmsyncConfig acme = connections.get(0);
        CrmsyncConfig globex = connections.get(1);
        assertThat(acme.webcrm().token().reveal()).isEqualTo("a-w");
        assertThat(globex.customcrm().apiKey().reveal()).isEqualTo("g-c");
        assertThat(acme.sync().conflictPolicy().kind()).isEqualTo(ConflictPolicy.Kind.WEBCRM_WINS);
        assertThat(globex.sync().conflictPolicy().kind()).isEqualTo(ConflictPolicy.Kind.NEWEST_WINS);
        assertThat(acme.service().schedules().get(Flow.PERSONS).interval()).hasMinutes(2);
        assertThat(globex.service().schedules().get(Flow.PERSONS).interval())
                .isNotEqualTo(Duration.ofMinutes(2));
        assertThat(acme.service().port()).isEqualTo(8090);
        assertThat(globex.service().port()).isEqualTo(8090);
        assertThat(acme.storeUrl()).isEqualTo("jdbc:sqlite:/etc/crmsync/crmsync-acme.db");
        assertThat(globex.storeUrl()).isEqualTo("jdbc:sqlite:/etc/crmsync/crmsync-globex-eu.db");
    }

    @Test
    void shouldKeepAFileOfOneConnectionAsItWasNamedDefault() {
        CrmsyncConfig config = parse(MINIMAL);

        assertThat(config.connection()).isEqualTo("default");
        assertThat(config.storeUrl()).isEqualTo("jdbc:sqlite:/etc/crmsync/crmsync.db");
        assertThat(loader.parseAll(MINIMAL, Path.of("/etc/crmsync"))).singleElement()
                .extracting(CrmsyncConfig::connection, CrmsyncConfig::storeUrl)
                .containsExactly("default", "jdbc:sqlite:/etc/crmsync/crmsync.db");
    }

    @Test
    void shouldAskWhichConnectionWhenTheFileHoldsSeveralAndNameThemWhenTheOneAskedForIsNotThere(
            @TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("crmsync.yaml"), TWO_CONNECTIONS);

        assertThat(connectionsLoader.load(file, "globex-eu").connection()).isEqualTo("globex-eu");
        assertThat(problem(() -> connectionsLoader.load(file))).isEqualTo("--connection: the file holds 2 "
                + "connections (acme, globex-eu); name one with --connection NAME");
        assertThat(problem(() -> connectionsLoader.load(file, "initech"))).isEqualTo("--connection: the file has "
                + "no connection 'initech'; its connections: acme, globex-eu");
        Path one = Files.writeString(dir.resolve("one.yaml"), MINIMAL);
        assertThat(problem(() -> loader.load(one, "acme")))
                .isEqualTo("--connection: the file has no connection 'acme'; its connections: default");
    }

    @Test
    void shouldNameTheConnectionAndTheKeyOfEveryMistakeInAConnection() {
        assertThat(problem(() -> connectionsLoader.parseAll(TWO_CONNECTIONS.replace("${GLOBEX_WEBCRM_TOKEN}",
                "${GLOBEX_TOKEN}"), null)))
                .isEqualTo("connections[globex-eu].webcrm.token: environment variable GLOBEX_TOKEN is not set");
        assertThat(problem(() -> connectionsLoader.parseAll(TWO_CONNECTIONS.replace("globex-eu", "acme"), null)))
                .startsWith("connections[1].name: 'acme' names two connections");
        assertThat(problem(() -> connectionsLoader.parseAll(TWO_CONNECTIONS.replace("globex-eu", "Globex EU"),
                null))).startsWith("connections[1].name: 'Globex EU' is not a connection name");
        assertThat(problem(() -> connectionsLoader.parseAll(TWO_CONNECTIONS.replace("- name: acme\n", "- \n"),
                null))).isEqualTo("connections[0].name: is required");
        assertThat(problem(() -> connectionsLoader.parseAll(TWO_CONNECTIONS.replace("conflict-policy", "conflict"),
                null))).startsWith("connections[0].sync.conflict: unknown key");
        assertThat(problem(() -> connectionsLoader.parseAll(MINIMAL.replace("store:", "connections: []\nstore:"),
                null))).startsWith("webcrm: goes inside each connection when the file has connections:");
    }

    @Test
    void shouldReadADeletePolicyPerSideWithTheMarkItWrites() {
        SyncSettings sync = parse(MINIMAL + """
                sync:
                  flows:
                    persons:
                      delete: retire-link
                      delete-on-customcrm: mark
                      mark-on-webcrm: { property: PersonStatus, value: Resigned }
                """).sync();

        DeleteRules persons = sync.deleteRules().get(Flow.PERSONS);
        assertThat(persons.onDeleteSeenOn(Side.WEBCRM)).isEqualTo(DeletePolicy.RETIRE_LINK);
        assertThat(persons.onDeleteSeenOn(Side.CUSTOMCRM)).isEqualTo(DeletePolicy.MARK);
        assertThat(persons.markOn(Side.WEBCRM)).contains(new DeleteMark("PersonStatus", "Resigned"));
        assertThat(sync.deleteRules().get(Flow.ORGANISATIONS)).isEqualTo(DeleteRules.DEFAULT);
    }

    @Test
    void shouldNameTheKeyOfEachDeletePolicyMistake() {
        assertThat(problem(() -> parse(MINIMAL + "sync: { flows: { persons: { delete-on-webcrm: erase } } }")))
                .isEqualTo("sync.flows.persons.delete-on-webcrm: unknown delete policy 'erase': expected propagate, "
                        + "retire-link, mark or ignore");
        assertThat(problem(() -> parse(MINIMAL + "sync: { flows: { persons: { delete-on-customcrm: mark } } }")))
                .startsWith("sync.flows.persons.mark-on-webcrm: is required: a delete seen on Customcrm is to mark "
                        + "the webCRM record, e.g. mark-on-webcrm: { property: PersonStatus, value: Resigned }");
        assertThat(problem(() -> parse(MINIMAL
                + "sync: { flows: { persons: { mark-on-customcrm: { property: status, value: resigned } } } }")))
                .startsWith("sync.flows.persons.mark-on-customcrm: is set, but a delete seen on webCRM does not mark");
        assertThat(problem(() -> parse(MINIMAL + "sync: { flows: { persons: { delete: mark, "
                + "mark-on-webcrm: { property: PersonStatus }, mark-on-customcrm: { property: status, value: x } } } }")))
                .startsWith("sync.flows.persons.mark-on-webcrm.value: is required");
        assertThat(problem(() -> parse(MINIMAL + "sync: { flows: { persons: { delete-on-customcrm: mark, "
                + "mark-on-webcrm: { property: PersonStatus, value: Resigned, colour: red } } } }")))
                .startsWith("sync.flows.persons.mark-on-webcrm.colour: unknown key");
    }

    @Test
    void shouldServeOnLoopbackWithoutTokenOrHooksByDefault() {
        ServiceSettings service = parse(MINIMAL).service();

        assertThat(service.host()).isEqualTo("127.0.0.1");
        assertThat(service.port()).isEqualTo(8080);
        assertThat(service.token()).isNull();
        assertThat(service.publicUrl()).isNull();
        assertThat(service.schedules().values()).containsOnly(ServiceSettings.DEFAULT_SCHEDULE);
    }

    @Test
    void shouldLetEachFlowInheritOrOverrideTheSchedule() {
        ServiceSettings service = parse(MINIMAL + """
                server: { host: 0.0.0.0, port: 9000, token: abcdefghijklmnopq, public-url: "https://sync.example.com/" }
                sync:
                  interval: 1m
                  reconcile-interval: 2h
                  flows: { products: { interval: 5m } }
                """).service();

        assertThat(service.host()).isEqualTo("0.0.0.0");
        assertThat(service.port()).isEqualTo(9000);
        assertThat(service.token().reveal()).isEqualTo("abcdefghijklmnopq");
        assertThat(service.publicUrl()).hasToString("https://sync.example.com");
        assertThat(service.schedules().get(Flow.ORGANISATIONS))
                .isEqualTo(new ServiceSettings.Schedule(Duration.ofMinutes(1), Duration.ofHours(2)));
        assertThat(service.schedules().get(Flow.PRODUCTS))
                .isEqualTo(new ServiceSettings.Schedule(Duration.ofMinutes(5), Duration.ofHours(2)));
    }

    @Test
    void shouldNameTheKeyOfEachServiceMistake() {
        assertThat(problem(() -> parse(MINIMAL + "server: { port: 70000 }"))).startsWith("server.port:");
        assertThat(problem(() -> parse(MINIMAL + "server: { token: short }"))).startsWith("server.token: is too short");
        assertThat(problem(() -> parse(MINIMAL + "server: { public-url: not-a-url }"))).startsWith("server.public-url:");
        assertThat(problem(() -> parse(MINIMAL + "server: { bind: x }"))).startsWith("server.bind: unknown key");
        assertThat(problem(() -> parse(MINIMAL + "sync: { interval: 0s }"))).startsWith("sync.interval: must be a positive duration");
        assertThat(problem(() -> parse(MINIMAL + "sync: { flows: { persons: { reconcile-interval: 1s } } }")))
                .startsWith("sync.flows.persons.reconcile-interval: must be at least the interval (30s)");
    }

    @Test
    void shouldStampWithTheConfiguredWebcrmFieldAndRefuseOneThatCannotHoldIt() {
        CrmsyncConfig config = parse(MINIMAL + "sync: { flows: { persons: { webcrm-stamp-field: PersonCustom12 } } }");

        assertThat(config.mappings().get(Flow.PERSONS).webcrmStampProperty()).isEqualTo("PersonCustom12");
        assertThat(config.mappings().get(Flow.ORGANISATIONS).webcrmStampProperty()).isEqualTo("OrganisationCustom5");
        assertThat(problem(() -> parse(MINIMAL + "sync: { flows: { persons: { webcrm-stamp-field: PersonEmail } } }")))
                .startsWith("sync.flows.persons.webcrm-stamp-field: 'PersonEmail' is not a free text field");
        assertThat(problem(() -> parse(MINIMAL
                + "sync: { flows: { products: { webcrm-stamp-field: ProductCustom1 } } }")))
                .startsWith("sync.flows.products.webcrm-stamp-field:").contains("also a mapped field");
    }

    @Test
    void shouldAddReplaceAndRemoveRowsOfTheDefaultTables() {
        CrmsyncConfig config = parse(MINIMAL + """
                mappings:
                  organisations:
                    fields:
                      - { webcrm: OrganisationCustom1, customcrm: notes }
                      - { webcrm: OrganisationIndustry, customcrm: industry, direction: webcrm-to-customcrm }
                      - { webcrm: OrganisationStatus, customcrm: status, values: { A Kunde: a_customer } }
                    remove: [ website ]
                  persons:
                    match: { normalise: none }
                """);

        var organisations = config.mappings().get(Flow.ORGANISATIONS);
        assertThat(organisations.field("notes").orElseThrow().webcrmProperty()).isEqualTo("OrganisationCustom1");
        assertThat(organisations.fields()).noneMatch(f -> f.webcrmProperty().equals("OrganisationComment"));
        assertThat(organisations.field("website")).isEmpty();
        assertThat(organisations.field("industry").orElseThrow().direction())
                .isEqualTo(dev.crmsync.mapping.Direction.WEBCRM_TO_CUSTOMCRM);
        assertThat(organisations.field("status").orElseThrow().webcrm().toCanonical("a kunde")).isEqualTo("a_customer");
        assertThat(organisations.field("status").orElseThrow().webcrm().fromCanonical("a_customer")).isEqualTo("A Kunde");
        assertThat(organisations.fields()).hasSize(13);
        assertThat(config.mappings().get(Flow.PERSONS).match()).isEmpty();
        assertThat(config.mappings().get(Flow.PRODUCTS).fields()).hasSize(12);
    }

    @Test
    void shouldApplyDefaultCaseAndConstantAsTheyAreRead() {
        CrmsyncConfig config = parse(MINIMAL + """
                mappings:
                  persons:
                    fields:
                      - { webcrm: PersonLastName, customcrm: last_name, default: "-" }
                      - { webcrm: PersonEmail, customcrm: email, case: lower }
                      - { webcrm: PersonTitle, customcrm: job_title, constant: Contact, direction: webcrm-to-customcrm }
                """);

        var persons = config.mappings().get(Flow.PERSONS);
        assertThat(persons.field("last_name").orElseThrow().customcrm().toCanonical(null)).isEqualTo("-");
        assertThat(persons.field("last_name").orElseThrow().webcrm().toCanonical("Holm")).isEqualTo("Holm");
        assertThat(persons.field("email").orElseThrow().webcrm().toCanonical("Mette@X.DK")).isEqualTo("mette@x.dk");
        assertThat(persons.field("job_title").orElseThrow().webcrm().toCanonical("CFO")).isEqualTo("Contact");
        CrmsyncConfig danish = parse(MINIMAL + """
                mappings:
                  products:
                    fields:
                      - { webcrm: ProductCustom3, customcrm: cost_price, type: decimal, webcrm-number-format: da-DK }
                """);
        var cost = danish.mappings().get(Flow.PRODUCTS).field("cost_price").orElseThrow();
        assertThat(cost.webcrm().toCanonical("1.234,50")).isEqualTo(new java.math.BigDecimal("1234.50"));
        assertThat(cost.webcrm().fromCanonical(new java.math.BigDecimal("1234.5"))).isEqualTo("1.234,5");
        assertThatThrownBy(() -> cost.webcrm().toCanonical("12 kr")).hasMessageContaining("12 kr");
        assertThat(problem(() -> parse(MINIMAL
                + "mappings: { persons: { fields: [ { webcrm: PersonEmail, customcrm: email, case: title } ] } }")))
                .startsWith("mappings.persons.fields[0].case: expected upper or lower");
    }

    @Test
    void shouldReadAJoinOfSeveralPropertiesAndReplaceTheRowsItOverlaps() {
        CrmsyncConfig config = parse(MINIMAL + """
                mappings:
                  persons:
                    fields:
                      - { webcrm: [ PersonFirstName, PersonMiddleName ], customcrm: first_name }
                """);

        var persons = config.mappings().get(Flow.PERSONS);
        var joined = persons.field("first_name").orElseThrow();
        assertThat(joined.partsOn(dev.crmsync.model.Side.WEBCRM)).containsExactly("PersonFirstName", "PersonMiddleName");
        assertThat(joined.webcrm().toCanonical(java.util.List.of("Mette", "Louise"))).isEqualTo("Mette Louise");
        assertThat(persons.field("middle_name")).isEmpty();
        assertThat(problem(() -> parse(MINIMAL + """
                mappings: { persons: { fields: [ { webcrm: [ PersonFirstName, "Customer number" ], customcrm: x } ] } }
                """))).startsWith("mappings.persons.fields[0].webcrm: 'Customer number' is not a property");
        assertThat(problem(() -> parse(MINIMAL + """
                mappings: { persons: { fields: [ { webcrm: PersonTitle, customcrm: job_title, join: "-" } ] } }
                """))).startsWith("mappings.persons.fields[0].join: a join needs a list of properties");
    }

    @Test
    void shouldNameTheKeyOfEachMappingMistake() {
        assertThat(problem(() -> parse(MINIMAL + "mappings: { deals: {} }")))
                .isEqualTo("mappings.deals: unknown key; known keys here are organisations, persons, products");
        assertThat(problem(() -> parse(MINIMAL + "mappings: { person: {} }")))
                .isEqualTo("mappings.person: unknown key; did you mean mappings.persons?");
        assertThat(problem(() -> parse(MINIMAL + "mappings: { persons: { fields: [ { webcrm: PersonTitle } ] } }")))
                .isEqualTo("mappings.persons.fields[0].customcrm: is required");
        assertThat(problem(() -> parse(MINIMAL
                + "mappings: { persons: { fields: [ { webcrm: OrganisationName, customcrm: notes } ] } }")))
                .startsWith("mappings.persons.fields[0].webcrm: 'OrganisationName' is not a property of a webCRM Person");
        assertThat(problem(() -> parse(MINIMAL
                + "mappings: { products: { fields: [ { webcrm: ProductCustom2, customcrm: sku, type: money } ] } }")))
                .startsWith("mappings.products.fields[0].type: unknown type 'money'");
        assertThat(problem(() -> parse(MINIMAL
                + "mappings: { products: { fields: [ { webcrm: ProductCustom2, customcrm: sku, direction: up } ] } }")))
                .startsWith("mappings.products.fields[0].direction: unknown direction 'up'");
        assertThat(problem(() -> parse(MINIMAL + "mappings: { organisations: { remove: [ fax ] } }")))
                .startsWith("mappings.organisations.remove: no row of the organisations table maps 'fax'");
        assertThat(problem(() -> parse(MINIMAL + "mappings: { organisations: { remove: [ vat_number ] } }")))
                .startsWith("mappings.organisations.match: the match key 'vat_number' is not a mapped field");
        assertThat(problem(() -> parse(MINIMAL
                + "mappings: { persons: { fields: [ { webcrm: PersonCustom2, customcrm: x, colour: red } ] } }")))
                .startsWith("mappings.persons.fields[0].colour: unknown key");
    }

    @Test
    void shouldSayWhichEnvironmentVariableIsMissing() {
        ConfigLoader bare = new ConfigLoader(Map.of());

        assertThat(problem(() -> bare.parse(MINIMAL, Path.of("."))))
                .isEqualTo("webcrm.token: environment variable WEBCRM_TOKEN is not set");
    }

    @Test
    void shouldUseTheDefaultOfAVariableWhenItIsNotSet() {
        CrmsyncConfig config = new ConfigLoader(Map.of()).parse("""
                webcrm:    { url: http://127.0.0.1:8081, token: "${WEBCRM_TOKEN:-demo}" }
                customcrm: { url: http://127.0.0.1:8082, api-key: k }
                """, Path.of("/tmp"));

        assertThat(config.webcrm().token().reveal()).isEqualTo("demo");
    }

    @Test
    void shouldRefuseASectionGivenTwiceNamingItAndBothLines() {
        // Given a second webcrm block, which YAML would let replace the first one whole
        String yaml = MINIMAL + """
                webcrm:    { url: http://127.0.0.1:9999 }
                """;

        // When
        String problem = problem(() -> parse(yaml));

        // Then
        assertThat(problem).isEqualTo("webcrm: given twice, on lines 1 and 4; a key may appear once in its mapping");
    }

    @Test
    void shouldRefuseAKeyGivenTwiceInsideOneSectionOrRow() {
        // Given
        String block = """
                webcrm:
                  url: http://127.0.0.1:8081
                  token: first
                  token: second
                customcrm: { url: http://127.0.0.1:8082, api-key: k }
                """;
        String row = MINIMAL + """
                mappings:
                  persons:
                    fields:
                      - { webcrm: PersonTitle, customcrm: job_title }
                      - { webcrm: PersonCustom2, customcrm: notes, customcrm: x }
                """;

        // When
        String inBlock = problem(() -> parse(block));
        String inRow = problem(() -> parse(row));

        // Then the dotted key and where it is, never the value
        assertThat(inBlock).isEqualTo("webcrm.token: given twice, on lines 3 and 4; a key may appear once in its mapping")
                .doesNotContain("first").doesNotContain("second");
        assertThat(inRow).isEqualTo("mappings.persons.fields[1].customcrm: given twice, on line 8; "
                + "a key may appear once in its mapping");
    }

    @Test
    void shouldReportEveryUnknownKeyOfTheFileInOneMessageWithTheNearestKnownKey() {
        // Given four mistakes in three sections, one of them hiding a required key
        String yaml = """
                webcrm:    { url: http://127.0.0.1:8081, tokn: w }
                customcrm: { url: http://127.0.0.1:8082, api_key: k }
                sync:      { intervall: 1m, colour: blue }
                """;

        // When
        String problem = problem(() -> parse(yaml));

        // Then
        assertThat(problem).isEqualTo("""
                4 unknown keys:
                  webcrm.tokn: unknown key; did you mean webcrm.token?
                  customcrm.api_key: unknown key; did you mean customcrm.api-key?
                  sync.intervall: unknown key; did you mean sync.interval?
                  sync.colour: unknown key; known keys here are conflict-policy, clock-tolerance, tie-breaker, \
                empty-overwrites, delete-threshold, delete-minimum, delete-window, max-attempts, retry-backoff, batch-size, interval, \
                reconcile-interval, flows""");
    }

    @Test
    void shouldSayPlainlyThatTheFileWasNotFoundWithItsAbsolutePath(@TempDir Path dir) {
        // Given
        Path missing = dir.resolve("crmsync.yaml");

        // When
        String problem = problem(() -> loader.load(missing));

        // Then
        assertThat(problem).isEqualTo("configuration file not found: " + missing.toAbsolutePath());
    }

    @Test
    void shouldLoadWithoutCredentialsWhenTheirVariablesAreNotSet() {
        // Given no environment at all
        ConfigLoader offline = new ConfigLoader(Map.of()).withoutCredentials();

        // When
        CrmsyncConfig config = offline.parse(MINIMAL + "server: { token: ${CRMSYNC_TOKEN} }\n"
                + "sync: { conflict-policy: manual }\n", Path.of("/etc/crmsync"));

        // Then everything but the credentials is read
        assertThat(config.storeUrl()).isEqualTo("jdbc:sqlite:/etc/crmsync/crmsync.db");
        assertThat(config.sync().conflictPolicy().kind()).isEqualTo(ConflictPolicy.Kind.MANUAL);
        assertThat(config.webcrm().token()).isSameAs(ConfigLoader.NOT_READ);
        assertThat(config.customcrm().apiKey()).isSameAs(ConfigLoader.NOT_READ);
        assertThat(config.service().token()).isNull();
    }

    @Test
    void shouldNotReadCredentialsWithoutThemEvenWhenTheyAreSet() {
        // When
        CrmsyncConfig config = loader.withoutCredentials().parse(MINIMAL, Path.of("/etc/crmsync"));

        // Then
        assertThat(config.webcrm().token().reveal()).isEmpty();
        assertThat(config.customcrm().apiKey().reveal()).isEmpty();
    }

    @Test
    void shouldStillRequireTheCredentialKeysAndOtherVariablesWithoutCredentials() {
        // Given
        ConfigLoader offline = new ConfigLoader(Map.of()).withoutCredentials();

        // When
        String noToken = problem(() -> offline.parse(MINIMAL.replace("token: ${WEBCRM_TOKEN}", "token: \"\""),
                Path.of(".")));
        String unsetUrl = problem(() -> offline.parse(MINIMAL.replace("http://127.0.0.1:8082", "${CUSTOMCRM_URL}"),
                Path.of(".")));

        // Then
        assertThat(noToken).isEqualTo("webcrm.token: is required");
        assertThat(unsetUrl).isEqualTo("customcrm.url: environment variable CUSTOMCRM_URL is not set");
    }

    @Test
    void shouldReadTheNotifySectionWithItsSecretsFromTheEnvironment() {
        // Given a receiver whose URL and header hold secrets, as a chat webhook's do
        ConfigLoader withSecrets = new ConfigLoader(Map.of("WEBCRM_TOKEN", "w", "CUSTOMCRM_API_KEY", "c",
                "NOTIFY_URL", "https://chat.example.com/hooks/T000/B000/s3cr3t-path", "NOTIFY_TOKEN", "n-secret"));

        // When
        CrmsyncConfig config = withSecrets.parse(MINIMAL + """
                notify:
                  url: ${NOTIFY_URL}
                  headers: { Authorization: "Bearer ${NOTIFY_TOKEN}" }
                  timeout: 5s
                  retry-attempts: 2
                  retry-backoff: 100ms
                  dead-letter-threshold: 25
                """, Path.of("/etc/crmsync"));

        // Then every key is read, and only the receiver's scheme and host are ever shown
        NotifySettings notify = config.notifications();
        assertThat(notify.url()).hasToString("https://chat.example.com/hooks/T000/B000/s3cr3t-path");
        assertThat(notify.headers().get("Authorization").reveal()).isEqualTo("Bearer n-secret");
        assertThat(notify.timeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(notify.retry().maxAttempts()).isEqualTo(2);
        assertThat(notify.retry().firstBackoff()).isEqualTo(Duration.ofMillis(100));
        assertThat(notify.retry().maxBackoff()).isEqualTo(Duration.ofSeconds(30));
        assertThat(notify.deadLetterThreshold()).isEqualTo(25);
        assertThat(notify.shownUrl()).isEqualTo("https://chat.example.com/…");
        assertThat(config.toString()).doesNotContain("s3cr3t").doesNotContain("n-secret");
    }

    @Test
    void shouldNotifyNoOneWithoutTheSectionAndUseDefaultsForWhatItLeavesOut() {
        assertThat(parse(MINIMAL).notifications()).isNull();

        NotifySettings notify = parse(MINIMAL + "notify: { url: \"http://127.0.0.1:9000\" }\n").notifications();
        assertThat(notify.headers()).isEmpty();
        assertThat(notify.timeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(notify.retry().maxAttempts()).isEqualTo(3);
        assertThat(notify.deadLetterThreshold()).isZero();
        assertThat(notify.shownUrl()).isEqualTo("http://127.0.0.1:9000");
    }

    @Test
    void shouldNameTheKeyOfEachNotifyMistake() {
        assertThat(problem(() -> parse(MINIMAL + "notify: { url: \"http://x.example\", dead-letter-treshold: 5 }\n")))
                .isEqualTo("notify.dead-letter-treshold: unknown key; did you mean notify.dead-letter-threshold?");
        assertThat(problem(() -> parse(MINIMAL + "notify: { timeout: 5s }\n"))).isEqualTo("notify.url: is required");
        assertThat(problem(() -> parse(MINIMAL + "notify: { url: \"ftp://x.example\" }\n")))
                .startsWith("notify.url: 'ftp://x.example' is not an http(s) URL");
        assertThat(problem(() -> parse(MINIMAL + "notify: { url: \"http://x.example\", dead-letter-threshold: 0 }\n")))
                .startsWith("notify.dead-letter-threshold:");
        assertThat(problem(() -> parse(MINIMAL + "notify: { url: \"http://x.example\", headers: [ a ] }\n")))
                .startsWith("notify.headers:");
        assertThat(problem(() -> parse(MINIMAL + "notify: { url: \"http://x.example\", timeout: 0s }\n")))
                .isEqualTo("notify.timeout: must be longer than 0s");
        assertThat(problem(() -> parse(MINIMAL + "notify: { url: \"http://x.example\", headers: { X-Key: ${NOTIFY_KEY} } }\n")))
                .isEqualTo("notify.headers.X-Key: environment variable NOTIFY_KEY is not set");
    }

    @Test
    void shouldLeaveTheNotifySecretsUnreadWithoutCredentials() {
        // When a command that notifies no one loads a file whose notify secrets are not in its environment
        CrmsyncConfig config = new ConfigLoader(Map.of()).withoutCredentials().parse(MINIMAL + """
                notify: { url: "${NOTIFY_URL}", headers: { Authorization: "Bearer ${NOTIFY_TOKEN}" } }
                """, Path.of("."));

        // Then it loads, holding no secret of the receiver
        assertThat(config.notifications().headers()).isEmpty();
        assertThat(config.notifications().url().getHost()).isEqualTo("notify.invalid");
    }

    @Test
    void shouldRefuseYamlThatDoesNotParse() {
        assertThat(problem(() -> parse("webcrm: { url: [")))
                .startsWith("the configuration is not valid YAML");
    }
}
