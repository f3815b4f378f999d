package dev.crmsync.app.simulate.webcrm;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The application tokens the simulator accepts, those of all its tenants, and the access and refresh tokens issued
 * for them.
 *
 * <p>An access token lives one hour by the injected clock, as webCRM's do (API-NOTES §2.4). A refresh token
 * lives 14 days (webCRM does not document this) and is single use: refreshing hands out a new pair. Each issued
 * token remembers its application token, because the rate limit counts per application token.
 *
 * <p>This class is threadsafe.
 */
final class WebcrmAuth {

    /** The {@code ExpiresIn} webCRM reports and the lifetime of an access token. */
    private static final Duration ACCESS_LIFETIME = Duration.ofHours(1);
    private static final Duration REFRESH_LIFETIME = Duration.ofDays(14);

    private record Grant(String applicationToken, Instant expiresAt) {
    }

    private final Set<String> applicationTokens;
    private final InstantSource clock;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Grant> accessTokens = new HashMap<>();
    private final Map<String, Grant> refreshTokens = new HashMap<>();

    /**
     * @param applicationTokens the tokens {@code /Auth/ApiLogin} accepts
     * @param clock             the time source for expiry
     */
    WebcrmAuth(Set<String> applicationTokens, InstantSource clock) {
        this.applicationTokens = Set.copyOf(applicationTokens);
        this.clock = clock;
    }

    /**
     * @param authCode what the client presented
     * @return true when it is an application token of a tenant
     */
    boolean isApplicationToken(String authCode) {
        return authCode != null && applicationTokens.contains(authCode);
    }

    /**
     * @param applicationToken an application token of a tenant
     * @return a {@code TokenResponseDto} with fresh tokens
     */
    synchronized Map<String, Object> login(String applicationToken) {
        if (!isApplicationToken(applicationToken)) {
            throw new IllegalArgumentException("not an application token of a tenant");
        }
        String access = newToken();
        String refresh = newToken();
        Instant now = clock.instant();
        // Forget expired grants here, so a simulator left running for days does not grow without bound.
        accessTokens.values().removeIf(g -> !now.isBefore(g.expiresAt()));
        refreshTokens.values().removeIf(g -> !now.isBefore(g.expiresAt()));
        accessTokens.put(access, new Grant(applicationToken, now.plus(ACCESS_LIFETIME)));
        refreshTokens.put(refresh, new Grant(applicationToken, now.plus(REFRESH_LIFETIME)));
        Map<String, Object> dto = new LinkedHashMap<>();
        dto.put("AccessToken", access);
        dto.put("RefreshToken", refresh);
        dto.put("Error", null);
        dto.put("ErrorDescription", null);
        dto.put("IsError", false);
        dto.put("ExpiresIn", ACCESS_LIFETIME.toSeconds());
        dto.put("TokenType", "Bearer");
        return dto;
    }

    /**
     * Uses up a refresh token.
     *
     * @param refreshToken what the client presented
     * @return the application token it was issued for, or empty when unknown, used or expired
     */
    synchronized Optional<String> redeemRefreshToken(String refreshToken) {
        Grant grant = refreshToken == null ? null : refreshTokens.remove(refreshToken);
        return live(grant);
    }

    /**
     * Looks a refresh token up without using it up.
     *
     * @param refreshToken what the client presented
     * @return the application token it was issued for, or empty when unknown, used or expired
     */
    synchronized Optional<String> applicationTokenOfRefreshToken(String refreshToken) {
        return live(refreshToken == null ? null : refreshTokens.get(refreshToken));
    }

    /**
     * @param accessToken the bearer token of a request
     * @return the application token it was issued for, or empty when unknown or expired
     */
    synchronized Optional<String> applicationTokenOf(String accessToken) {
        return live(accessToken == null ? null : accessTokens.get(accessToken));
    }

    /**
     * @param description why the login failed
     * @return a {@code TokenResponseDto} reporting the failed login, as the DTO's error fields allow
     */
    static Map<String, Object> loginFailure(String description) {
        Map<String, Object> dto = new LinkedHashMap<>();
        dto.put("AccessToken", null);
        dto.put("RefreshToken", null);
        dto.put("Error", "invalid_grant");
        dto.put("ErrorDescription", description);
        dto.put("IsError", true);
        dto.put("ExpiresIn", 0);
        dto.put("TokenType", null);
        return dto;
    }

    private Optional<String> live(Grant grant) {
        if (grant == null || !clock.instant().isBefore(grant.expiresAt())) {
            return Optional.empty();
        }
        return Optional.of(grant.applicationToken());
    }

    private String newToken() {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
