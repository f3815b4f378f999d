package dev.crmsync.adapters.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.crmsync.ports.TransientCrmException;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * What a {@link CrmHttpClient} tells its {@link HttpCallObserver} when no answer comes, and the pace budget it
 * shows. (Answered calls and 429s are shown against the simulators in {@code PrometheusScrapeScenarioTest}.)
 */
class CrmHttpClientObserverTest {

    private static final InstantSource CLOCK = InstantSource.fixed(Instant.parse("2026-11-02T09:00:00Z"));
    private static final CrmHttpClient.Authenticator NO_AUTH = CrmHttpClient.Authenticator.NONE;

    /** Keeps what it is told. */
    private static final class Recording implements HttpCallObserver {
        final List<String> calls = new ArrayList<>();
        final List<String> paced = new ArrayList<>();
        Supplier<RateBudget> budget;

        @Override
        public void called(String system, String method, int status, Duration took) {
            calls.add(system + " " + method + " " + status);
        }

        @Override
        public void paced(String system, Supplier<RateBudget> source) {
            paced.add(system);
            budget = source;
        }
    }

    private static URI closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return URI.create("http://127.0.0.1:" + socket.getLocalPort());
        }
    }

    @Test
    void shouldNameTheAddressThatDoesNotAnswerButNoCredentialInIt() throws IOException {
        // Given a server that is not there, configured with a user and a key in its URL
        URI closed = closedPort();
        URI withSecrets = URI.create("http://admin:s3cret-pass@127.0.0.1:" + closed.getPort() + "/api?key=s3cret-key");
        CrmHttpClient client = new CrmHttpClient("Customcrm", withSecrets, Duration.ofSeconds(2), 0,
                new Resilience(new RetryPolicy.Settings(2, Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ZERO), Duration.ofSeconds(30)),
                CLOCK, duration -> { }, NO_AUTH, HttpCallObserver.NONE);

        // When / Then
        assertThatThrownBy(() -> client.send("GET", "/customers", null, null, Map.of()))
                .isInstanceOf(TransientCrmException.class)
                .hasMessageContaining("failed after 2 attempts: connection refused")
                .hasMessageContaining("at http://127.0.0.1:" + closed.getPort() + "/api)")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("s3cret"));
        client.close();
    }

    @Test
    void shouldTellEachAttemptWithoutAnswerAsStatusZeroAndSpendThePaceBudget() throws IOException {
        // Given a paced client of a server that is not there, trying twice
        Recording observer = new Recording();
        CrmHttpClient client = new CrmHttpClient("webCRM", closedPort(), Duration.ofSeconds(2), 10,
                new Resilience(new RetryPolicy.Settings(2, Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ZERO), Duration.ofSeconds(30)),
                CLOCK, duration -> { }, NO_AUTH, observer);
        assertThat(observer.paced).containsExactly("webcrm");
        assertThat(client.budget()).contains(new RateBudget(10, 10));

        // When
        assertThatThrownBy(() -> client.send("GET", "/Organisations?Page=1", null, null, Map.of()))
                .isInstanceOf(TransientCrmException.class);

        // Then both attempts are told, by the system's lower-case name, and the budget shows them spent
        assertThat(observer.calls).containsExactly("webcrm GET 0", "webcrm GET 0");
        assertThat(client.budget()).contains(new RateBudget(8, 10));
        assertThat(observer.budget.get()).isEqualTo(new RateBudget(8, 10));
        client.close();
    }

    @Test
    void shouldShowNoBudgetForAClientThatDoesNotPaceItself() throws IOException {
        // Given
        Recording observer = new Recording();

        // When
        CrmHttpClient client = new CrmHttpClient("Customcrm", closedPort(), Duration.ofSeconds(2), 0,
                Resilience.ofDefaults(), CLOCK, duration -> { }, NO_AUTH, observer);

        // Then
        assertThat(client.budget()).isEmpty();
        assertThat(observer.paced).isEmpty();
        client.close();
    }
}
