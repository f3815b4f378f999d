package dev.crmsync.app.check;

import static dev.crmsync.app.check.PreflightHarness.replacing;
import static dev.crmsync.app.check.PreflightHarness.without;
import static dev.crmsync.mapping.FieldMapping.both;
import static dev.crmsync.mapping.Transforms.date;
import static dev.crmsync.mapping.Transforms.dateAsDateTime;
import static dev.crmsync.mapping.Transforms.decimal;
import static dev.crmsync.mapping.Transforms.text;
import static dev.crmsync.mapping.Transforms.valueMap;
import static org.assertj.core.api.Assertions.assertThat;

import dev.crmsync.app.check.Finding.Kind;
import dev.crmsync.app.simulate.SeedPlan;
import dev.crmsync.app.simulate.webcrm.WebcrmEntity;
import dev.crmsync.model.Flow;
import dev.crmsync.model.Side;
import java.io.IOException;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The preflight against both simulators over real HTTP: the default mappings pass, and each mistake a user can
 * make in a configuration is caught in its own test, with the flow, system and property it concerns.
 */
class PreflightTest {

    private final PreflightHarness harness = new PreflightHarness();

    @AfterEach
    void stop() {
        harness.close();
    }

    private static List<Finding> errors(PreflightReport report) {
        return report.findings().stream().filter(f -> f.severity() == Severity.ERROR).toList();
    }

    private static List<Finding> of(PreflightReport report, Kind kind) {
        return report.findings().stream().filter(f -> f.kind() == kind).toList();
    }

    @Test
    void shouldFindNoErrorOrWarningInTheDefaultMappingsAgainstSeededSystems() {
        // When
        PreflightReport report = harness.check(harness.config());

        // Then
        assertThat(errors(report)).isEmpty();
        assertThat(report.count(Severity.WARNING)).as(report.findings().toString()).isZero();
        assertThat(report.isUnreachable()).isFalse();
        assertThat(report.sampled(Flow.ORGANISATIONS, Side.WEBCRM)).isEqualTo(12);
        assertThat(report.sampled(Flow.PERSONS, Side.WEBCRM)).isEqualTo(24);
        assertThat(report.sampled(Flow.PRODUCTS, Side.CUSTOMCRM)).isEqualTo(12);
    }

    @Test
    void shouldSayThatTheTokensWriteAccessCannotBeChecked() {
        PreflightReport report = harness.check(harness.config());

        assertThat(report.findings(null)).singleElement().satisfies(f -> {
            assertThat(f.severity()).isEqualTo(Severity.INFO);
            assertThat(f.side()).isEqualTo(Side.WEBCRM);
            assertThat(f.message()).contains("cannot be checked without writing");
        });
    }

    @Test
    void shouldReportAnUnknownWebcrmProperty() {
        // Given industry mapped to a property webCRM does not have
        var config = harness.configWith(Flow.ORGANISATIONS, m -> replacing(m, "industry",
                both("industry", "OrganisationBranch", text(), "industry", text())));

        // When
        PreflightReport report = harness.check(config);

        // Then
        assertThat(errors(report)).singleElement().satisfies(f -> {
            assertThat(f.kind()).isEqualTo(Kind.UNKNOWN_PROPERTY);
            assertThat(f.flow()).isEqualTo(Flow.ORGANISATIONS);
            assertThat(f.side()).isEqualTo(Side.WEBCRM);
            assertThat(f.property()).isEqualTo("OrganisationBranch");
            assertThat(f.message()).contains("none of the 12 sampled webCRM Organisations has it");
        });
    }

    @Test
    void shouldCheckEachPartOfAJoinedRowAsAProperty() {
        // Given the first name joined from first and middle name, once right and once with a misspelt part
        var joined = new dev.crmsync.mapping.FieldMapping("first_name", "PersonFirstName+PersonMiddleName",
                dev.crmsync.mapping.Transforms.joined(" ", 2), "first_name", text(),
                dev.crmsync.mapping.Direction.BOTH, null);
        var misspelt = new dev.crmsync.mapping.FieldMapping("first_name", "PersonFirstName+PersonMidName",
                dev.crmsync.mapping.Transforms.joined(" ", 2), "first_name", text(),
                dev.crmsync.mapping.Direction.BOTH, null);

        // When
        PreflightReport right = harness.check(harness.configWith(Flow.PERSONS,
                m -> replacing(without(m, "middle_name"), "first_name", joined)));
        PreflightReport wrong = harness.check(harness.configWith(Flow.PERSONS,
                m -> replacing(without(m, "middle_name"), "first_name", misspelt)));

        // Then
        assertThat(errors(right)).isEmpty();
        assertThat(errors(wrong)).singleElement().satisfies(f -> {
            assertThat(f.kind()).isEqualTo(Kind.UNKNOWN_PROPERTY);
            assertThat(f.property()).isEqualTo("PersonMidName");
        });
    }

    @Test
    void shouldWarnRatherThanFailWhenWebcrmHasNoRecordToSample() {
        // Given an empty webCRM, where only the field metadata can vouch for a property
        try (PreflightHarness empty = new PreflightHarness(new SeedPlan(0, 0, 0, 0), new SeedPlan(0, 3, 3, 3))) {
            // When
            PreflightReport report = empty.check(empty.config());

            // Then
            assertThat(errors(report)).isEmpty();
            assertThat(of(report, Kind.UNCHECKED)).filteredOn(f -> f.flow() == Flow.PRODUCTS).singleElement()
                    .satisfies(f -> assertThat(f.message()).contains("no webCRM Product to sample")
                            .contains("ProductPrice").doesNotContain("ProductCustom1"));
        }
    }

    @Test
    void shouldNameTheSpellingOfAWebcrmPropertyWrittenInTheWrongCase() {
        var config = harness.configWith(Flow.ORGANISATIONS, m -> replacing(m, "address.city",
                both("address.city", "Organisationcity", text(), "address.city", text())));

        PreflightReport report = harness.check(config);

        assertThat(errors(report)).singleElement().satisfies(f -> {
            assertThat(f.property()).isEqualTo("Organisationcity");
            assertThat(f.message()).contains("webCRM spells it OrganisationCity");
        });
    }

    @Test
    void shouldCheckAWebcrmCustomFieldNamedByItsLabel() {
        // Given the notes kept in webCRM's field labelled "Customer number" (OrganisationCustom1)
        var config = harness.configWith(Flow.ORGANISATIONS, m -> replacing(m, "notes",
                both("notes", "customer NUMBER", text(), "notes", text())));

        // When
        PreflightReport report = harness.check(config);

        // Then
        assertThat(errors(report)).isEmpty();
    }

    @Test
    void shouldReportALabelNoWebcrmFieldCarries() {
        var config = harness.configWith(Flow.ORGANISATIONS, m -> replacing(m, "notes",
                both("notes", "Kundenummer", text(), "notes", text())));

        PreflightReport report = harness.check(config);

        assertThat(errors(report)).singleElement().satisfies(f -> {
            assertThat(f.kind()).isEqualTo(Kind.UNKNOWN_PROPERTY);
            assertThat(f.property()).isEqualTo("Kundenummer");
            assertThat(f.message()).contains("nor the label of a field").contains("Customer number");
        });
    }

    @Test
    void shouldReportAnUnknownCustomcrmProperty() {
        // Given the city mapped to a Customcrm property the contract does not have
        var config = harness.configWith(Flow.ORGANISATIONS, m -> replacing(m, "address.city",
                both("address.city", "OrganisationCity", text(), "address.town", text())));

        // When
        PreflightReport report = harness.check(config);

        // Then
        assertThat(errors(report)).singleElement().satisfies(f -> {
            assertThat(f.kind()).isEqualTo(Kind.UNKNOWN_PROPERTY);
            assertThat(f.side()).isEqualTo(Side.CUSTOMCRM);
            assertThat(f.property()).isEqualTo("address.town");
            assertThat(f.message()).contains("the contract's Customer has no such property");
        });
    }

    @Test
    void shouldSkipTheContractChecksWithAWarningWhenCustomcrmPublishesNoContract() throws IOException {
        // Given a Customcrm that answers 404 for its contract, and a mapping to a property it does not have
        URI proxy = harness.customcrmWithoutContract();
        var wrong = harness.configWith(Flow.ORGANISATIONS, m -> replacing(m, "address.city",
                both("address.city", "OrganisationCity", text(), "address.town", text())));
        var config = new dev.crmsync.app.config.CrmsyncConfig(wrong.webcrm(),
                new dev.crmsync.adapters.customcrm.CustomcrmSettings(proxy, wrong.customcrm().apiKey(),
                        wrong.customcrm().pageSize(), wrong.customcrm().timeout()),
                wrong.store(), wrong.sync(), wrong.mappings());

        // When
        PreflightReport report = harness.check(config);

        // Then the samples were read, and the contract checks left out with one warning
        assertThat(report.isUnreachable()).isFalse();
        assertThat(report.sampled(Flow.ORGANISATIONS, Side.CUSTOMCRM)).isEqualTo(12);
        assertThat(errors(report)).isEmpty();
        assertThat(of(report, Kind.CONTRACT)).singleElement().satisfies(f -> {
            assertThat(f.severity()).isEqualTo(Severity.WARNING);
            assertThat(f.message()).contains("/openapi.yaml").contains("404").contains("were not checked");
        });
    }

    @Test
    void shouldReportADecimalMappedOverText() {
        // Given a product's description read and written as a decimal
        var config = harness.configWith(Flow.PRODUCTS, m -> replacing(m, "description",
                both("description", "ProductComment", decimal(), "description", decimal())));

        // When
        PreflightReport report = harness.check(config);

        // Then both sides say so: webCRM from its values, Customcrm from its contract
        assertThat(errors(report)).extracting(Finding::kind).containsOnly(Kind.TYPE_MISMATCH);
        assertThat(errors(report)).anySatisfy(f -> {
            assertThat(f.side()).isEqualTo(Side.WEBCRM);
            assertThat(f.property()).isEqualTo("ProductComment");
            assertThat(f.message()).contains("none of the").contains("reads as decimal")
                    .contains("expected a number");
        });
        assertThat(errors(report)).anySatisfy(f -> {
            assertThat(f.side()).isEqualTo(Side.CUSTOMCRM);
            assertThat(f.property()).isEqualTo("description");
            assertThat(f.message()).contains("reads and writes it as decimal").contains("types it string");
        });
    }

    @Test
    void shouldReportADateMappedOverValuesThatDoNotParse() {
        // Given a person's job title read as a date
        var config = harness.configWith(Flow.PERSONS, m -> replacing(m, "job_title",
                both("job_title", "PersonTitle", dateAsDateTime(), "job_title", date())));

        // When
        PreflightReport report = harness.check(config);

        // Then
        assertThat(errors(report)).isNotEmpty().allSatisfy(f -> {
            assertThat(f.kind()).isEqualTo(Kind.TYPE_MISMATCH);
            assertThat(f.flow()).isEqualTo(Flow.PERSONS);
            assertThat(f.message()).contains("reads as date").contains("expected a date");
        });
        assertThat(errors(report)).extracting(Finding::side).containsExactlyInAnyOrder(Side.WEBCRM, Side.CUSTOMCRM);
    }

    @Test
    void shouldWarnAboutAValueOutsideAValueMap() {
        // Given a type map without Supplier, and a webCRM supplier
        harness.webcrm.createAsUser(WebcrmEntity.ORGANISATION, Map.of("OrganisationName", "Leverandør A/S",
                "OrganisationType", "Supplier"));
        Map<String, String> types = new LinkedHashMap<>();
        types.put("Customer", "customer");
        types.put("Prospect", "prospect");
        types.put("Partner", "partner");
        var config = harness.configWith(Flow.ORGANISATIONS, m -> replacing(m, "type",
                both("type", "OrganisationType", valueMap(types), "type", text())));

        // When
        PreflightReport report = harness.check(config);

        // Then a warning, not an error: such values pass through unchanged
        assertThat(errors(report)).isEmpty();
        assertThat(of(report, Kind.VALUE_OUTSIDE_MAP)).anySatisfy(f -> {
            assertThat(f.severity()).isEqualTo(Severity.WARNING);
            assertThat(f.side()).isEqualTo(Side.WEBCRM);
            assertThat(f.property()).isEqualTo("OrganisationType");
            assertThat(f.message()).contains("no pair in the value map").contains("'Supplier'");
        });
        // Customcrm's suppliers would reach webCRM as 'supplier', which is not among the tenant's dropdown values
        assertThat(of(report, Kind.VALUE_NOT_ALLOWED)).anySatisfy(f -> {
            assertThat(f.side()).isEqualTo(Side.WEBCRM);
            assertThat(f.message()).contains("'supplier'").contains("dropdown");
        });
    }

    @Test
    void shouldReportThePersonsLastNameLeftUnmapped() {
        var config = harness.configWith(Flow.PERSONS, m -> without(m, "last_name"));

        PreflightReport report = harness.check(config);

        assertThat(errors(report)).singleElement().satisfies(f -> {
            assertThat(f.kind()).isEqualTo(Kind.REQUIRED_UNMAPPED);
            assertThat(f.flow()).isEqualTo(Flow.PERSONS);
            assertThat(f.side()).isEqualTo(Side.WEBCRM);
            assertThat(f.property()).isEqualTo("PersonLastName");
            assertThat(f.message()).contains("webCRM requires it to create a Person");
        });
    }

    @Test
    void shouldReportTheCustomersNameLeftUnmappedFromTheContractsRequiredList() {
        var config = harness.configWith(Flow.ORGANISATIONS, m -> without(m, "name"));

        PreflightReport report = harness.check(config);

        assertThat(errors(report)).singleElement().satisfies(f -> {
            assertThat(f.kind()).isEqualTo(Kind.REQUIRED_UNMAPPED);
            assertThat(f.side()).isEqualTo(Side.CUSTOMCRM);
            assertThat(f.property()).isEqualTo("name");
        });
    }

    @Test
    void shouldWarnAboutSampledRecordsWithoutAValueTheOtherSideRequires() {
        // Given a Customcrm contact without last name, which webCRM would refuse to create
        String customer = harness.customcrm.createAsUser(dev.crmsync.app.simulate.customcrm.RecordType.CUSTOMER,
                Map.of("name", "Navnløs A/S")).path("id").asString();
        harness.customcrm.createAsUser(dev.crmsync.app.simulate.customcrm.RecordType.CONTACT,
                Map.of("first_name", "Anonym", "customer_id", customer));

        PreflightReport report = harness.check(harness.config());

        assertThat(of(report, Kind.REQUIRED_MISSING)).singleElement().satisfies(f -> {
            assertThat(f.severity()).isEqualTo(Severity.WARNING);
            assertThat(f.property()).isEqualTo("PersonLastName");
            assertThat(f.message()).contains("1 of 25 sampled Customcrm Contacts has no last_name");
        });
    }

    @Test
    void shouldReportAStampFieldThatHoldsOtherData() {
        // Given the organisations stamped into the field that holds the customer number
        var config = harness.configWith(Flow.ORGANISATIONS, m -> m.withWebcrmStampProperty("OrganisationCustom1"));

        PreflightReport report = harness.check(config);

        assertThat(errors(report)).singleElement().satisfies(f -> {
            assertThat(f.kind()).isEqualTo(Kind.STAMP_FIELD);
            assertThat(f.property()).isEqualTo("OrganisationCustom1");
            assertThat(f.message()).contains("12 of 12 sampled webCRM Organisations hold other data")
                    .contains("'Customer number'").containsPattern("e\\.g\\. 'C1000\\d'");
        });
    }

    @Test
    void shouldReportAStampFieldThatIsNoFreeCustomTextField() {
        // Given the organisations stamped into their type, a dropdown
        var config = harness.configWith(Flow.ORGANISATIONS, m -> without(m, "type")
                .withWebcrmStampProperty("OrganisationType"));

        PreflightReport report = harness.check(config);

        assertThat(errors(report)).isNotEmpty().allSatisfy(f -> {
            assertThat(f.kind()).isEqualTo(Kind.STAMP_FIELD);
            assertThat(f.property()).isEqualTo("OrganisationType");
        });
        assertThat(errors(report)).extracting(Finding::message)
                .anySatisfy(m -> assertThat(m).contains("not one of webCRM's free custom text fields"))
                .anySatisfy(m -> assertThat(m).contains("shows a dropdown"));
    }

    @Test
    void shouldReportAWrongWebcrmTokenWithoutTheTokenAndStillCheckCustomcrm() {
        // Given
        String wrong = "not-the-token-8842";
        var config = harness.configReaching(wrong, URI.create(harness.customcrm.baseUrl()), PreflightHarness.KEY);

        // When
        PreflightReport report = harness.check(config);

        // Then
        assertThat(report.unreachable()).containsExactly(Side.WEBCRM);
        assertThat(errors(report)).singleElement().satisfies(f -> {
            assertThat(f.kind()).isEqualTo(Kind.CONNECTION);
            assertThat(f.flow()).isNull();
            assertThat(f.message()).contains("webCRM refused the API token").doesNotContain(wrong);
        });
        assertThat(report.sampled(Flow.ORGANISATIONS, Side.WEBCRM)).isEqualTo(-1);
        assertThat(report.sampled(Flow.ORGANISATIONS, Side.CUSTOMCRM)).isEqualTo(12);
    }

    @Test
    void shouldReportAWrongCustomcrmKeyWithoutTheKey() {
        String wrong = "not-the-key-1207";
        var config = harness.configReaching(PreflightHarness.TOKEN, URI.create(harness.customcrm.baseUrl()), wrong);

        PreflightReport report = harness.check(config);

        assertThat(report.unreachable()).containsExactly(Side.CUSTOMCRM);
        assertThat(errors(report)).singleElement().satisfies(f -> {
            assertThat(f.kind()).isEqualTo(Kind.CONNECTION);
            assertThat(f.side()).isEqualTo(Side.CUSTOMCRM);
            assertThat(f.message()).contains("refused the API key").doesNotContain(wrong);
        });
        assertThat(report.findings().toString()).doesNotContain(wrong);
    }

    @Test
    void shouldReportACustomcrmThatCannotBeReached() {
        var config = harness.configReaching(PreflightHarness.TOKEN, URI.create("http://127.0.0.1:1"),
                PreflightHarness.KEY);

        PreflightReport report = harness.check(config);

        assertThat(report.unreachable()).containsExactly(Side.CUSTOMCRM);
        assertThat(errors(report)).singleElement().satisfies(f -> {
            assertThat(f.kind()).isEqualTo(Kind.CONNECTION);
            assertThat(f.message()).contains("Customcrm").contains("connection refused");
        });
    }
}
