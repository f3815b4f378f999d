package dev.crmsync.app.simulate.customcrm;

import dev.crmsync.app.simulate.customcrm.CustomcrmValidator.FieldError;
import dev.crmsync.app.simulate.customcrm.Problem.Type;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Collectors;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The contract's optional batch writes, {@code POST /batch}: up to {@link #MAX_ITEMS} writes in one request, applied
 * in order, each on its own.
 *
 * <p>The request is read in two steps. First every item must name a write, by {@code op}, {@code type} and (for a
 * patch or delete) {@code id}: these pick the single route the item stands for, and a batch with an item that names
 * none is refused whole ({@code 422}), before anything is applied, since the client has a bug and a half-applied
 * batch would only make it harder to find. Then each item in turn is read and carried out exactly as its route would
 * read and carry out a request, through the same {@link RecordWrite} readers and the same
 * {@link RecordWrite#applyTo}, so an item meets the route's rules and answers the route's status and problem. One
 * item's failure undoes nothing and stops nothing.
 *
 * <p>This class is threadsafe: its state is the tenants' threadsafe {@link CustomcrmRecords}.
 *
 * @see ServedContract
 */
final class BatchRoutes {

    static final String PATH = ServedContract.BATCH_PATH;
    /** The most items a batch may hold, as the contract's {@code BatchRequest} says. */
    static final int MAX_ITEMS = 1000;

    private static final String CREATE = "create";
    private static final String PATCH = "patch";
    private static final String DELETE = "delete";

    /** A batch item as far as it names a single route; the rest of {@code item} is the route's to read. */
    private record Route(String op, RecordType type, String id, JsonNode item) {

        /** Reads the item as the route reads a request; a malformed {@code if_match} is its 400, for instance. */
        RecordWrite toWrite() {
            return switch (op) {
                case CREATE -> new RecordWrite.Create(type, RecordWrite.idempotencyKey(text("idempotency_key")),
                        RecordWrite.object(item.get("body")));
                case PATCH -> new RecordWrite.Patch(type, id, RecordWrite.ifMatch(text("if_match")),
                        RecordWrite.object(item.get("body")));
                case DELETE -> new RecordWrite.Delete(type, id, RecordWrite.ifMatch(text("if_match")));
                default -> throw new IllegalStateException("op was checked: " + op);
            };
        }

        private String text(String member) {
            JsonNode value = item.path(member);
            if (value.isMissingNode() || value.isNull()) {
                return null;
            }
            if (!value.isString()) {
                throw Problem.of(Type.BAD_REQUEST, member + " must be a string").toException();
            }
            return value.stringValue();
        }
    }

    private final Function<Context, CustomcrmRecords> tenantRecords;

    /**
     * @param tenantRecords the records the writes go to: those of the tenant an admitted request reaches
     */
    BatchRoutes(Function<Context, CustomcrmRecords> tenantRecords) {
        this.tenantRecords = tenantRecords;
    }

    /**
     * @param cfg the server configuration being built
     */
    void install(JavalinConfig cfg) {
        cfg.routes.post(PATH, this::batch);
    }

    private void batch(Context ctx) {
        JsonNode items = CustomcrmApi.body(ctx, List.of(CustomcrmApi.JSON)).path("items");
        if (!items.isArray()) {
            throw Problem.of(Type.BAD_REQUEST, "the body must hold the writes as an items array").toException();
        }
        if (items.size() > MAX_ITEMS) {
            throw Problem.of(Type.TOO_LARGE, "a batch holds at most " + MAX_ITEMS + " items, this one "
                    + items.size() + "; send smaller batches").toException();
        }
        List<Route> routes = routes(items);
        CustomcrmRecords records = tenantRecords.apply(ctx);
        ObjectNode answer = CustomcrmJson.MAPPER.createObjectNode();
        ArrayNode results = answer.putArray("items");
        for (Route route : routes) {
            results.add(apply(route, records));
        }
        ctx.status(200).contentType(CustomcrmApi.JSON).result(CustomcrmJson.MAPPER.writeValueAsString(answer));
    }

    /**
     * @return the route of every item
     * @throws ProblemException 422 naming every member that keeps an item from naming a write
     */
    private static List<Route> routes(JsonNode items) {
        List<Route> routes = new ArrayList<>(items.size());
        List<FieldError> errors = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            JsonNode item = items.get(i);
            String at = "items[" + i + "]";
            if (!item.isObject()) {
                errors.add(new FieldError(at, "must be an object"));
                continue;
            }
            String op = item.path("op").asString("");
            if (!List.of(CREATE, PATCH, DELETE).contains(op)) {
                errors.add(new FieldError(at + ".op", "must be create, patch or delete"));
            }
            RecordType type = type(item.path("type"));
            if (type == null) {
                errors.add(new FieldError(at + ".type", "must be customers, contacts or products"));
            }
            JsonNode id = item.path("id");
            boolean needsId = op.equals(PATCH) || op.equals(DELETE);
            if (needsId && !(id.isString() && !id.stringValue().isEmpty())) {
                errors.add(new FieldError(at + ".id", "must be the id of the record to " + op));
            }
            routes.add(new Route(op, type, needsId ? id.asString("") : null, item));
        }
        if (!errors.isEmpty()) {
            String fields = errors.stream().map(FieldError::field).collect(Collectors.joining(", "));
            throw Problem.of(Type.VALIDATION_FAILED, "items that name no write: " + fields + "; nothing was applied")
                    .with("errors", errors).toException();
        }
        return routes;
    }

    private static RecordType type(JsonNode value) {
        for (RecordType type : RecordType.values()) {
            if (type.path().equals(value.asString(""))) {
                return type;
            }
        }
        return null;
    }

    /** One item's result: what its route would have answered, status and record or problem. */
    private static ObjectNode apply(Route route, CustomcrmRecords records) {
        ObjectNode result = CustomcrmJson.MAPPER.createObjectNode();
        try {
            RecordWrite.Result done = route.toWrite().applyTo(records);
            result.put("status", done.status());
            if (done.record() != null) {
                result.set("record", done.record());
            }
        } catch (ProblemException e) {
            result.put("status", e.problem().status());
            result.set("problem", e.problem().toJson());
        }
        return result;
    }
}
