package dev.crmsync.app.simulate.webcrm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.InstantSource;
import java.time.LocalDateTime;
import org.junit.jupiter.api.Test;

class WebcrmTimestampsTest {

    @Test
    void shouldFormatWholeSecondsWithoutOffset() {
        assertThat(WebcrmTimestamps.format(LocalDateTime.parse("2025-01-05T07:08:09.987"))).isEqualTo("2025-01-05T07:08:09");
        assertThat(WebcrmTimestamps.format(LocalDateTime.parse("2025-01-05T07:08"))).isEqualTo("2025-01-05T07:08:00");
    }

    @Test
    void shouldTellTheTimeInCopenhagenInWinterAndSummer() {
        assertThat(WebcrmTimestamps.now(InstantSource.fixed(Instant.parse("2025-01-15T11:00:00.700Z"))))
                .isEqualTo(LocalDateTime.parse("2025-01-15T12:00:00"));
        assertThat(WebcrmTimestamps.now(InstantSource.fixed(Instant.parse("2025-07-15T11:00:00Z"))))
                .isEqualTo(LocalDateTime.parse("2025-07-15T13:00:00"));
    }

    @Test
    void shouldTakeANaiveTimeAsCopenhagenLocal() {
        assertThat(WebcrmTimestamps.parse("2025-07-15T13:00:00")).isEqualTo(LocalDateTime.parse("2025-07-15T13:00:00"));
        assertThat(WebcrmTimestamps.parse("2025-07-15 13:00:00")).isEqualTo(LocalDateTime.parse("2025-07-15T13:00:00"));
    }

    @Test
    void shouldConvertUtcAndOffsetsToCopenhagenLocal() {
        assertThat(WebcrmTimestamps.parse("2019-09-01T12:48:51.0000000Z"))
                .isEqualTo(LocalDateTime.parse("2019-09-01T14:48:51"));
        assertThat(WebcrmTimestamps.parse("2019-12-01T12:48:51-05:00"))
                .isEqualTo(LocalDateTime.parse("2019-12-01T18:48:51"));
        assertThat(WebcrmTimestamps.parse("2019-12-01T12:48:51+01:00"))
                .isEqualTo(LocalDateTime.parse("2019-12-01T12:48:51"));
    }

    @Test
    void shouldCutFractionsAndReadBareDatesAsMidnight() {
        assertThat(WebcrmTimestamps.parse("2025-03-01T09:30:00.999")).isEqualTo(LocalDateTime.parse("2025-03-01T09:30:00"));
        assertThat(WebcrmTimestamps.parse("1980-04-02")).isEqualTo(LocalDateTime.parse("1980-04-02T00:00:00"));
    }

    @Test
    void shouldRefuseWhatIsNoDateTime() {
        assertThatThrownBy(() -> WebcrmTimestamps.parse("yesterday")).isInstanceOf(DateTimeException.class);
        assertThatThrownBy(() -> WebcrmTimestamps.parse("2025-13-01T00:00:00")).isInstanceOf(DateTimeException.class);
    }
}
