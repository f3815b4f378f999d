package dev.crmsync.adapters.webcrm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.crmsync.adapters.http.Sleeper;
import dev.crmsync.app.simulate.SeedPlan;
import dev.crmsync.app.simulate.webcrm.WebcrmFieldsMetadata;
import dev.crmsync.app.simulate.webcrm.WebcrmSimulator;
import dev.crmsync.model.Flow;
import dev.crmsync.model.Secret;
import dev.crmsync.ports.PermanentCrmException;
import dev.crmsync.testing.MutableClock;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Reading webCRM's field metadata through the connector, against the simulator's tenant, and finding a custom
 * field by the label a user sees in webCRM.
 */
class WebcrmFieldsMetadataTest {

    private static final String TOKEN = "metadata-test-token-41c0";
    private static final Map<Flow, String> STAMPS = Map.of(Flow.ORGANISATIONS, "OrganisationCustom5",
            Flow.PERSONS, "PersonCustom5", Flow.PRODUCTS, "ProductCustom5");

    private final MutableClock clock = new MutableClock(Instant.parse("2026-03-02T09:00:00Z"));
    private final WebcrmSimulator sim = WebcrmSimulator.builder().token(TOKEN).seedPlan(new SeedPlan(0, 0, 0, 0))
            .clock(clock).build().start("127.0.0.1", 0);
    private final WebcrmConnector connector = connector(TOKEN);

    @AfterEach
    void stop() {
        connector.close();
        sim.close();
    }

    private WebcrmConnector connector(String token) {
        return connector(sim.baseUrl(), token);
    }

    private WebcrmConnector connector(String url, String token) {
        Sleeper advance = clock::advance;
        WebcrmSettings settings = new WebcrmSettings(URI.create(url), new Secret(token),
                ZoneId.of("Europe/Copenhagen"), Duration.ofMinutes(10), 100, 240, Duration.ofSeconds(10));
        return new WebcrmConnector(settings, STAMPS, clock, advance);
    }

    @Test
    void shouldReadTheConfiguredFieldsOfAnEntity() {
        // When
        List<WebcrmFieldMetadata> fields = connector.fieldsMetadata(Flow.ORGANISATIONS);

        // Then
        assertThat(fields).extracting(WebcrmFieldMetadata::property)
                .containsExactly("OrganisationCustom1", "OrganisationCustom5", "OrganisationType",
                        "OrganisationStatus");
        assertThat(fields.get(0)).satisfies(f -> {
            assertThat(f.flow()).isEqualTo(Flow.ORGANISATIONS);
            assertThat(f.dbFieldName()).isEqualTo("o_custom1");
            assertThat(f.label()).isEqualTo("Customer number");
            assertThat(f.isFreeText()).isTrue();
            assertThat(f.maxLength()).isEqualTo(255);
        });
        assertThat(fields.get(2)).satisfies(f -> {
            assertThat(f.isDropdown()).isTrue();
            assertThat(f.isFreeText()).isFalse();
            assertThat(f.dropdownValues()).isEqualTo(WebcrmFieldsMetadata.ORGANISATION_TYPES);
        });
    }

    @Test
    void shouldResolveALabelToItsPropertyWithoutRegardToCase() {
        // Given
        WebcrmTenantFields tenant = WebcrmTenantFields.read(connector);

        // When
        WebcrmTenantFields.Resolution resolution = tenant.resolve(Flow.ORGANISATIONS,
                List.of("Customer number", "  CRMSYNC LINK ID ", "Shoe size"));

        // Then
        assertThat(resolution.properties()).containsExactly(Map.entry("Customer number", "OrganisationCustom1"),
                Map.entry("  CRMSYNC LINK ID ", "OrganisationCustom5"));
        assertThat(resolution.unknown()).containsExactly("Shoe size");
        assertThat(resolution.isComplete()).isFalse();
        assertThat(tenant.propertyOf(Flow.PRODUCTS, "product NAME")).isEqualTo("ProductCustom1");
        assertThat(tenant.byLabel(Flow.PERSONS, "crmsync link id")).map(WebcrmFieldMetadata::property)
                .contains("PersonCustom5");
    }

    @Test
    void shouldNameTheKnownLabelsWhenALabelIsUnknown() {
        WebcrmTenantFields tenant = WebcrmTenantFields.read(connector);

        assertThatThrownBy(() -> tenant.propertyOf(Flow.ORGANISATIONS, "Shoe size"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no Organisation field labelled 'Shoe size'")
                .hasMessageContaining("Customer number");
    }

    @Test
    void shouldCallALabelSharedByTwoFieldsAmbiguous() {
        WebcrmTenantFields tenant = WebcrmTenantFields.of(Map.of(Flow.PERSONS, List.of(
                new WebcrmFieldMetadata(Flow.PERSONS, "PersonCustom1", "p_custom1", "Region", "T", 0, List.of()),
                new WebcrmFieldMetadata(Flow.PERSONS, "PersonCustom2", "p_custom2", "region", "T", 0, List.of()))));

        WebcrmTenantFields.Resolution resolution = tenant.resolve(Flow.PERSONS, List.of("Region"));

        assertThat(resolution.ambiguous()).containsExactly("Region");
        assertThat(tenant.byLabel(Flow.PERSONS, "Region")).isEmpty();
    }

    @Test
    void shouldRefuseAWrongTokenWithoutNamingIt() {
        try (WebcrmConnector wrong = connector("not-the-token-0007")) {
            assertThatThrownBy(() -> wrong.fieldsMetadata(Flow.PRODUCTS))
                    .isInstanceOf(PermanentCrmException.class)
                    .hasMessageContaining("refused")
                    .hasMessageNotContaining("not-the-token-0007");
        }
    }

    @Test
    void shouldDerivePropertyNamesFromDbFieldNamesWhenWebcrmSendsNoFriendlyName() throws IOException {
        // Given a webCRM whose metadata names fields only by their db field name, and a dropdown without Text
        HttpServer stub = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        stub.createContext("/Auth/ApiLogin", exchange -> answer(exchange,
                "{\"AccessToken\": \"stub-access\", \"ExpiresIn\": 3600}"));
        stub.createContext("/FieldsMetadata/Organisation", exchange -> answer(exchange, """
                [{"FieldMetadataDbFieldName": "o_extracustom3", "FieldMetadataLabel": "Region",
                  "FieldMetadataDisplayType": "D", "FieldMetadataTextFieldMaxLength": null,
                  "FieldMetadataDropdownListData": [{"Value": "North"}, {"Text": "South", "Value": "S"}]},
                 {"FieldMetadataDbFieldName": "o_custom12", "FieldMetadataFriendlyFieldName": "Custom 12",
                  "FieldMetadataLabel": "Account manager", "FieldMetadataDisplayType": "T"}]
                """));
        stub.start();
        try (WebcrmConnector stubbed = connector("http://127.0.0.1:" + stub.getAddress().getPort(), TOKEN)) {
            // When
            List<WebcrmFieldMetadata> fields = stubbed.fieldsMetadata(Flow.ORGANISATIONS);

            // Then
            assertThat(fields).extracting(WebcrmFieldMetadata::property)
                    .containsExactly("OrganisationExtraCustom3", "OrganisationCustom12");
            assertThat(fields.get(0).dropdownValues()).containsExactly("North", "South");
            assertThat(fields.get(0).maxLength()).isZero();
            assertThat(WebcrmTenantFields.of(Map.of(Flow.ORGANISATIONS, fields))
                    .propertyOf(Flow.ORGANISATIONS, "account MANAGER")).isEqualTo("OrganisationCustom12");
        } finally {
            stub.stop(0);
        }
    }

    private static void answer(com.sun.net.httpserver.HttpExchange exchange, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }
}
