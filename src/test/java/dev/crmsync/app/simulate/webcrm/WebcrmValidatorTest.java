package dev.crmsync.app.simulate.webcrm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.crmsync.app.simulate.SimulatorJson;
import java.time.LocalDateTime;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class WebcrmValidatorTest {

    /** Organisations 1 and 2 and person 7 exist. */
    private static final WebcrmValidator.Existence RECORDS = (entity, id) -> switch (entity) {
        case ORGANISATION -> Set.of(1, 2).contains(id);
        case PERSON -> id == 7;
        case PRODUCT -> false;
    };

    private static JsonNode json(String text) {
        return SimulatorJson.mapper().readTree(text.replace('\'', '"'));
    }

    private static Map<String, Object> create(WebcrmEntity entity, String dto) {
        return WebcrmValidator.validate(entity, json(dto), null, RECORDS);
    }

    @Test
    void shouldKeepEveryNonServerPropertyAndNullTheMissingOnes() {
        Map<String, Object> values = create(WebcrmEntity.ORGANISATION, "{'OrganisationName':'Nordisk A/S'}");

        assertThat(values).containsEntry("OrganisationName", "Nordisk A/S").containsEntry("OrganisationCity", null)
                .doesNotContainKeys("OrganisationId", "OrganisationCreatedAt", "OrganisationUpdatedBy")
                .hasSize(WebcrmFieldCatalogue.fields(WebcrmEntity.ORGANISATION).size() - 5);
    }

    @Test
    void shouldRejectTextOverTheMaximumLength() {
        String name = "x".repeat(201);

        assertThatThrownBy(() -> create(WebcrmEntity.ORGANISATION, "{'OrganisationName':'" + name + "'}"))
                .isInstanceOf(WebcrmApiException.class)
                .hasMessageContaining("OrganisationName: the text is 201 characters long, the maximum is 200");
        assertThat(create(WebcrmEntity.ORGANISATION, "{'OrganisationName':'" + "x".repeat(200) + "'}"))
                .containsKey("OrganisationName");
    }

    @Test
    void shouldReportEveryProblemAtOnce() {
        assertThatThrownBy(() -> create(WebcrmEntity.ORGANISATION,
                "{'OrganisationVatCountry':'DENMARK-EU-X','OrganisationXInt1':'many'}"))
                .hasMessageContaining("OrganisationVatCountry").hasMessageContaining("OrganisationXInt1");
    }

    @Test
    void shouldReadTypesAsLenientlyAsJsonNet() {
        Map<String, Object> values = create(WebcrmEntity.PRODUCT,
                "{'ProductOrganisationId':'1','ProductPrice':'12.5','ProductQuantity':3,'ProductCustom1':42,"
                        + "'ProductCreatedAt':'garbage is ignored'}");

        assertThat(values).containsEntry("ProductOrganisationId", 1).containsEntry("ProductPrice", 12.5)
                .containsEntry("ProductQuantity", 3.0).containsEntry("ProductCustom1", "42");
    }

    @Test
    void shouldRejectWrongTypes() {
        assertThatThrownBy(() -> create(WebcrmEntity.ORGANISATION, "{'OrganisationXInt1':1.5}"))
                .hasMessageContaining("OrganisationXInt1: expected a whole number");
        assertThatThrownBy(() -> create(WebcrmEntity.ORGANISATION, "{'OrganisationXInt1':3000000000}"))
                .hasMessageContaining("within int32");
        assertThatThrownBy(() -> create(WebcrmEntity.ORGANISATION, "{'OrganisationNoAds':'yes'}"))
                .hasMessageContaining("OrganisationNoAds: expected true or false");
        assertThatThrownBy(() -> create(WebcrmEntity.ORGANISATION, "{'OrganisationName':{'first':'x'}}"))
                .hasMessageContaining("OrganisationName: expected a single value, not an object");
        assertThatThrownBy(() -> create(WebcrmEntity.PRODUCT, "{'ProductPrice':'cheap'}"))
                .hasMessageContaining("ProductPrice: expected a number");
        assertThatThrownBy(() -> create(WebcrmEntity.ORGANISATION, "{'OrganisationXDate1':20250101}"))
                .hasMessageContaining("OrganisationXDate1: expected a date-time text");
        assertThatThrownBy(() -> create(WebcrmEntity.ORGANISATION, "{'OrganisationXDate1':'soon'}"))
                .hasMessageContaining("'soon' is not a date-time");
        assertThatThrownBy(() -> create(WebcrmEntity.ORGANISATION, "[1, 2]"))
                .hasMessageContaining("must be a JSON object");
    }

    @Test
    void shouldReadDateTimesIntoCopenhagenLocalTime() {
        Map<String, Object> values = create(WebcrmEntity.ORGANISATION, "{'OrganisationXDate1':'2025-01-01T10:00:00Z'}");

        assertThat(values).containsEntry("OrganisationXDate1", LocalDateTime.parse("2025-01-01T11:00:00"));
    }

    @Test
    void shouldAllowOnlyTheValuesOfASwaggerEnum() {
        assertThat(create(WebcrmEntity.ORGANISATION, "{'OrganisationLastItemType':'Meeting'}"))
                .containsEntry("OrganisationLastItemType", "Meeting");
        assertThatThrownBy(() -> create(WebcrmEntity.ORGANISATION, "{'OrganisationLastItemType':'Phone call'}"))
                .hasMessageContaining("'Phone call' is not one of [Undefined, Activity");
        assertThatThrownBy(() -> create(WebcrmEntity.PERSON, "{'PersonLastName':'Holm','PersonStatus':'active'}"))
                .hasMessageContaining("PersonStatus");
    }

    @Test
    void shouldRejectPersonWithoutLastName() {
        assertThatThrownBy(() -> create(WebcrmEntity.PERSON, "{'PersonFirstName':'Anna'}"))
                .isInstanceOf(WebcrmApiException.class).hasMessageContaining("mandatory to define last name");
        assertThatThrownBy(() -> create(WebcrmEntity.PERSON, "{'PersonLastName':'  '}"))
                .hasMessageContaining("mandatory to define last name");
    }

    @Test
    void shouldRejectLinksToRecordsThatDoNotExist() {
        assertThat(create(WebcrmEntity.PERSON, "{'PersonLastName':'Holm','PersonOrganisationId':0}"))
                .containsEntry("PersonOrganisationId", 0);
        assertThatThrownBy(() -> create(WebcrmEntity.PERSON, "{'PersonLastName':'Holm','PersonOrganisationId':9}"))
                .hasMessageContaining("PersonOrganisationId: there is no organisation with id 9");
        assertThatThrownBy(() -> create(WebcrmEntity.PRODUCT, "{'ProductOrganisationId':1,'ProductPersonId':8}"))
                .hasMessageContaining("ProductPersonId: there is no person with id 8");
        assertThat(create(WebcrmEntity.PRODUCT, "{'ProductOrganisationId':2,'ProductPersonId':7}"))
                .containsEntry("ProductPersonId", 7);
    }

    @Test
    void shouldKeepAPersonsOrganisationImmutable() {
        // Given
        Map<String, Object> stored = create(WebcrmEntity.PERSON, "{'PersonLastName':'Holm','PersonOrganisationId':1}");

        // Then: the same organisation is fine, another one or none is a move
        assertThat(WebcrmValidator.validate(WebcrmEntity.PERSON,
                json("{'PersonLastName':'Holm-Berg','PersonOrganisationId':'1'}"), stored, RECORDS))
                .containsEntry("PersonLastName", "Holm-Berg");
        assertThatThrownBy(() -> WebcrmValidator.validate(WebcrmEntity.PERSON,
                json("{'PersonLastName':'Holm','PersonOrganisationId':2}"), stored, RECORDS))
                .hasMessage("It is not allowed to change the organisation ID of a person");
        assertThatThrownBy(() -> WebcrmValidator.validate(WebcrmEntity.PERSON,
                json("{'PersonLastName':'Holm'}"), stored, RECORDS))
                .hasMessage("It is not allowed to change the organisation ID of a person");
    }
}
