package dev.crmsync.app.simulate.customcrm;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The {@code Customcrm-Signature} header of a webhook delivery, as the contract defines it:
 * {@code t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>}. Signing the time with the body lets a
 * receiver refuse an old delivery replayed by someone who recorded it.
 *
 * <p>This class is threadsafe: it holds no state.
 */
final class WebhookSignature {

    /** The header's name. */
    static final String HEADER = "Customcrm-Signature";

    private WebhookSignature() {
    }

    /**
     * @param secret      the subscription's secret
     * @param unixSeconds the time of signing
     * @param body        the exact bytes sent as the body
     * @return the header value
     */
    static String header(String secret, long unixSeconds, byte[] body) {
        return "t=" + unixSeconds + ",v1=" + HexFormat.of().formatHex(hmac(secret, unixSeconds, body));
    }

    private static byte[] hmac(String secret, long unixSeconds, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            mac.update((unixSeconds + ".").getBytes(StandardCharsets.UTF_8));
            return mac.doFinal(body);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HMAC-SHA256 is part of every JDK", e);
        }
    }
}
