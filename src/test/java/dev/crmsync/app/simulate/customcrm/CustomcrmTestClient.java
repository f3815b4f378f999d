package dev.crmsync.app.simulate.customcrm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crmsync.app.simulate.SimulatorJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import tools.jackson.databind.JsonNode;

/**
 * The reference server's tests' HTTP client: plain {@link HttpClient} calls that send the API key and hand every
 * exchange to the listeners, so that a contract test can check all traffic without changing the tests' code.
 */
final class CustomcrmTestClient {

    /** One request and the answer to it. */
    record Exchange(HttpRequest request, String requestBody, HttpResponse<String> response) {
    }

    static final String JSON = "application/json";
    static final String MERGE_PATCH = "application/merge-patch+json";

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final URI base;
    private final String apiKey;
    private final List<Consumer<Exchange>> listeners = new ArrayList<>();

    /**
     * @param sim the running simulator to talk to, with its API key
     */
    CustomcrmTestClient(CustomcrmSimulator sim) {
        this(URI.create(sim.baseUrl()), sim.apiKey());
    }

    /**
     * @param sim    the running simulator to talk to
     * @param tenant the number of the tenant whose API key to send
     */
    CustomcrmTestClient(CustomcrmSimulator sim, int tenant) {
        this(URI.create(sim.baseUrl()), sim.tenant(tenant).apiKey());
    }

    private CustomcrmTestClient(URI base, String apiKey) {
        this.base = base;
        this.apiKey = apiKey;
    }

    /**
     * @return a client that sends {@code key} instead, or no key when null; listeners are shared
     */
    CustomcrmTestClient withKey(String key) {
        CustomcrmTestClient other = new CustomcrmTestClient(base, key);
        other.listeners.addAll(listeners);
        return other;
    }

    CustomcrmTestClient onExchange(Consumer<Exchange> listener) {
        listeners.add(listener);
        return this;
    }

    HttpResponse<String> get(String path, String... headers) {
        return send("GET", path, null, null, headers);
    }

    HttpResponse<String> post(String path, String json, String... headers) {
        return send("POST", path, json, JSON, headers);
    }

    HttpResponse<String> put(String path, String json, String... headers) {
        return send("PUT", path, json, JSON, headers);
    }

    HttpResponse<String> patch(String path, String json, String... headers) {
        return send("PATCH", path, json, MERGE_PATCH, headers);
    }

    HttpResponse<String> delete(String path, String... headers) {
        return send("DELETE", path, null, null, headers);
    }

    /**
     * @param headers names and values, alternating
     */
    HttpResponse<String> send(String method, String path, String body, String contentType, String... headers) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(base.resolve(path)).method(method,
                body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (apiKey != null) {
            builder.header("Authorization", "Bearer " + apiKey);
        }
        if (contentType != null) {
            builder.header("Content-Type", contentType);
        }
        for (int i = 0; i < headers.length; i += 2) {
            builder.header(headers[i], headers[i + 1]);
        }
        HttpRequest request = builder.build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            listeners.forEach(l -> l.accept(new Exchange(request, body, response)));
            return response;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Creates a record and insists that it worked.
     *
     * @return the created record
     */
    JsonNode create(String collection, String json) {
        HttpResponse<String> answer = post(collection, json);
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(201);
        return json(answer);
    }

    /**
     * @param singleQuoted JSON written with single quotes, which reads better inside Java strings
     * @return the JSON with double quotes
     */
    static String body(String singleQuoted) {
        return singleQuoted.replace('\'', '"');
    }

    static JsonNode json(HttpResponse<String> response) {
        return SimulatorJson.mapper().readTree(response.body());
    }
}
