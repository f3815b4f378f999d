package dev.crmsync.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FieldValuesTest {

    @Test
    void shouldTreatBlankAndMissingAsTheSame() {
        Map<String, Object> withBlank = new HashMap<>();
        withBlank.put("name", "Acme");
        withBlank.put("phone", "  ");
        withBlank.put("city", null);

        assertThat(FieldValues.of(withBlank)).isEqualTo(FieldValues.of(Map.of("name", "Acme")));
        assertThat(FieldValues.of(withBlank).hash()).isEqualTo(FieldValues.of(Map.of("name", " Acme ")).hash());
    }

    @Test
    void shouldCompareNumbersByValue() {
        FieldValues a = FieldValues.of(Map.of("price", new BigDecimal("100.00"), "year", 2024));
        FieldValues b = FieldValues.of(Map.of("price", 100.0, "year", 2024L));

        assertThat(a).isEqualTo(b);
        assertThat(a.hash()).isEqualTo(b.hash());
    }

    @Test
    void shouldHashDifferentTypesDifferently() {
        assertThat(FieldValues.of(Map.of("x", "2024")).hash()).isNotEqualTo(FieldValues.of(Map.of("x", 2024L)).hash());
        assertThat(FieldValues.of(Map.of("x", "a")).hash()).isNotEqualTo(FieldValues.of(Map.of("x", "b")).hash());
    }

    @Test
    void shouldGiveAStableHashAcrossRuns() {
        FieldValues values = FieldValues.of(Map.of("name", "Acme", "birthday", LocalDate.of(1980, 5, 2),
                "customer", new Ref(Flow.ORGANISATIONS, "L-1")));

        // A fixed value: a change to the canonical text form would make every link look changed after an upgrade.
        assertThat(values.hash()).isEqualTo("79e6d4aa080b3aa704cdd1e47e8e7d26");
    }

    @Test
    void shouldListTheFieldsThatDiffer() {
        FieldValues a = FieldValues.of(Map.of("name", "Acme", "phone", "1"));
        FieldValues b = FieldValues.of(Map.of("name", "Acme", "city", "Aarhus"));

        assertThat(a.differingFields(b)).containsExactly("city", "phone");
    }

    @Test
    void shouldRefuseValuesOfNonCanonicalTypes() {
        assertThatThrownBy(() -> FieldValues.of(Map.of("when", new java.util.Date())))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("when");
    }
}
