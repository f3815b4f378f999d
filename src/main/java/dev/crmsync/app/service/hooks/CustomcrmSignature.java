package dev.crmsync.app.service.hooks;

import dev.crmsync.model.Secret;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Checks a Customcrm delivery's {@code Customcrm-Signature} header as the contract asks a receiver to:
 * {@code t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>}, where any one of several {@code v1}
 * values may match, each compared in constant time, and {@code t} must lie within a tolerance of the receiver's
 * clock, either way, so that a recorded delivery cannot be replayed later.
 *
 * <p>The signature is checked before the time, so "outside the window" is said only of a delivery that is
 * authentic but old (typically a clock that is off), and a forgery always reads "does not match".
 *
 * <p>This class is threadsafe: it holds no state.
 */
final class CustomcrmSignature {

    /** The header's name. */
    static final String HEADER = "Customcrm-Signature";

    private static final int HMAC_HEX_LENGTH = 64;
    private static final int MAX_TIME_DIGITS = 15;

    private CustomcrmSignature() {
    }

    /**
     * @param header    the header as received, or null
     * @param body      the body's bytes exactly as received
     * @param secret    the secret crmsync subscribed with
     * @param now       the receiver's time
     * @param tolerance how far {@code t} may be from {@code now}
     * @return empty when the delivery is authentic and fresh; otherwise a short reason to answer
     */
    static Optional<String> refusal(String header, byte[] body, Secret secret, Instant now, Duration tolerance) {
        if (header == null || header.isBlank()) {
            return Optional.of("missing " + HEADER + " header");
        }
        String time = null;
        List<byte[]> candidates = new ArrayList<>();
        for (String part : header.split(",")) {
            int equals = part.indexOf('=');
            if (equals < 0) {
                continue;
            }
            String name = part.substring(0, equals).strip();
            String value = part.substring(equals + 1).strip();
            if (name.equals("t") && time == null) {
                time = value;
            } else if (name.equals("v1") && value.length() == HMAC_HEX_LENGTH) {
                try {
                    candidates.add(HexFormat.of().parseHex(value));
                } catch (IllegalArgumentException e) {
                    // Not hex: cannot match; the others may.
                }
            }
        }
        boolean timeReadable = time != null && !time.isEmpty() && time.length() <= MAX_TIME_DIGITS
                && time.chars().allMatch(Character::isDigit);
        if (!timeReadable || candidates.isEmpty()) {
            return Optional.of("malformed " + HEADER + " header; expected t=<unix seconds>,v1=<hex HMAC-SHA256>");
        }
        byte[] expected = hmac(secret, time, body);
        boolean matches = false;
        for (byte[] candidate : candidates) {
            // Every candidate is compared, each in constant time: no early exit tells a forger how close he came.
            matches |= MessageDigest.isEqual(expected, candidate);
        }
        if (!matches) {
            return Optional.of("signature does not match");
        }
        long seconds = Long.parseLong(time);
        if (Math.abs(now.getEpochSecond() - seconds) > tolerance.toSeconds()) {
            return Optional.of("timestamp outside the " + tolerance.toMinutes() + "-minute window; check both clocks");
        }
        return Optional.empty();
    }

    private static byte[] hmac(Secret secret, String time, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.reveal().getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            mac.update((time + ".").getBytes(StandardCharsets.UTF_8));
            return mac.doFinal(body);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HMAC-SHA256 is part of every JDK", e);
        }
    }
}
