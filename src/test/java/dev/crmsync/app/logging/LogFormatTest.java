package dev.crmsync.app.logging;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LogFormatTest {

    @Test
    void shouldLogTextWhenNothingIsChosen() {
        // When / Then
        assertThat(LogFormat.of(null, null)).isEqualTo(LogFormat.TEXT);
        assertThat(LogFormat.of(" ", null)).isEqualTo(LogFormat.TEXT);
    }

    @Test
    void shouldLogJsonWhenTheSystemPropertyOrTheEnvironmentSaysSoInAnyCase() {
        // When / Then
        assertThat(LogFormat.of("json", null)).isEqualTo(LogFormat.JSON);
        assertThat(LogFormat.of(null, "JSON")).isEqualTo(LogFormat.JSON);
        assertThat(LogFormat.of(" Json ", null)).isEqualTo(LogFormat.JSON);
    }

    @Test
    void shouldLetTheSystemPropertyWinOverTheEnvironment() {
        // When / Then
        assertThat(LogFormat.of("text", "json")).isEqualTo(LogFormat.TEXT);
        assertThat(LogFormat.of("json", "text")).isEqualTo(LogFormat.JSON);
    }

    @Test
    void shouldFallBackToTextForAnUnknownFormatRatherThanSilenceTheLogs() {
        // When / Then
        assertThat(LogFormat.of("xml", null)).isEqualTo(LogFormat.TEXT);
    }

    @Test
    void shouldNameTheAppendersOfLogbackXml() {
        // When / Then
        assertThat(LogFormat.JSON.appender()).isEqualTo("JSON");
        assertThat(LogFormat.TEXT.appender()).isEqualTo("TEXT");
    }
}
