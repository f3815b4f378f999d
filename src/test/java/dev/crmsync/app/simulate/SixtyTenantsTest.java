package dev.crmsync.app.simulate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crmsync.app.simulate.customcrm.CustomcrmSimulator;
import dev.crmsync.app.simulate.customcrm.RecordType;
import dev.crmsync.app.simulate.webcrm.WebcrmEntity;
import dev.crmsync.app.simulate.webcrm.WebcrmSimulator;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Sixty connections' worth of tenants, as the tests of a process that runs many connections need: one simulator of
 * each kind serves them all, every tenant is reached with its own credentials, and a tenant costs no thread.
 */
class SixtyTenantsTest {

    private static final int TENANTS = 60;
    private static final SeedPlan PLAN = new SeedPlan(0, 2, 3, 1);

    private final HttpClient http = HttpClient.newHttpClient();

    @AfterEach
    void closeClient() {
        http.close();
    }

    @Test
    void shouldServeSixtyTenantsOfEachSimulatorEachWithItsOwnDataAndNoThreadOfItsOwn() throws Exception {
        // Given both simulators with sixty seeded tenants
        Set<Long> threadsBefore = hookClientThreads();
        try (WebcrmSimulator webcrm = WebcrmSimulator.builder().token("W").tenants(TENANTS).seedPlan(PLAN).build()
                     .start("127.0.0.1", 0);
             CustomcrmSimulator customcrm = CustomcrmSimulator.builder().apiKey("C").tenants(TENANTS).seedPlan(PLAN)
                     .build().start("127.0.0.1", 0)) {

            // When each tenant gets a record named after it, through its own credentials
            for (int k = 1; k <= TENANTS; k++) {
                String access = webcrmLogin(webcrm.baseUrl(), "W-" + k);
                assertThat(send(webcrm.baseUrl() + "/Organisations", access,
                        "{\"OrganisationName\":\"Tenant " + k + "\"}").statusCode()).isEqualTo(200);
                assertThat(send(customcrm.baseUrl() + "/customers", "C-" + k, "{\"name\":\"Tenant " + k + "\"}")
                        .statusCode()).isEqualTo(201);
            }

            // Then every tenant holds its seed and its own record only
            for (int k = 1; k <= TENANTS; k++) {
                assertThat(webcrm.tenant(k).count(WebcrmEntity.ORGANISATION)).isEqualTo(3);
                assertThat(webcrm.tenant(k).record(WebcrmEntity.ORGANISATION, 3).orElseThrow()
                        .path("OrganisationName").asString()).isEqualTo("Tenant " + k);
                assertThat(customcrm.tenant(k).count(RecordType.CUSTOMER)).isEqualTo(3);
                assertThat(customcrm.tenant(k).record(RecordType.CUSTOMER, "cus_3").orElseThrow()
                        .path("name").asString()).isEqualTo("Tenant " + k);
            }
            assertThat(webcrm.totalTraffic().total()).isEqualTo(2L * TENANTS);
            assertThat(customcrm.totalTraffic().writes()).isEqualTo(TENANTS);
            // One hook client per simulator, not one per tenant: each client keeps a thread for its whole life.
            Set<Long> started = hookClientThreads();
            started.removeAll(threadsBefore);
            assertThat(started).hasSizeLessThanOrEqualTo(2);
        }
    }

    private String webcrmLogin(String baseUrl, String applicationToken) throws Exception {
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(baseUrl + "/Auth/ApiLogin"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("authCode=" + applicationToken)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        return SimulatorJson.mapper().readTree(answer.body()).path("AccessToken").asString();
    }

    private HttpResponse<String> send(String url, String bearer, String json) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + bearer)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** The selector threads of the JDK's HTTP clients alive now, one per client, by thread id. */
    private static Set<Long> hookClientThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("HttpClient-") && t.getName().endsWith("-SelectorManager"))
                .map(Thread::threadId).collect(Collectors.toSet());
    }
}
