package dev.crmsync.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crmsync.mapping.Direction;
import dev.crmsync.mapping.FieldMapping;
import dev.crmsync.mapping.FlowMapping;
import dev.crmsync.mapping.Transforms;
import dev.crmsync.model.FieldValues;
import dev.crmsync.model.Flow;
import dev.crmsync.model.Side;
import dev.crmsync.ports.FieldConflict;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FieldMergeTest {

    private static final Instant T0 = Instant.parse("2026-11-20T10:00:00Z");
    private static final FlowMapping MAPPING = new FlowMapping(Flow.ORGANISATIONS, List.of(
            FieldMapping.both("name", "OrganisationName", Transforms.text(), "name", Transforms.text()),
            FieldMapping.both("phone", "OrganisationTelephone", Transforms.text(), "phone", Transforms.text()),
            FieldMapping.both("city", "OrganisationCity", Transforms.text(), "address.city", Transforms.text()),
            new FieldMapping("industry", "OrganisationIndustry", Transforms.text(), "industry", Transforms.text(),
                    Direction.WEBCRM_TO_CUSTOMCRM, null)),
            null, "OrganisationCustom5", "crmsync");

    private static FieldValues values(Object... pairs) {
        java.util.Map<String, Object> map = new java.util.LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put((String) pairs[i], pairs[i + 1]);
        }
        return FieldValues.of(map);
    }

    private static SideValues at(FieldValues values, Instant modified) {
        return new SideValues(values, modified, true);
    }

    private static FieldMerge merge(ConflictPolicy.Kind kind) {
        return new FieldMerge(MAPPING, ConflictPolicy.ofDefaults().withKind(kind));
    }

    @Test
    void shouldKeepDifferentFieldsEditedOnEachSide() {
        // Given
        FieldValues base = values("name", "Acme", "phone", "+45 1", "city", "Aarhus");
        FieldValues webcrm = values("name", "Acme A/S", "phone", "+45 1", "city", "Aarhus");
        FieldValues customcrm = values("name", "Acme", "phone", "+45 2", "city", "Aarhus");

        // When
        MergeResult result = merge(ConflictPolicy.Kind.NEWEST_WINS).merge(base, at(webcrm, T0), at(customcrm, T0));

        // Then
        assertThat(result.merged()).isEqualTo(values("name", "Acme A/S", "phone", "+45 2", "city", "Aarhus"));
        assertThat(result.conflicts()).isEmpty();
        assertThat(result.held()).isFalse();
    }

    @Test
    void shouldLetTheNewerSideWinTheSameFieldAndRecordTheConflict() {
        // Given
        FieldValues base = values("name", "Acme");
        SideValues webcrm = at(values("name", "Acme West"), T0);
        SideValues customcrm = at(values("name", "Acme East"), T0.plusSeconds(60));

        // When
        MergeResult result = merge(ConflictPolicy.Kind.NEWEST_WINS).merge(base, webcrm, customcrm);

        // Then
        assertThat(result.merged().get("name")).isEqualTo("Acme East");
        assertThat(result.conflicts()).containsExactly(
                new FieldConflict("name", "Acme", "Acme West", "Acme East", Side.CUSTOMCRM));
    }

    @Test
    void shouldGiveATieWithinTheClockToleranceToTheTieBreaker() {
        // Given: Customcrm is one second newer, inside the two-second tolerance
        SideValues webcrm = at(values("name", "W"), T0);
        SideValues customcrm = at(values("name", "C"), T0.plusSeconds(1));

        // When
        MergeResult result = merge(ConflictPolicy.Kind.NEWEST_WINS).merge(values("name", "B"), webcrm, customcrm);

        // Then
        assertThat(result.merged().get("name")).isEqualTo("W");
        assertThat(result.conflicts()).extracting(FieldConflict::winner).containsExactly(Side.WEBCRM);
    }

    @Test
    void shouldLetAFixedSideWinWhateverTheTimes() {
        SideValues webcrm = at(values("name", "W"), T0.plus(Duration.ofDays(1)));
        SideValues customcrm = at(values("name", "C"), T0);

        assertThat(merge(ConflictPolicy.Kind.CUSTOMCRM_WINS).merge(values("name", "B"), webcrm, customcrm)
                .merged().get("name")).isEqualTo("C");
        assertThat(merge(ConflictPolicy.Kind.WEBCRM_WINS).merge(values("name", "B"), webcrm, customcrm)
                .merged().get("name")).isEqualTo("W");
    }

    @Test
    void shouldHoldAConflictForAPersonUnderTheManualPolicy() {
        // When
        MergeResult result = merge(ConflictPolicy.Kind.MANUAL)
                .merge(values("name", "B", "phone", "1"), at(values("name", "W", "phone", "2"), T0),
                        at(values("name", "C", "phone", "1"), T0));

        // Then
        assertThat(result.held()).isTrue();
        assertThat(result.conflicts()).containsExactly(new FieldConflict("name", "B", "W", "C", null));
    }

    @Test
    void shouldNeverLetAnEmptyWinnerClearAFilledValue() {
        // Given: webCRM cleared the phone, Customcrm changed it, webCRM is newer
        SideValues webcrm = at(values("name", "A"), T0.plusSeconds(600));
        SideValues customcrm = at(values("name", "A", "phone", "+45 9"), T0);

        // When
        MergeResult result = merge(ConflictPolicy.Kind.NEWEST_WINS).merge(values("name", "A", "phone", "+45 1"),
                webcrm, customcrm);

        // Then
        assertThat(result.merged().get("phone")).isEqualTo("+45 9");
        assertThat(result.conflicts()).hasSize(1);
    }

    @Test
    void shouldLetAnEmptyWinnerClearWhenConfigured() {
        FieldMerge merge = new FieldMerge(MAPPING, new ConflictPolicy(ConflictPolicy.Kind.NEWEST_WINS,
                Duration.ZERO, Side.WEBCRM, true));

        MergeResult result = merge.merge(values("phone", "+45 1"), at(values(), T0.plusSeconds(600)),
                at(values("phone", "+45 9"), T0));

        assertThat(result.merged().has("phone")).isFalse();
    }

    @Test
    void shouldCarryADeliberateClearFromOneSide() {
        // Given: webCRM cleared the city, Customcrm left it alone
        MergeResult result = merge(ConflictPolicy.Kind.NEWEST_WINS).merge(values("name", "A", "city", "Aarhus"),
                at(values("name", "A"), T0), at(values("name", "A", "city", "Aarhus"), T0));

        assertThat(result.merged()).isEqualTo(values("name", "A"));
        assertThat(result.conflicts()).isEmpty();
    }

    @Test
    void shouldFillGapsFromEitherSideAtAFirstLinkWithoutABase() {
        // When
        MergeResult result = merge(ConflictPolicy.Kind.NEWEST_WINS).merge(null,
                at(values("name", "Acme", "phone", "+45 1"), T0), at(values("name", "Acme", "city", "Odense"), T0));

        // Then
        assertThat(result.merged()).isEqualTo(values("name", "Acme", "phone", "+45 1", "city", "Odense"));
        assertThat(result.conflicts()).isEmpty();
    }

    @Test
    void shouldTakeTheOwnersValueForAOneWayField() {
        // Given: industry is owned by webCRM; Customcrm edited it anyway
        MergeResult result = merge(ConflictPolicy.Kind.CUSTOMCRM_WINS).merge(values("industry", "IT"),
                at(values("industry", "IT"), T0), at(values("industry", "Retail"), T0.plusSeconds(60)));

        assertThat(result.merged().get("industry")).isEqualTo("IT");
        assertThat(result.conflicts()).isEmpty();
    }

    @Test
    void shouldMergeNumbersByValueNotByScale() {
        MergeResult result = merge(ConflictPolicy.Kind.MANUAL).merge(values("name", "x"),
                at(FieldValues.of(Map.of("name", "x", "phone", "1")), T0),
                at(FieldValues.of(Map.of("name", "x", "phone", "1")), T0));

        assertThat(result.held()).isFalse();
        assertThat(result.merged().get("phone")).isEqualTo("1");
    }
}
