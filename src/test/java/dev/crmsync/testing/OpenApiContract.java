package dev.crmsync.testing;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.headers.Header;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Builds the Atlassian validator for one of crmsync's OpenAPI 3.1 contracts (Customcrm's, the management API's),
 * working around two gaps in it, so that the document is checked as OpenAPI means it.
 *
 * <p>swagger-request-validator 2.46.1 parses a 3.1 document, but hands schemas to its draft-04 JSON Schema engine
 * through a serializer that drops 3.1's {@code type} (the parser keeps it as a set, {@code types}) everywhere
 * below the top of a body or parameter. Left alone, {@code {"name": 5}} would pass as a string. This class copies
 * each type back: a single type into {@code type}, and {@code [X, "null"]} into {@code type: X} plus the
 * validator's own {@code nullable: true}, which means the same. Everything else the contract uses (pattern, enum,
 * format, required, minimum and maximum, lengths, additionalProperties, oneOf, allOf) the validator checks as it
 * stands; the 3.1 keywords it ignores ({@code propertyNames}) only restate rules that are also written as patterns.
 *
 * <p>The validator also checks only an operation's own {@code security}, never the document-wide default, so the
 * default is copied onto every operation that does not set its own; without that, a request with no API key
 * would pass.
 */
public final class OpenApiContract {

    /** The Customcrm contract. */
    public static final String CUSTOMCRM = "/contracts/customcrm-openapi.yaml";
    /** The management API's contract. */
    public static final String MANAGEMENT = "/contracts/crmsync-management-openapi.yaml";

    private OpenApiContract() {
    }

    /**
     * @param contract the contract's classpath resource, e.g. {@link #CUSTOMCRM}
     * @return a validator for the contract as published
     */
    public static OpenApiInteractionValidator validator(String contract) {
        // The validator's own defaults when it reads a document itself.
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        options.setResolveFully(true);
        SwaggerParseResult parsed = new OpenAPIV3Parser().readContents(contractText(contract), null, options);
        if (parsed.getOpenAPI() == null || !parsed.getMessages().isEmpty()) {
            throw new IllegalStateException("the contract does not parse: " + parsed.getMessages());
        }
        OpenAPI api = parsed.getOpenAPI();
        restoreTypes(api);
        api.getPaths().values().stream().flatMap(item -> item.readOperations().stream())
                .filter(operation -> operation.getSecurity() == null)
                .forEach(operation -> operation.setSecurity(api.getSecurity()));
        return OpenApiInteractionValidator.createFor(api).build();
    }

    private static void restoreTypes(OpenAPI api) {
        Set<Schema<?>> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        var components = api.getComponents();
        values(components.getSchemas()).forEach(s -> restore(s, seen));
        values(components.getParameters()).forEach(p -> restore(p.getSchema(), seen));
        values(components.getHeaders()).forEach(h -> restore(h.getSchema(), seen));
        values(components.getResponses()).forEach(r -> restore(r, seen));
        api.getPaths().values().forEach(item -> {
            values(item.getParameters()).forEach(p -> restore(p.getSchema(), seen));
            for (Operation operation : item.readOperations()) {
                values(operation.getParameters()).forEach(p -> restore(p.getSchema(), seen));
                if (operation.getRequestBody() != null) {
                    restore(operation.getRequestBody().getContent(), seen);
                }
                values(operation.getResponses()).forEach(r -> restore(r, seen));
            }
        });
    }

    private static void restore(ApiResponse response, Set<Schema<?>> seen) {
        values(response.getHeaders()).map(Header::getSchema).forEach(s -> restore(s, seen));
        restore(response.getContent(), seen);
    }

    private static void restore(Content content, Set<Schema<?>> seen) {
        values(content).map(MediaType::getSchema).forEach(s -> restore(s, seen));
    }

    private static void restore(Schema<?> schema, Set<Schema<?>> seen) {
        if (schema == null || !seen.add(schema)) {
            return;
        }
        Set<String> types = schema.getTypes();
        if (schema.getType() == null && types != null) {
            List<String> nonNull = types.stream().filter(t -> !t.equals("null")).toList();
            if (nonNull.size() == 1) {
                schema.setType(nonNull.getFirst());
                if (types.contains("null")) {
                    schema.setNullable(true);
                }
            }
        }
        values(schema.getProperties()).forEach(s -> restore(s, seen));
        restore(schema.getItems(), seen);
        if (schema.getAdditionalProperties() instanceof Schema<?> additional) {
            restore(additional, seen);
        }
        Stream.of(schema.getAllOf(), schema.getAnyOf(), schema.getOneOf())
                .flatMap(OpenApiContract::values)
                .forEach(s -> restore(s, seen));
    }

    private static <T> Stream<T> values(Map<String, T> map) {
        return map == null ? Stream.empty() : map.values().stream();
    }

    private static <T> Stream<T> values(Collection<T> collection) {
        return collection == null ? Stream.empty() : collection.stream();
    }

    private static String contractText(String contract) {
        try (InputStream in = OpenApiContract.class.getResourceAsStream(contract)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
