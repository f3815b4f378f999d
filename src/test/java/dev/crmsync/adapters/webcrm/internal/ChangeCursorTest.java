package dev.crmsync.adapters.webcrm.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ChangeCursorTest {

    @Test
    void shouldWriteAndReadBothParts() {
        ChangeCursor cursor = new ChangeCursor("2025-06-15T12:00:00.123", "2025-06-15T11:00:00");

        assertThat(cursor.toString()).isEqualTo("2025-06-15T12:00:00.123|2025-06-15T11:00:00");
        assertThat(ChangeCursor.parse(cursor.toString())).isEqualTo(cursor);
    }

    @Test
    void shouldReadACursorOfAnEarlierVersionAsOneWithoutSafePoint() {
        assertThat(ChangeCursor.parse("2025-06-15T12:00:00")).isEqualTo(new ChangeCursor("2025-06-15T12:00:00", null));
        assertThat(new ChangeCursor("2025-06-15T12:00:00", null).toString()).isEqualTo("2025-06-15T12:00:00");
    }

    @Test
    void shouldRefuseACursorWithoutTimestamp() {
        assertThatThrownBy(() -> ChangeCursor.parse("|2025-06-15T11:00:00"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
