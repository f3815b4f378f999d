package dev.crmsync.app.service.hooks;

import dev.crmsync.model.Flow;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What a webCRM hook delivery says, read as leniently as can be: webCRM does not document its payload (API-NOTES
 * §9), so no shape is relied on. The flows are those whose webCRM entity the payload names, in an
 * {@code Entity}-like member ({@code "Entity": "Organisation"}, the simulator's convention, or {@code EntityType},
 * {@code Type}, {@code ObjectType}; singular or plural, any letter case) or, failing that, by a member that carries
 * the entity's prefix ({@code "PersonId": 12}); arrays are read item by item. A delivery is a delete when an
 * {@code EventType}-like member says {@code Delete}.
 *
 * <p>An empty {@link #flows()} means the payload named no entity crmsync knows (or did not parse): the caller
 * then hints every flow, which costs one early read each and misses nothing.
 *
 * @param flows  the flows the payload names; empty when it names none
 * @param delete whether it reports a delete
 */
record WebcrmHookPayload(Set<Flow> flows, boolean delete) {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();
    private static final List<String> ENTITY_MEMBERS = List.of("entity", "entitytype", "type", "objecttype");
    private static final List<String> EVENT_MEMBERS = List.of("eventtype", "event", "action");
    private static final int MAX_ITEMS = 1000;

    WebcrmHookPayload {
        flows = flows.isEmpty() ? Set.of() : Set.copyOf(flows);
    }

    /**
     * @param body the delivery's body, possibly empty or not JSON
     * @return what it names
     */
    static WebcrmHookPayload read(String body) {
        JsonNode root;
        try {
            root = body == null || body.isBlank() ? null : MAPPER.readTree(body);
        } catch (JacksonException e) {
            root = null;
        }
        Set<Flow> flows = EnumSet.noneOf(Flow.class);
        boolean delete = false;
        if (root != null) {
            int seen = 0;
            for (JsonNode item : root.isArray() ? root : List.of(root)) {
                if (!item.isObject() || ++seen > MAX_ITEMS) {
                    continue;
                }
                flows.addAll(flowsOf(item));
                delete |= isDelete(item);
            }
        }
        return new WebcrmHookPayload(flows, delete);
    }

    private static Set<Flow> flowsOf(JsonNode item) {
        Set<Flow> named = EnumSet.noneOf(Flow.class);
        for (var member : item.properties()) {
            if (ENTITY_MEMBERS.contains(member.getKey().toLowerCase(Locale.ROOT)) && member.getValue().isString()) {
                String value = member.getValue().asString().strip();
                for (Flow flow : Flow.values()) {
                    if (value.equalsIgnoreCase(flow.webcrmEntity()) || value.equalsIgnoreCase(flow.webcrmCollection())) {
                        named.add(flow);
                    }
                }
            }
        }
        if (named.isEmpty()) {
            for (String name : item.propertyNames()) {
                for (Flow flow : Flow.values()) {
                    if (name.startsWith(flow.webcrmEntity()) && name.length() > flow.webcrmEntity().length()) {
                        named.add(flow);
                    }
                }
            }
        }
        return named;
    }

    private static boolean isDelete(JsonNode item) {
        for (var member : item.properties()) {
            if (EVENT_MEMBERS.contains(member.getKey().toLowerCase(Locale.ROOT)) && member.getValue().isString()
                    && member.getValue().asString().strip().toLowerCase(Locale.ROOT).startsWith("delete")) {
                return true;
            }
        }
        return false;
    }
}
