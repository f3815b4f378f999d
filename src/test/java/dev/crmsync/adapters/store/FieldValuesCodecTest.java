package dev.crmsync.adapters.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.crmsync.model.FieldValues;
import dev.crmsync.model.Flow;
import dev.crmsync.model.Ref;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class FieldValuesCodecTest {

    private static List<Object> canonicalValues() {
        return List.of(
                "Acme",
                "Ærøskøbing – 東京 – 🚀 \"quoted\" \\ back\nnew line\ttab \u0000 nul",
                new BigDecimal("12.50"),
                new BigDecimal("12.5"),
                new BigDecimal("1E+3"),
                new BigDecimal("1000"),
                new BigDecimal("0.000000000000000000001"),
                new BigDecimal("-98765432109876543210.123456789012345678901234567890"),
                BigDecimal.ZERO,
                new BigDecimal("0.00"),
                0L,
                Long.MAX_VALUE,
                Long.MIN_VALUE,
                true,
                false,
                LocalDate.of(1990, 4, 1),
                LocalDate.of(1, 1, 1),
                LocalDate.of(9999, 12, 31),
                LocalDate.of(2024, 2, 29),
                new Ref(Flow.ORGANISATIONS, "L-1"),
                new Ref(Flow.PERSONS, "urn:crmsync:link:42"),
                new Ref(Flow.PRODUCTS, "0b6f8a0e-3c1f-4e2a-9d7e-5a1b2c3d4e5f"));
    }

    @ParameterizedTest
    @MethodSource("canonicalValues")
    void shouldRoundTripEveryCanonicalValueWithItsExactType(Object value) {
        // When
        Object back = FieldValuesCodec.decodeValue(FieldValuesCodec.encodeValue(value));

        // Then: equals() of BigDecimal also compares the scale, so 12.50 must not come back as 12.5
        assertThat(back).isInstanceOf(value.getClass()).isEqualTo(value);
        if (value instanceof BigDecimal decimal) {
            assertThat(((BigDecimal) back).scale()).isEqualTo(decimal.scale());
            assertThat(((BigDecimal) back).precision()).isEqualTo(decimal.precision());
        }
    }

    @Test
    void shouldRoundTripNull() {
        assertThat(FieldValuesCodec.encodeValue(null)).isEqualTo("null");
        assertThat(FieldValuesCodec.decodeValue("null")).isNull();
    }

    @Test
    void shouldRoundTripARecordOfEveryTypeAndKeepItsHash() {
        // Given
        Map<String, Object> raw = new LinkedHashMap<>();
        List<Object> values = canonicalValues();
        for (int i = 0; i < values.size(); i++) {
            raw.put("field" + i, values.get(i));
        }
        FieldValues record = FieldValues.of(raw);

        // When
        FieldValues back = FieldValuesCodec.decode(FieldValuesCodec.encode(record));

        // Then
        assertThat(back).isEqualTo(record);
        assertThat(back.hash()).isEqualTo(record.hash());
        back.asMap().forEach((name, value) -> assertThat(value).isInstanceOf(record.get(name).getClass()));
    }

    @Test
    void shouldWriteTheDocumentedShape() {
        // Given
        FieldValues record = FieldValues.of(Map.of(
                "name", "Acme",
                "price", new BigDecimal("12.50"),
                "year", 2024L,
                "active", true,
                "birthday", LocalDate.of(1990, 4, 1),
                "customer", new Ref(Flow.ORGANISATIONS, "L-1")));

        // When
        String json = FieldValuesCodec.encode(record);

        // Then: fields in name order; the decimal is canonical (FieldValues strips trailing zeros)
        assertThat(json).isEqualTo("{\"active\":{\"b\":true},\"birthday\":{\"t\":\"1990-04-01\"},"
                + "\"customer\":{\"r\":\"organisations:L-1\"},\"name\":{\"s\":\"Acme\"},\"price\":{\"d\":\"12.5\"},"
                + "\"year\":{\"i\":\"2024\"}}");
    }

    @Test
    void shouldEncodeNoValuesAsAnEmptyObject() {
        assertThat(FieldValuesCodec.encode(FieldValues.empty())).isEqualTo("{}");
        assertThat(FieldValuesCodec.decode("{}")).isEqualTo(FieldValues.empty());
    }

    @Test
    void shouldReadAnIntegerWrittenAsABareNumber() {
        assertThat(FieldValuesCodec.decodeValue("{\"i\":42}")).isEqualTo(42L);
    }

    @Test
    void shouldRefuseAValueThatIsNotCanonical() {
        // Widening an Integer to a Long here would hide a type mix-up in the caller
        assertThatThrownBy(() -> FieldValuesCodec.encodeValue(42))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("java.lang.Integer");
        assertThatThrownBy(() -> FieldValuesCodec.encodeValue(12.5d))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"x\":\"1\"}",
            "{\"s\":1}",
            "{\"s\":\"a\",\"d\":\"1\"}",
            "{\"d\":\"twelve\"}",
            "{\"t\":\"1990-13-01\"}",
            "{\"b\":\"true\"}",
            "{\"r\":\"no-colon\"}",
            "{\"r\":\"unknownflow:L-1\"}",
            "\"bare\"",
            "{not json"})
    void shouldRefuseMalformedText(String json) {
        assertThatThrownBy(() -> FieldValuesCodec.decodeValue(json)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldRefuseRecordTextThatIsNotAnObject() {
        assertThatThrownBy(() -> FieldValuesCodec.decode("[]")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FieldValuesCodec.decode("null")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FieldValuesCodec.decode("{\"name\":{\"s\":1}}"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
