package dev.crmsync.app.check;

import dev.crmsync.model.Flow;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.MissingNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * The parts of a Customcrm's published OpenAPI document the preflight reads: per record type, the schema of the
 * body {@code POST /{type}} takes (what crmsync may write, and what a create needs) and of the record
 * {@code GET /{type}/{id}} answers (what the server sets), each property's type, format, allowed values, length
 * and pattern.
 *
 * <p>Only local references ({@code #/components/…}) and {@code allOf} are followed, which is what
 * crmsync's own contract uses; a reference elsewhere, or a schema built with {@code oneOf}, reads as a schema
 * without properties, so its properties are reported unknown rather than guessed.
 *
 * <p>This class is threadsafe: it is immutable after parsing.
 */
final class CustomcrmContract {

    /** How deep references may nest before the document is taken to be circular. */
    private static final int MAX_DEPTH = 32;

    /**
     * What the contract says about one property.
     *
     * @param types     the JSON types it allows, {@code null} left out; empty when the contract names none
     * @param format    its {@code format}, or empty
     * @param allowed   its {@code enum} values other than {@code null}; empty when any value goes
     * @param maxLength its {@code maxLength}, or 0 for none
     * @param pattern   its {@code pattern}, or empty
     */
    record Property(Set<String> types, String format, List<String> allowed, int maxLength, String pattern) {
        Property {
            types = Set.copyOf(types);
            allowed = List.copyOf(allowed);
        }
    }

    private final JsonNode root;

    private CustomcrmContract(JsonNode root) {
        this.root = root;
    }

    /**
     * @param yaml the document, YAML or JSON
     * @return the contract
     * @throws IllegalArgumentException when the text is no OpenAPI document with paths
     */
    static CustomcrmContract parse(String yaml) {
        JsonNode root;
        try {
            root = YAMLMapper.builder().build().readTree(yaml);
        } catch (JacksonException e) {
            throw new IllegalArgumentException("not a YAML or JSON document: " + e.getOriginalMessage(), e);
        }
        if (root == null || !root.path("paths").isObject() || !root.has("openapi")) {
            throw new IllegalArgumentException("not an OpenAPI document with paths");
        }
        return new CustomcrmContract(root);
    }

    /**
     * @param flow a flow
     * @return whether the contract defines how to create its Customcrm records
     */
    boolean definesWrites(Flow flow) {
        return writeSchema(flow).isPresent();
    }

    /**
     * @param flow a flow
     * @param path a dotted property path, e.g. {@code address.city}
     * @return the property as a create may send it
     */
    Optional<Property> writable(Flow flow, String path) {
        return writeSchema(flow).flatMap(schema -> property(schema, path));
    }

    /**
     * @param flow a flow
     * @param path a dotted property path
     * @return the property as a read answers it
     */
    Optional<Property> readable(Flow flow, String path) {
        return readSchema(flow).flatMap(schema -> property(schema, path));
    }

    /**
     * @param flow a flow
     * @return the top-level properties a create must carry
     */
    Set<String> required(Flow flow) {
        Set<String> out = new LinkedHashSet<>();
        writeSchema(flow).ifPresent(schema -> collectRequired(schema, out, 0));
        return out;
    }

    /**
     * @param flow a flow
     * @return every dotted property path a create may send, for suggestions
     */
    List<String> writablePaths(Flow flow) {
        List<String> out = new ArrayList<>();
        writeSchema(flow).ifPresent(schema -> collectPaths(schema, "", out, 0));
        return out;
    }

    // ---------------------------------------------------------------- schemas of the operations

    private Optional<JsonNode> writeSchema(Flow flow) {
        JsonNode body = resolve(root.path("paths").path("/" + flow.customcrmCollection()).path("post")
                .path("requestBody"));
        return jsonSchema(body);
    }

    private Optional<JsonNode> readSchema(Flow flow) {
        String prefix = "/" + flow.customcrmCollection() + "/{";
        for (Iterator<Map.Entry<String, JsonNode>> it = root.path("paths").properties().iterator(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> path = it.next();
            String key = path.getKey();
            if (key.startsWith(prefix) && key.endsWith("}") && key.indexOf('/', prefix.length()) < 0) {
                return jsonSchema(resolve(path.getValue().path("get").path("responses").path("200")));
            }
        }
        return Optional.empty();
    }

    private Optional<JsonNode> jsonSchema(JsonNode bodyOrResponse) {
        JsonNode content = bodyOrResponse.path("content");
        for (String type : List.of("application/json", "application/merge-patch+json")) {
            JsonNode schema = content.path(type).path("schema");
            if (!schema.isMissingNode()) {
                return Optional.of(resolve(schema));
            }
        }
        return Optional.empty();
    }

    // ---------------------------------------------------------------- schema walking

    private Optional<Property> property(JsonNode schema, String path) {
        JsonNode current = schema;
        for (String segment : path.split("\\.", -1)) {
            JsonNode next = properties(current).get(segment);
            if (next == null) {
                return Optional.empty();
            }
            current = resolve(next);
        }
        return Optional.of(describe(current));
    }

    private Property describe(JsonNode schema) {
        Set<String> types = new LinkedHashSet<>();
        collectTypes(schema, types, 0);
        types.remove("null");
        List<String> allowed = new ArrayList<>();
        for (JsonNode value : schema.path("enum")) {
            if (!value.isNull()) {
                allowed.add(value.asString());
            }
        }
        return new Property(types, schema.path("format").asString(""), allowed, schema.path("maxLength").asInt(0),
                schema.path("pattern").asString(""));
    }

    private Map<String, JsonNode> properties(JsonNode schema) {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        collectProperties(resolve(schema), out, 0);
        return out;
    }

    private void collectProperties(JsonNode schema, Map<String, JsonNode> out, int depth) {
        guard(depth);
        schema.path("properties").properties().forEach(e -> out.putIfAbsent(e.getKey(), e.getValue()));
        for (JsonNode part : schema.path("allOf")) {
            collectProperties(resolve(part), out, depth + 1);
        }
    }

    private void collectRequired(JsonNode schema, Set<String> out, int depth) {
        guard(depth);
        schema.path("required").forEach(name -> out.add(name.asString()));
        for (JsonNode part : schema.path("allOf")) {
            collectRequired(resolve(part), out, depth + 1);
        }
    }

    private void collectTypes(JsonNode schema, Set<String> out, int depth) {
        guard(depth);
        JsonNode type = schema.path("type");
        if (type.isString()) {
            out.add(type.asString());
        }
        type.forEach(t -> out.add(t.asString()));
        for (JsonNode part : schema.path("allOf")) {
            collectTypes(resolve(part), out, depth + 1);
        }
    }

    private void collectPaths(JsonNode schema, String prefix, List<String> out, int depth) {
        guard(depth);
        properties(schema).forEach((name, child) -> {
            out.add(prefix + name);
            JsonNode resolved = resolve(child);
            if (!properties(resolved).isEmpty()) {
                collectPaths(resolved, prefix + name + ".", out, depth + 1);
            }
        });
    }

    /** Follows local {@code $ref}s; anything else comes back as a missing node, a schema with no properties. */
    private JsonNode resolve(JsonNode node) {
        JsonNode current = node;
        for (int i = 0; i < MAX_DEPTH && current.path("$ref").isString(); i++) {
            String ref = current.path("$ref").asString();
            current = ref.startsWith("#/") ? root.at(ref.substring(1)) : MissingNode.getInstance();
        }
        guard(current.path("$ref").isString() ? MAX_DEPTH : 0);
        return current;
    }

    private static void guard(int depth) {
        if (depth >= MAX_DEPTH) {
            throw new IllegalArgumentException("the contract's schemas refer to each other in a circle");
        }
    }
}
