package dev.crmsync.app.simulate.customcrm;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.yaml.YAMLMapper;
import tools.jackson.dataformat.yaml.YAMLWriteFeature;

/**
 * The contract document a server serves at {@code GET /openapi.yaml}: {@code contracts/customcrm-openapi.yaml} as it
 * is, or, for a server run without the optional batch writes, the same document without them. Clients learn from
 * this document what the server implements, so it must not promise a route the server does not have.
 *
 * <p>Without batch writes the document loses the path {@code /batch}, every component only that path used (its
 * schemas and the {@code 413} answer), the {@code Batch} tag and the "Batch writes" section of its description. It
 * is then written out anew as YAML: the same document to any reader of YAML, though laid out by the writer, not
 * by hand.
 *
 * <p>This class is threadsafe: it holds no state.
 */
final class ServedContract {

    static final String RESOURCE = "/contracts/customcrm-openapi.yaml";
    static final String BATCH_PATH = "/batch";
    private static final String BATCH_TAG = "Batch";
    private static final String BATCH_SECTION = "## Batch writes (optional)";
    private static final String COMPONENTS = "#/components/";

    private ServedContract() {
    }

    /**
     * @param batch whether the server offers {@code POST /batch}
     * @return the document to serve, UTF-8
     * @throws IllegalStateException when the contract is not on the class path, or does not have the parts this
     *                               class takes out (a sign that the two have drifted apart)
     */
    static byte[] of(boolean batch) {
        byte[] contract = read();
        return batch ? contract : withoutBatch(contract);
    }

    private static byte[] withoutBatch(byte[] contract) {
        YAMLMapper yaml = YAMLMapper.builder()
                .disable(YAMLWriteFeature.WRITE_DOC_START_MARKER)
                .enable(YAMLWriteFeature.LITERAL_BLOCK_STYLE)
                .disable(YAMLWriteFeature.SPLIT_LINES)
                .build();
        ObjectNode root = (ObjectNode) yaml.readTree(contract);
        ObjectNode paths = (ObjectNode) root.path("paths");
        Set<String> usedBefore = reachableComponents(root);
        if (paths.remove(BATCH_PATH) == null) {
            throw new IllegalStateException("the contract has no " + BATCH_PATH + " to take out");
        }
        Set<String> usedAfter = reachableComponents(root);
        for (String component : usedBefore) {
            if (!usedAfter.contains(component)) {
                // "#/components/schemas/BatchItem" -> components.schemas.BatchItem
                String[] parts = component.substring(COMPONENTS.length()).split("/", 2);
                ((ObjectNode) root.path("components").path(parts[0])).remove(parts[1]);
            }
        }
        if (root.path("tags") instanceof ArrayNode tags) {
            for (int i = tags.size() - 1; i >= 0; i--) {
                if (tags.get(i).path("name").asString("").equals(BATCH_TAG)) {
                    tags.remove(i);
                }
            }
        }
        ObjectNode info = (ObjectNode) root.path("info");
        info.put("description", withoutSection(info.path("description").asString("")));
        return yaml.writeValueAsString(root).getBytes(StandardCharsets.UTF_8);
    }

    /**
     * @return every component ({@code #/components/schemas/Problem}) the document outside its components refers
     *         to, directly or through other components
     */
    private static Set<String> reachableComponents(ObjectNode root) {
        Set<String> reached = new HashSet<>();
        Deque<JsonNode> toVisit = new ArrayDeque<>();
        root.properties().forEach(e -> {
            if (!e.getKey().equals("components")) {
                toVisit.push(e.getValue());
            }
        });
        while (!toVisit.isEmpty()) {
            JsonNode node = toVisit.pop();
            JsonNode ref = node.path("$ref");
            if (ref.isString() && ref.asString().startsWith(COMPONENTS) && reached.add(ref.asString())) {
                toVisit.push(root.at(ref.asString().substring(1)));
            }
            node.forEach(toVisit::push);
        }
        return reached;
    }

    private static String withoutSection(String description) {
        int start = description.indexOf(BATCH_SECTION);
        if (start < 0) {
            throw new IllegalStateException("the contract's description has no section " + BATCH_SECTION);
        }
        int end = description.indexOf("\n## ", start);
        return description.substring(0, start) + (end < 0 ? "" : description.substring(end + 1));
    }

    private static byte[] read() {
        try (InputStream in = ServedContract.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the contract " + RESOURCE + " is not on the class path");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the contract " + RESOURCE, e);
        }
    }
}
