package dev.crmsync.adapters.webcrm.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ChangeCursorTest {

    @Test
    void shouldWriteAndReadEveryPart() {
        ChangeCursor cursor = new ChangeCursor("2025-06-15T12:00:00.123", 42, "2025-06-15T11:00:00");

        assertThat(cursor.toString()).isEqualTo("2025-06-15T12:00:00.123|42|2025-06-15T11:00:00");
        assertThat(ChangeCursor.parse(cursor.toString())).isEqualTo(cursor);
        assertThat(ChangeCursor.parse(new ChangeCursor("2025-06-15T12:00:00", 0, null).toString()))
                .isEqualTo(new ChangeCursor("2025-06-15T12:00:00", 0, null));
    }

    @Test
    void shouldReadACursorOfAnEarlierVersionAsOneAtIdZeroWithoutSafePoint() {
        assertThat(ChangeCursor.parse("2025-06-15T12:00:00")).isEqualTo(new ChangeCursor("2025-06-15T12:00:00", 0, null));
    }

    @Test
    void shouldRefuseTextThatIsNoCursor() {
        assertThatThrownBy(() -> ChangeCursor.parse("|7|2025-06-15T11:00:00"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ChangeCursor.parse("2025-06-15T12:00:00|seven|"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ChangeCursor.parse("2025-06-15T12:00:00|2025-06-15T11:00:00"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
