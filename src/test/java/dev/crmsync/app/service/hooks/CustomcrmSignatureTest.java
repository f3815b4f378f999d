package dev.crmsync.app.service.hooks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crmsync.model.Secret;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class CustomcrmSignatureTest {

    private static final Secret SECRET = new Secret("demo-webhook-secret-0123");
    private static final String BODY = "{\"type\":\"customers\",\"id\":\"cus_1\",\"event\":\"updated\",\"version\":2,"
            + "\"occurred_at\":\"2025-03-01T09:30:00.000Z\"}";
    private static final long T = 1740821400L;
    private static final Instant NOW = Instant.ofEpochSecond(T);
    private static final Duration FIVE_MINUTES = Duration.ofMinutes(5);

    @Test
    void shouldAcceptTheContractsOwnExample() {
        // The example in the contract and in docs/simulators/customcrm.md, computed independently of this code.
        String header = "t=1740821400,v1=04eba6bc11fd14510cfc483631f01c9487a75968beb1c78dcba190819f6e170e";

        assertThat(check(header, BODY, NOW)).isEmpty();
    }

    @Test
    void shouldRefuseABodyThatWasChangedAfterSigning() {
        String header = "t=" + T + ",v1=" + hmac(SECRET.reveal(), T + "." + BODY);

        assertThat(check(header, BODY.replace("cus_1", "cus_2"), NOW)).hasValue("signature does not match");
    }

    @Test
    void shouldRefuseASignatureMadeWithAnotherSecret() {
        String header = "t=" + T + ",v1=" + hmac("another-secret-0123456789", T + "." + BODY);

        assertThat(check(header, BODY, NOW)).hasValue("signature does not match");
    }

    @Test
    void shouldRefuseATimeThatWasChangedAfterSigning() {
        // Given a genuine signature whose time an attacker moved to now, to replay an old delivery
        String header = "t=" + (T + 3600) + ",v1=" + hmac(SECRET.reveal(), T + "." + BODY);

        assertThat(check(header, BODY, NOW.plusSeconds(3600))).hasValue("signature does not match");
    }

    @Test
    void shouldAcceptFiveMinutesEitherWayAndRefuseMore() {
        String header = "t=" + T + ",v1=" + hmac(SECRET.reveal(), T + "." + BODY);

        assertThat(check(header, BODY, NOW.plus(FIVE_MINUTES))).isEmpty();
        assertThat(check(header, BODY, NOW.minus(FIVE_MINUTES))).isEmpty();
        assertThat(check(header, BODY, NOW.plus(FIVE_MINUTES).plusSeconds(1)))
                .hasValueSatisfying(r -> assertThat(r).startsWith("timestamp outside the 5-minute window"));
        assertThat(check(header, BODY, NOW.minus(FIVE_MINUTES).minusSeconds(1)))
                .hasValueSatisfying(r -> assertThat(r).startsWith("timestamp outside the 5-minute window"));
    }

    @Test
    void shouldAcceptWhenAnyOfSeveralSignaturesMatches() {
        // As while a secret is rotated: one v1 per secret
        String header = "t=" + T + ",v1=" + hmac("the-old-secret-0123456789", T + "." + BODY) + ", v1="
                + hmac(SECRET.reveal(), T + "." + BODY).toUpperCase();

        assertThat(check(header, BODY, NOW)).isEmpty();
    }

    @Test
    void shouldRefuseAMissingOrMalformedHeader() {
        String v1 = hmac(SECRET.reveal(), T + "." + BODY);

        assertThat(check(null, BODY, NOW)).hasValue("missing Customcrm-Signature header");
        assertThat(check("", BODY, NOW)).hasValue("missing Customcrm-Signature header");
        assertThat(check("v1=" + v1, BODY, NOW)).hasValueSatisfying(r -> assertThat(r).startsWith("malformed"));
        assertThat(check("t=" + T, BODY, NOW)).hasValueSatisfying(r -> assertThat(r).startsWith("malformed"));
        assertThat(check("t=-5,v1=" + v1, BODY, NOW)).hasValueSatisfying(r -> assertThat(r).startsWith("malformed"));
        assertThat(check("t=" + T + ",v1=" + v1.substring(2), BODY, NOW))
                .hasValueSatisfying(r -> assertThat(r).startsWith("malformed"));
        assertThat(check("t=" + T + ",v1=" + "zz".repeat(32), BODY, NOW))
                .hasValueSatisfying(r -> assertThat(r).startsWith("malformed"));
    }

    private static Optional<String> check(String header, String body, Instant now) {
        return CustomcrmSignature.refusal(header, body.getBytes(StandardCharsets.UTF_8), SECRET, now, FIVE_MINUTES);
    }

    private static String hmac(String secret, String message) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(message.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
