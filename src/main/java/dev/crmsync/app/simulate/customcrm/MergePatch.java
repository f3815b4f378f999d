package dev.crmsync.app.simulate.customcrm;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * JSON Merge Patch, RFC 7396: what {@code PATCH} does to a record. Members of the patch replace the target's,
 * {@code null} removes a member, and objects merge member by member, so {@code {"address":{"city":"Vejle"}}}
 * changes only the city.
 *
 * <p>This class is threadsafe: it holds no state.
 */
final class MergePatch {

    private MergePatch() {
    }

    /**
     * @param target the document to patch; not modified
     * @param patch  the patch; not modified
     * @return the patched document, sharing no nodes with either input
     */
    static JsonNode apply(JsonNode target, JsonNode patch) {
        if (!patch.isObject()) {
            return patch.deepCopy();
        }
        ObjectNode result = target != null && target.isObject()
                ? (ObjectNode) target.deepCopy()
                : CustomcrmJson.MAPPER.createObjectNode();
        patch.forEachEntry((name, value) -> {
            if (value.isNull()) {
                result.remove(name);
            } else {
                result.set(name, apply(result.get(name), value));
            }
        });
        return result;
    }
}
