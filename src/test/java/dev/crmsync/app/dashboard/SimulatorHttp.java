package dev.crmsync.app.dashboard;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Edits the two simulators over their HTTP APIs, as a person's other tools would: webCRM's REST API v1 (log in,
 * read the whole record, PUT it back) and Customcrm's contract (JSON Merge Patch). The browser tests change
 * records this way, so that crmsync meets the edits exactly as it meets real ones.
 *
 * <p>Not threadsafe: the webCRM access token is cached.
 */
final class SimulatorHttp {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String webcrmUrl;
    private final String webcrmToken;
    private final String customcrmUrl;
    private final String customcrmKey;
    private String accessToken;

    /**
     * @param webcrmUrl    the webCRM simulator's base URL
     * @param webcrmToken  its application token
     * @param customcrmUrl the Customcrm simulator's base URL
     * @param customcrmKey its API key
     */
    SimulatorHttp(String webcrmUrl, String webcrmToken, String customcrmUrl, String customcrmKey) {
        this.webcrmUrl = webcrmUrl;
        this.webcrmToken = webcrmToken;
        this.customcrmUrl = customcrmUrl;
        this.customcrmKey = customcrmKey;
    }

    // ---------------------------------------------------------------- webCRM

    /**
     * @param entity e.g. {@code Organisations}
     * @param id     the record's id
     * @return the record as webCRM serves it
     */
    JsonNode webcrmGet(String entity, int id) {
        URI uri = URI.create(webcrmUrl + "/" + entity + "/" + id);
        HttpResponse<String> answer = sendToWebcrm(HttpRequest.newBuilder(uri)
                .header("Authorization", "Bearer " + accessToken()).GET());
        return JSON.readTree(expect(answer, 200));
    }

    /**
     * Reads a record, changes it and PUTs the whole record back, as webCRM wants.
     *
     * @param entity e.g. {@code Persons}
     * @param id     the record's id
     * @param change what to change in the read record
     */
    void webcrmUpdate(String entity, int id, Consumer<ObjectNode> change) {
        ObjectNode record = (ObjectNode) webcrmGet(entity, id);
        change.accept(record);
        expect(sendToWebcrm(HttpRequest.newBuilder(URI.create(webcrmUrl + "/" + entity + "/" + id))
                .header("Authorization", "Bearer " + accessToken())
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(record.toString()))), 200);
    }

    /**
     * @param entity e.g. {@code Organisations}
     * @param record the new record's properties
     * @return the new id
     */
    int webcrmCreate(String entity, ObjectNode record) {
        HttpResponse<String> answer = sendToWebcrm(HttpRequest.newBuilder(URI.create(webcrmUrl + "/" + entity))
                .header("Authorization", "Bearer " + accessToken())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(record.toString())));
        return Integer.parseInt(expect(answer, 200).strip());
    }

    private String accessToken() {
        if (accessToken == null) {
            String form = "authCode=" + URLEncoder.encode(webcrmToken, StandardCharsets.UTF_8);
            HttpResponse<String> answer = sendToWebcrm(HttpRequest.newBuilder(URI.create(webcrmUrl + "/Auth/ApiLogin"))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(form)));
            accessToken = JSON.readTree(expect(answer, 200)).path("AccessToken").asString();
        }
        return accessToken;
    }

    // ---------------------------------------------------------------- Customcrm

    /**
     * @param type  e.g. {@code customers}
     * @param id    the record's id
     * @param patch a JSON Merge Patch
     */
    void customcrmPatch(String type, String id, ObjectNode patch) {
        expect(send(HttpRequest.newBuilder(URI.create(customcrmUrl + "/" + type + "/" + id))
                .header("Authorization", "Bearer " + customcrmKey)
                .header("Content-Type", "application/merge-patch+json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString(patch.toString()))), 200);
    }

    // ---------------------------------------------------------------- plumbing

    static ObjectNode object() {
        return JSON.createObjectNode();
    }

    /**
     * Sends a request to webCRM; a 429 (the simulator's 250 requests a minute, which crmsync's own calls share)
     * is waited out by asking again each second, as a polite client would.
     */
    private HttpResponse<String> sendToWebcrm(HttpRequest.Builder request) {
        AtomicReference<HttpResponse<String>> answer = new AtomicReference<>();
        await().atMost(Duration.ofMinutes(2)).pollDelay(Duration.ZERO).pollInterval(Duration.ofSeconds(1))
                .until(() -> {
                    answer.set(send(request));
                    return answer.get().statusCode() != 429;
                });
        return answer.get();
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return http.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String expect(HttpResponse<String> answer, int status) {
        if (answer.statusCode() != status) {
            throw new IllegalStateException(answer.request().method() + " " + answer.uri() + " answered "
                    + answer.statusCode() + ": " + answer.body());
        }
        return answer.body();
    }
}
