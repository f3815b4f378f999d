package dev.crmsync.app.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crmsync.model.Flow;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Keeps the three descriptions of the configuration in step: the loader, the JSON Schema editors use, and the
 * example files that show every key between them (the PostgreSQL store's keys and several connections in examples
 * of their own). Each example must load, every key path of an example must be in the schema, and
 * every key the schema describes must be shown in an example (for one flow at least).
 */
class ConfigSchemaTest {

    private static final Path EXAMPLE = Path.of("docs/crmsync.example.yaml");
    private static final Path POSTGRES_EXAMPLE = Path.of("docs/crmsync.postgres.example.yaml");
    private static final Path CONNECTIONS_EXAMPLE = Path.of("docs/crmsync.connections.example.yaml");

    private static JsonNode schema() throws IOException {
        try (InputStream in = ConfigSchemaTest.class.getResourceAsStream("/contracts/crmsync-config.schema.json")) {
            return JsonMapper.builder().build().readTree(in);
        }
    }

    @Test
    void shouldLoadTheExampleThatShowsEveryKey() {
        CrmsyncConfig config = new ConfigLoader(Map.of("WEBCRM_TOKEN", "t", "CUSTOMCRM_API_KEY", "k",
                "CRMSYNC_TOKEN", "a-token-of-sixteen-or-more", "CRMSYNC_NOTIFY_URL", "https://chat.example.com/hooks/x",
                "CRMSYNC_NOTIFY_TOKEN", "n")).load(EXAMPLE);

        assertThat(config.webcrm().url()).hasToString("https://api.webcrm.com");
        assertThat(config.mappings()).hasSize(3);
        assertThat(config.service().schedules().get(Flow.ORGANISATIONS).interval()).hasSeconds(10);
        assertThat(config.service().schedules().get(Flow.PERSONS).interval()).hasSeconds(30);
        assertThat(config.notifications().url()).hasToString("https://chat.example.com/hooks/x");
        assertThat(config.notifications().deadLetterThreshold()).isEqualTo(10);
    }

    @Test
    void shouldLoadThePostgresqlExample() {
        CrmsyncConfig config = new ConfigLoader(Map.of("WEBCRM_TOKEN", "t", "CUSTOMCRM_API_KEY", "k",
                "CRMSYNC_STORE_PASSWORD", "p")).load(POSTGRES_EXAMPLE);

        assertThat(config.store().isPostgres()).isTrue();
        assertThat(config.store().user()).isEqualTo("crmsync");
    }

    @Test
    void shouldLoadTheExampleOfSeveralConnections() {
        List<CrmsyncConfig> connections = new ConfigLoader(Map.of("ACME_WEBCRM_TOKEN", "a", "ACME_CUSTOMCRM_API_KEY",
                "b", "GLOBEX_WEBCRM_TOKEN", "c", "GLOBEX_CUSTOMCRM_API_KEY", "d")).loadAll(CONNECTIONS_EXAMPLE);

        assertThat(connections).extracting(CrmsyncConfig::connection).containsExactly("acme", "globex");
        assertThat(connections.get(1).storeUrl()).endsWith("/docs/crmsync-globex.db");
    }

    @Test
    void shouldDescribeInTheSchemaExactlyTheKeysOfTheExample() throws IOException {
        JsonNode schema = schema();
        TreeSet<String> inSchema = new TreeSet<>();
        schemaPaths(schema, schema, "", inSchema);
        TreeSet<String> inExample = new TreeSet<>();
        for (Path file : new Path[] {EXAMPLE, POSTGRES_EXAMPLE, CONNECTIONS_EXAMPLE}) {
            examplePaths(YAMLMapper.builder().build().readTree(Files.readString(file)), "", inExample);
        }

        assertThat(anyFlow(inExample)).isEqualTo(anyFlow(inSchema));
        assertThat(inSchema).containsAll(inExample);
    }

    /**
     * The three flows share their keys, so the examples need to show each key for one flow only; and a connection
     * of several has the same keys as the file of one, so those need showing once.
     */
    private static TreeSet<String> anyFlow(TreeSet<String> paths) {
        TreeSet<String> out = new TreeSet<>();
        paths.forEach(p -> out.add(p.replaceAll("^connections\\[]\\.(webcrm|customcrm|sync|mappings)", "$1")
                .replaceAll("^(mappings|sync\\.flows)\\.(organisations|persons|products)", "$1.*")));
        return out;
    }

    private static void schemaPaths(JsonNode root, JsonNode node, String prefix, TreeSet<String> out) {
        JsonNode resolved = node.has("$ref")
                ? root.at(node.path("$ref").asString().substring(1)) : node;
        if (resolved.has("items")) {
            schemaPaths(root, resolved.path("items"), prefix + "[]", out);
        }
        JsonNode properties = resolved.path("properties");
        for (String name : properties.propertyNames()) {
            String path = prefix.isEmpty() ? name : prefix + "." + name;
            out.add(path);
            schemaPaths(root, properties.get(name), path, out);
        }
    }

    private static void examplePaths(JsonNode node, String prefix, TreeSet<String> out) {
        if (node.isArray()) {
            node.forEach(item -> examplePaths(item, prefix + "[]", out));
            return;
        }
        if (!node.isObject() || prefix.endsWith(".values") || prefix.endsWith(".filter.webcrm")
                || prefix.endsWith(".filter.customcrm") || prefix.equals("notify.headers")) {
            return;
        }
        for (String name : node.propertyNames()) {
            String path = prefix.isEmpty() ? name : prefix + "." + name;
            out.add(path);
            examplePaths(node.get(name), path, out);
        }
    }
}
