package dev.crmsync.app.simulate.webcrm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crmsync.app.simulate.SimulatorJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tools.jackson.databind.JsonNode;

/** Holds the catalogue to webCRM's Swagger document, property by property. */
class WebcrmFieldCatalogueTest {

    private static final JsonNode SWAGGER = SimulatorJson.mapper().readTree(read());

    private static String read() {
        try {
            return Files.readString(Path.of(System.getProperty("webcrm.swagger")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @ParameterizedTest
    @EnumSource(WebcrmEntity.class)
    void shouldListEverySwaggerPropertyInSwaggerOrder(WebcrmEntity entity) {
        // Given
        JsonNode properties = definition(entity).path("properties");

        // When
        List<String> catalogued = WebcrmFieldCatalogue.fields(entity).stream().filter(WebcrmField::inSwagger)
                .map(WebcrmField::name).toList();

        // Then
        assertThat(catalogued).containsExactlyElementsOf(new ArrayList<>(properties.propertyNames()));
    }

    @ParameterizedTest
    @EnumSource(WebcrmEntity.class)
    void shouldMatchSwaggerTypesMaxLengthsAndEnums(WebcrmEntity entity) {
        JsonNode properties = definition(entity).path("properties");
        for (WebcrmField field : WebcrmFieldCatalogue.fields(entity)) {
            if (!field.inSwagger()) {
                continue;
            }
            JsonNode property = properties.path(field.name());
            assertThat(typeOf(property)).as(field.name()).isEqualTo(field.type());
            assertThat(property.path("maxLength").asInt(0)).as(field.name()).isEqualTo(field.maxLength());
            List<String> values = property.path("enum").valueStream().map(JsonNode::asString).toList();
            assertThat(field.allowedValues()).as(field.name()).isEqualTo(values);
        }
    }

    @ParameterizedTest
    @EnumSource(WebcrmEntity.class)
    void shouldRequireOnlyTheIdAsSwaggerDoes(WebcrmEntity entity) {
        assertThat(definition(entity).path("required").valueStream().map(JsonNode::asString))
                .containsExactly(entity.idField());
    }

    @ParameterizedTest
    @EnumSource(WebcrmEntity.class)
    void shouldKnowEveryConfiguredMetadataField(WebcrmEntity entity) {
        WebcrmFieldsMetadata.entries().stream().filter(e -> e.entity() == entity)
                .forEach(e -> assertThat(WebcrmFieldCatalogue.find(entity, e.field())).as(e.field()).isPresent());
    }

    private static JsonNode definition(WebcrmEntity entity) {
        return SWAGGER.path("definitions").path(entity.singular() + "Dto");
    }

    private static WebcrmField.Type typeOf(JsonNode property) {
        String format = property.path("format").asString("");
        return switch (property.path("type").asString()) {
            case "integer" -> format.equals("int32") ? WebcrmField.Type.INT32 : null;
            case "number" -> WebcrmField.Type.NUMBER;
            case "boolean" -> WebcrmField.Type.BOOLEAN;
            case "string" -> format.equals("date-time") ? WebcrmField.Type.DATE_TIME : WebcrmField.Type.TEXT;
            default -> null;
        };
    }
}
