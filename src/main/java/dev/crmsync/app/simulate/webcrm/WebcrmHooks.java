package dev.crmsync.app.simulate.webcrm;

import dev.crmsync.app.simulate.HookDelivery;
import dev.crmsync.app.simulate.SimulatorJson;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.InstantSource;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The tenant's webhooks ({@code /Organisations/Hooks}, {@code /Persons/Hooks}, {@code /Products/Hooks}; API-NOTES
 * §9) and their delivery.
 *
 * <p>A hook belongs to the application token that made it: {@code GET …/Hooks} returns "own" hooks only, and
 * another token's hook answers 404 as if it did not exist. Hook ids come from one counter for all entities and are
 * never reused.
 *
 * <p><b>Delivery</b>, where webCRM documents nothing (the payload is the simulator's own convention, see
 * {@code docs/simulators/webcrm.md}): when a record is created, updated or deleted, by the API or by a user,
 * every enabled hook of its entity whose {@code EventType} matches and whose {@code Filter} holds {@code All} is
 * sent {@code POST <TargetUrl>} with {@code {"EventType":"Update","Entity":"Organisation","Id":123}}. Delivery is
 * asynchronous, so a write never waits for a receiver; it is tried once, and a failure (no answer, a non-2xx
 * status) is logged and dropped, since webCRM is not known to retry. Deliveries of one hook may arrive out of
 * order. The owner filters ({@code Owner}, {@code OrganisationOwner}, …) are kept and served but match no record:
 * an application token stands for no webCRM user whose records they could select.
 *
 * <p>This class is threadsafe.
 */
final class WebcrmHooks implements AutoCloseable {

    /** Who the hook stamps name for hooks made through the API, as for records. */
    private static final String API_AUTHOR = "API";
    private static final String FILTER_ALL = "All";
    private static final int MAX_URL_LENGTH = 2048;
    /** Long enough for a slow receiver, short enough that a dead one does not pile up requests. */

    /** One stored hook; {@code owner} is the application token that made it. */
    private record Hook(long id, String owner, WebcrmEntity entity, String targetUrl, boolean enabled,
                        List<String> filter, WebcrmHookEvent event, LocalDateTime createdAt, String createdBy,
                        LocalDateTime updatedAt, String updatedBy) {
    }

    /** The values a client may set, checked. */
    private record Settings(String targetUrl, boolean enabled, List<String> filter, WebcrmHookEvent event) {
    }

    private final InstantSource clock;
    private final Map<Long, Hook> hooks = new TreeMap<>();
    private final HookDelivery delivery;
    private long lastId;

    /**
     * @param clock where the hook stamps come from
     */
    WebcrmHooks(InstantSource clock) {
        this(clock, new HookDelivery());
    }

    /**
     * @param clock    where the hook stamps come from
     * @param delivery how the deliveries go out; closed with these hooks
     */
    WebcrmHooks(InstantSource clock, HookDelivery delivery) {
        this.clock = clock;
        this.delivery = delivery;
    }

    /**
     * @param entity a record kind
     * @return the values its hooks' {@code Filter} may hold, as the Swagger document lists them
     */
    static List<String> filters(WebcrmEntity entity) {
        return entity == WebcrmEntity.ORGANISATION ? List.of(FILTER_ALL, "Owner", "Owner2")
                : List.of(FILTER_ALL, "OrganisationOwner", "OrganisationOwner2");
    }

    // ---------------------------------------------------------------- the hook endpoints

    /**
     * @param owner  the caller's application token
     * @param entity the record kind
     * @return the caller's hooks of that entity as DTOs, in id order
     */
    synchronized List<ObjectNode> list(String owner, WebcrmEntity entity) {
        return hooks.values().stream().filter(h -> h.owner().equals(owner) && h.entity() == entity)
                .map(WebcrmHooks::toDto).toList();
    }

    /**
     * @param owner  the caller's application token
     * @param entity the record kind
     * @param id     the hook's id
     * @return the hook as a DTO
     * @throws WebcrmApiException a 404 when the caller has no such hook
     */
    synchronized ObjectNode get(String owner, WebcrmEntity entity, long id) {
        return toDto(own(owner, entity, id));
    }

    /**
     * @param owner  the caller's application token
     * @param entity the record kind
     * @param dto    the hook DTO as sent; its {@code Id} must be 0 or absent
     * @return the new hook's id
     * @throws WebcrmApiException a 400 when the DTO is not valid
     */
    synchronized long create(String owner, WebcrmEntity entity, JsonNode dto) {
        Settings settings = validate(entity, dto, true);
        LocalDateTime now = WebcrmTimestamps.now(clock);
        long id = ++lastId;
        hooks.put(id, new Hook(id, owner, entity, settings.targetUrl(), settings.enabled(), settings.filter(),
                settings.event(), now, API_AUTHOR, now, API_AUTHOR));
        return id;
    }

    /**
     * Replaces a hook's settings; an {@code Id} in the DTO is ignored, as for records.
     *
     * @param owner  the caller's application token
     * @param entity the record kind
     * @param id     the hook's id
     * @param dto    the whole hook DTO
     * @throws WebcrmApiException a 404 when the caller has no such hook, a 400 when the DTO is not valid
     */
    synchronized void replace(String owner, WebcrmEntity entity, long id, JsonNode dto) {
        Hook current = own(owner, entity, id);
        Settings settings = validate(entity, dto, false);
        hooks.put(id, new Hook(id, owner, entity, settings.targetUrl(), settings.enabled(), settings.filter(),
                settings.event(), current.createdAt(), current.createdBy(), WebcrmTimestamps.now(clock),
                API_AUTHOR));
    }

    /**
     * @param owner  the caller's application token
     * @param entity the record kind
     * @param id     the hook's id
     * @throws WebcrmApiException a 404 when the caller has no such hook
     */
    synchronized void delete(String owner, WebcrmEntity entity, long id) {
        own(owner, entity, id);
        hooks.remove(id);
    }

    // ---------------------------------------------------------------- delivery

    /**
     * Sends the change to every matching hook, without waiting for any of them. Called by {@link WebcrmRecords}
     * with its lock held, after the change is stored, so a receiver that reads at once sees it.
     *
     * @param entity the record kind
     * @param event  what happened
     * @param id     the record's id
     */
    void changed(WebcrmEntity entity, WebcrmHookEvent event, int id) {
        List<Hook> targets;
        synchronized (this) {
            targets = hooks.values().stream().filter(h -> h.entity() == entity && h.enabled()
                    && h.event() == event && h.filter().contains(FILTER_ALL)).toList();
        }
        if (targets.isEmpty()) {
            return;
        }
        ObjectNode payload = SimulatorJson.mapper().createObjectNode();
        payload.put("EventType", event.dtoName());
        payload.put("Entity", entity.singular());
        payload.put("Id", id);
        byte[] body = payload.toString().getBytes(StandardCharsets.UTF_8);
        targets.forEach(hook -> delivery.send(hook.targetUrl(), body, Map.of(), Long.toString(hook.id())));
    }

    /**
     * @return deliveries sent off so far; counted before {@link #changed} returns, so a test knows at once how many
     *         to wait for
     */
    long dispatched() {
        return delivery.dispatched();
    }

    /**
     * @return deliveries answered with 2xx so far
     */
    long delivered() {
        return delivery.delivered();
    }

    /**
     * @return deliveries that failed so far: no answer, or a status other than 2xx
     */
    long failed() {
        return delivery.failed();
    }

    /** Stops delivering; deliveries under way are abandoned. */
    @Override
    public void close() {
        delivery.close();
    }

    // ---------------------------------------------------------------- plumbing

    private Hook own(String owner, WebcrmEntity entity, long id) {
        Hook hook = hooks.get(id);
        if (hook == null || !hook.owner().equals(owner) || hook.entity() != entity) {
            throw WebcrmApiException.hookNotFound(entity, id);
        }
        return hook;
    }

    private static ObjectNode toDto(Hook hook) {
        // Swagger order: Filter first, then the rest alphabetically, as the document lists them.
        ObjectNode dto = SimulatorJson.mapper().createObjectNode();
        ArrayNode filter = dto.putArray("Filter");
        hook.filter().forEach(filter::add);
        dto.put("CreatedAt", WebcrmTimestamps.format(hook.createdAt()));
        dto.put("CreatedBy", hook.createdBy());
        dto.put("EventType", hook.event().dtoName());
        dto.put("Id", hook.id());
        dto.put("IsEnabled", hook.enabled());
        dto.put("TargetUrl", hook.targetUrl());
        dto.put("UpdatedAt", WebcrmTimestamps.format(hook.updatedAt()));
        dto.put("UpdatedBy", hook.updatedBy());
        return dto;
    }

    /**
     * Checks a hook DTO as leniently as Json.NET reads one (booleans as {@code "true"}, enums in any letter case),
     * but requires what delivery needs: an absolute http(s) {@code TargetUrl}, {@code IsEnabled}, a {@code Filter}
     * naming at least one value of the entity's enum, and an {@code EventType}. The Swagger document leaves
     * {@code EventType} optional, but documents no meaning for a hook without one, so the simulator refuses it
     * rather than guess.
     */
    private static Settings validate(WebcrmEntity entity, JsonNode dto, boolean creating) {
        String dtoName = entity.singular() + "HookDto";
        if (dto == null || !dto.isObject()) {
            throw WebcrmApiException.invalid("The " + dtoName + " must be a JSON object");
        }
        List<String> problems = new ArrayList<>();
        if (creating) {
            JsonNode id = dto.get("Id");
            if (id != null && !id.isNull() && !id.asString().strip().equals("0")) {
                problems.add("Id must be 0 to create; use PUT /" + entity.plural() + "/Hooks/{id} to update");
            }
        }
        String targetUrl = targetUrl(dto.get("TargetUrl"), problems);
        Boolean enabled = bool(dto.get("IsEnabled"));
        if (enabled == null) {
            problems.add("IsEnabled is required and must be true or false");
        }
        List<String> filter = filter(entity, dto.get("Filter"), problems);
        JsonNode eventType = dto.get("EventType");
        WebcrmHookEvent event = eventType == null || !eventType.isValueNode() || eventType.isNull() ? null
                : WebcrmHookEvent.fromDtoName(eventType.asString()).orElse(null);
        if (event == null) {
            problems.add("EventType is required and must be one of Create, Update, Delete");
        }
        if (!problems.isEmpty()) {
            throw WebcrmApiException.invalid(String.join("; ", problems));
        }
        return new Settings(targetUrl, enabled, filter, Objects.requireNonNull(event));
    }

    private static String targetUrl(JsonNode value, List<String> problems) {
        String text = value == null || !value.isString() ? null : value.asString().strip();
        if (text != null && !text.isEmpty() && text.length() <= MAX_URL_LENGTH) {
            try {
                URI uri = new URI(text);
                String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
                if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null) {
                    return text;
                }
            } catch (URISyntaxException e) {
                // Reported below.
            }
        }
        problems.add("TargetUrl is required and must be an absolute http or https URL of at most "
                + MAX_URL_LENGTH + " characters");
        return null;
    }

    private static Boolean bool(JsonNode value) {
        if (value == null || value.isNull()) {
            return null;
        }
        if (value.isBoolean()) {
            return value.booleanValue();
        }
        String text = value.isString() ? value.asString().strip().toLowerCase(Locale.ROOT) : "";
        return text.equals("true") ? Boolean.TRUE : text.equals("false") ? Boolean.FALSE : null;
    }

    private static List<String> filter(WebcrmEntity entity, JsonNode value, List<String> problems) {
        List<String> allowed = filters(entity);
        Set<String> out = new LinkedHashSet<>();
        boolean valid = value != null && value.isArray() && !value.isEmpty();
        if (valid) {
            for (JsonNode item : value) {
                String wanted = item.isString() ? item.asString().strip() : "";
                String match = allowed.stream().filter(a -> a.equalsIgnoreCase(wanted)).findFirst().orElse(null);
                if (match == null) {
                    valid = false;
                } else {
                    out.add(match);
                }
            }
        }
        if (!valid) {
            problems.add("Filter is required and must list one or more of " + String.join(", ", allowed));
        }
        return List.copyOf(out);
    }
}
