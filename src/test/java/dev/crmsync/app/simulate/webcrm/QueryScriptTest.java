package dev.crmsync.app.simulate.webcrm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class QueryScriptTest {

    private static final List<Map<String, Object>> PERSONS = List.of(
            person(1, "Jensen", "anna@nordisk.dk", 10, "2025-03-01T08:00:00", true),
            person(2, "O'Brien", "sean@hansa.de", 10, "2025-03-01T09:30:00", false),
            person(3, "Holm", null, 20, "2025-02-01T12:00:00", null),
            person(4, "jensen", "JENS@polar.no", 30, "2025-03-01T09:30:00", true));

    private static Map<String, Object> person(int id, String lastName, String email, int organisation,
                                              String updatedAt, Boolean checkMark) {
        Map<String, Object> record = new HashMap<>();
        record.put("PersonId", id);
        record.put("PersonLastName", lastName);
        record.put("PersonEmail", email);
        record.put("PersonOrganisationId", organisation);
        record.put("PersonUpdatedAt", LocalDateTime.parse(updatedAt));
        record.put("PersonCheckMark1", checkMark);
        return record;
    }

    private static List<Object> ids(String script) {
        return QueryScript.parse(script).run(PERSONS).stream().map(r -> r.get("PersonId")).toList();
    }

    @Test
    void shouldSelectAllColumnsInCatalogueOrderPlusRowNumber() {
        // When
        QueryScript script = QueryScript.parse("SELECT * FROM Person");
        List<Map<String, Object>> rows = script.run(PERSONS);

        // Then
        assertThat(script.entity()).isEqualTo(WebcrmEntity.PERSON);
        assertThat(rows).hasSize(4);
        assertThat(rows.get(0).keySet()).hasSize(WebcrmFieldCatalogue.fields(WebcrmEntity.PERSON).size() + 1)
                .startsWith("PersonBirthday").endsWith("PersonMemo", "RowNumber");
        assertThat(rows).extracting(r -> r.get("RowNumber")).containsExactly(1, 2, 3, 4);
    }

    @Test
    void shouldSelectNamedColumnsInTheOrderGivenWithCanonicalNames() {
        QueryScript script = QueryScript.parse("select personemail, PersonId, PERSONID from person");
        List<Map<String, Object>> rows = script.run(PERSONS);

        assertThat(script.columns()).extracting(WebcrmField::name).containsExactly("PersonEmail", "PersonId");
        assertThat(rows.get(0).keySet()).containsExactly("PersonEmail", "PersonId", "RowNumber");
        assertThat(rows.get(0)).containsEntry("PersonEmail", "anna@nordisk.dk");
    }

    @Test
    void shouldCompareTextIgnoringLetterCase() {
        assertThat(ids("SELECT * FROM Person WHERE PersonLastName = 'JENSEN'")).containsExactly(1, 4);
        assertThat(ids("SELECT * FROM Person WHERE PersonEmail = 'jens@polar.no'")).containsExactly(4);
    }

    @Test
    void shouldUnescapeDoubledQuotesInStrings() {
        assertThat(ids("SELECT * FROM Person WHERE PersonLastName = 'o''brien'")).containsExactly(2);
    }

    @Test
    void shouldCompareNumbersAsNumbers() {
        assertThat(ids("SELECT * FROM Person WHERE PersonOrganisationId >= 20")).containsExactly(3, 4);
        assertThat(ids("SELECT * FROM Person WHERE PersonOrganisationId = '10'")).containsExactly(1, 2);
        assertThat(ids("SELECT * FROM Person WHERE PersonOrganisationId <> 10")).containsExactly(3, 4);
        assertThat(ids("SELECT * FROM Person WHERE PersonOrganisationId != 10.0")).containsExactly(3, 4);
        assertThat(ids("SELECT * FROM Person WHERE PersonOrganisationId > -1")).hasSize(4);
    }

    @Test
    void shouldCompareDateTimesAsTimesWhateverTheLiteralsForm() {
        // March is winter time in Copenhagen, UTC+1: 08:30Z is 09:30 local
        assertThat(ids("SELECT * FROM Person WHERE PersonUpdatedAt >= '2025-03-01T09:30:00'")).containsExactly(2, 4);
        assertThat(ids("SELECT * FROM Person WHERE PersonUpdatedAt >= '2025-03-01T08:30:00.0000000Z'"))
                .containsExactly(2, 4);
        assertThat(ids("SELECT * FROM Person WHERE PersonUpdatedAt >= '2025-03-01T09:30:00+01:00'"))
                .containsExactly(2, 4);
        assertThat(ids("SELECT * FROM Person WHERE PersonUpdatedAt > '2025-03-01 09:29:59.999'"))
                .containsExactly(2, 4);
        assertThat(ids("SELECT * FROM Person WHERE PersonUpdatedAt < '2025-03-01'")).containsExactly(3);
    }

    @Test
    void shouldOrderByUpdatedAtThenById() {
        assertThat(ids("SELECT * FROM Person ORDER BY PersonUpdatedAt")).containsExactly(3, 1, 2, 4);
        assertThat(ids("SELECT * FROM Person ORDER BY PersonUpdatedAt DESC")).containsExactly(2, 4, 1, 3);
        assertThat(ids("SELECT * FROM Person ORDER BY PersonOrganisationId DESC, PersonLastName ASC"))
                .containsExactly(4, 3, 1, 2);
    }

    @Test
    void shouldSortNullsFirstAscending() {
        assertThat(ids("SELECT * FROM Person ORDER BY PersonEmail")).containsExactly(3, 1, 4, 2);
    }

    @Test
    void shouldCombineConditionsWithAndOrNotAndParentheses() {
        assertThat(ids("SELECT * FROM Person WHERE PersonOrganisationId = 10 AND (PersonLastName = 'Jensen' "
                + "OR PersonLastName = 'Holm')")).containsExactly(1);
        assertThat(ids("SELECT * FROM Person WHERE PersonOrganisationId = 10 AND PersonLastName = 'Jensen' "
                + "OR PersonLastName = 'Holm'")).containsExactly(1, 3);
        assertThat(ids("SELECT * FROM Person WHERE NOT PersonOrganisationId = 10")).containsExactly(3, 4);
    }

    @Test
    void shouldTreatComparisonsWithNullAsUnknown() {
        // PersonEmail is NULL for person 3: neither = nor NOT = selects it
        assertThat(ids("SELECT * FROM Person WHERE PersonEmail = 'x'")).isEmpty();
        assertThat(ids("SELECT * FROM Person WHERE NOT PersonEmail = 'x'")).containsExactly(1, 2, 4);
        assertThat(ids("SELECT * FROM Person WHERE PersonEmail = NULL")).isEmpty();
        assertThat(ids("SELECT * FROM Person WHERE PersonEmail = 'x' OR PersonId = 3")).containsExactly(3);
    }

    @Test
    void shouldTestForNull() {
        assertThat(ids("SELECT * FROM Person WHERE PersonEmail IS NULL")).containsExactly(3);
        assertThat(ids("SELECT * FROM Person WHERE PersonEmail IS NOT NULL")).containsExactly(1, 2, 4);
    }

    @Test
    void shouldMatchLikePatternsIgnoringCase() {
        assertThat(ids("SELECT * FROM Person WHERE PersonEmail LIKE '%@NORDISK.dk'")).containsExactly(1);
        assertThat(ids("SELECT * FROM Person WHERE PersonLastName LIKE 'h_lm'")).containsExactly(3);
        assertThat(ids("SELECT * FROM Person WHERE PersonLastName NOT LIKE 'j%'")).containsExactly(2, 3);
        assertThat(ids("SELECT * FROM Person WHERE PersonEmail LIKE 'anna.%'")).isEmpty();
    }

    @Test
    void shouldMatchInLists() {
        assertThat(ids("SELECT * FROM Person WHERE PersonId IN (1, 3, 99)")).containsExactly(1, 3);
        assertThat(ids("SELECT * FROM Person WHERE PersonId NOT IN (1, 3)")).containsExactly(2, 4);
    }

    @Test
    void shouldCompareBooleansWithOneZeroOrWords() {
        assertThat(ids("SELECT * FROM Person WHERE PersonCheckMark1 = 1")).containsExactly(1, 4);
        assertThat(ids("SELECT * FROM Person WHERE PersonCheckMark1 = 'false'")).containsExactly(2);
    }

    @Test
    void shouldAcceptTableAliasesQualifiedColumnsAndATrailingSemicolon() {
        assertThat(ids("SELECT t.PersonId FROM Person t WHERE t.PersonUpdatedAt > '2025-03-01T09:00:00';"))
                .containsExactly(2, 4);
        assertThat(ids("SELECT Person.PersonId FROM Person AS p WHERE p.PersonId = 1")).containsExactly(1);
        assertThat(ids("SELECT [PersonId] FROM [Person] WHERE [PersonId] = 2")).containsExactly(2);
    }

    @Test
    void shouldRefuseAnUnknownTable() {
        assertThatThrownBy(() -> QueryScript.parse("SELECT * FROM Customer"))
                .isInstanceOf(QueryException.class).hasMessageContaining("Unknown table 'Customer'");
    }

    @Test
    void shouldRefuseAnUnknownColumnNamingItAndItsPosition() {
        assertThatThrownBy(() -> QueryScript.parse("SELECT * FROM Person WHERE PersonShoeSize = 42"))
                .isInstanceOf(QueryException.class)
                .hasMessageContaining("Invalid column name 'PersonShoeSize' at position 27");
        assertThatThrownBy(() -> QueryScript.parse("SELECT OrganisationName FROM Person"))
                .hasMessageContaining("OrganisationName");
        assertThatThrownBy(() -> QueryScript.parse("SELECT * FROM Person ORDER BY Nope"))
                .hasMessageContaining("Nope");
    }

    @Test
    void shouldRefuseAnUnknownQualifier() {
        assertThatThrownBy(() -> QueryScript.parse("SELECT x.PersonId FROM Person p"))
                .hasMessageContaining("Unknown table or alias 'x'");
    }

    @Test
    void shouldRefuseSyntaxErrorsSayingWhatWasExpected() {
        assertThatThrownBy(() -> QueryScript.parse("SELECT * Person")).hasMessageContaining("Expected FROM");
        assertThatThrownBy(() -> QueryScript.parse("SELECT * FROM Person WHERE")).hasMessageContaining(
                "the end of the script");
        assertThatThrownBy(() -> QueryScript.parse("SELECT * FROM Person WHERE PersonId 1"))
                .hasMessageContaining("Expected a comparison");
        assertThatThrownBy(() -> QueryScript.parse("SELECT * FROM Person WHERE (PersonId = 1"))
                .hasMessageContaining("Expected ')'");
        assertThatThrownBy(() -> QueryScript.parse("SELECT * FROM Person WHERE PersonId = 1 extra"))
                .hasMessageContaining("Expected the end of the script but found \"extra\"");
        assertThatThrownBy(() -> QueryScript.parse("")).hasMessageContaining("empty");
        assertThatThrownBy(() -> QueryScript.parse(null)).hasMessageContaining("empty");
    }

    @Test
    void shouldRefuseAnUnclosedStringAndStrayCharacters() {
        assertThatThrownBy(() -> QueryScript.parse("SELECT * FROM Person WHERE PersonLastName = 'Holm"))
                .hasMessageContaining("not closed");
        assertThatThrownBy(() -> QueryScript.parse("SELECT * FROM Person WHERE PersonId = 1 & 2"))
                .hasMessageContaining("Unexpected character '&'");
    }

    @Test
    void shouldRefuseLiteralsThatDoNotFitTheirColumn() {
        assertThatThrownBy(() -> QueryScript.parse("SELECT * FROM Person WHERE PersonId = 'abc'"))
                .hasMessageContaining("'abc' is not a number for column PersonId");
        assertThatThrownBy(() -> QueryScript.parse("SELECT * FROM Person WHERE PersonUpdatedAt > 'yesterday'"))
                .hasMessageContaining("'yesterday' is not a date-time for column PersonUpdatedAt");
        assertThatThrownBy(() -> QueryScript.parse("SELECT * FROM Person WHERE PersonCheckMark1 = 'maybe'"))
                .hasMessageContaining("not a boolean");
    }

    @Test
    void shouldRefuseJoinsWithAClearMessage() {
        assertThatThrownBy(() -> QueryScript.parse("SELECT * FROM Person JOIN Organisation ON "
                + "(Person.PersonOrganisationId = Organisation.OrganisationId)"))
                .hasMessageContaining("JOIN is not supported");
    }
}
