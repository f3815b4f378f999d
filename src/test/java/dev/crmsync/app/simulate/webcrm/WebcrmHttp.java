package dev.crmsync.app.simulate.webcrm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crmsync.app.simulate.SimulatorJson;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import tools.jackson.databind.JsonNode;

/** A small HTTP client for the simulator tests: login, and requests with a bearer token. */
final class WebcrmHttp {

    private final HttpClient http = HttpClient.newHttpClient();
    private final String baseUrl;

    WebcrmHttp(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    /** Logs in with a url-encoded form and returns the access token. */
    String accessToken(String applicationToken) throws Exception {
        HttpResponse<String> answer = loginUrlEncoded(applicationToken);
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        return json(answer).path("AccessToken").asString();
    }

    HttpResponse<String> loginUrlEncoded(String applicationToken) throws Exception {
        return send(HttpRequest.newBuilder(uri("/Auth/ApiLogin"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("authCode="
                        + URLEncoder.encode(applicationToken, StandardCharsets.UTF_8))));
    }

    HttpResponse<String> loginMultipart(String applicationToken) throws Exception {
        String boundary = "crmsync-boundary";
        String body = "--" + boundary + "\r\n"
                + "Content-Disposition: form-data; name=\"authCode\"\r\n\r\n"
                + applicationToken + "\r\n"
                + "--" + boundary + "--\r\n";
        return send(HttpRequest.newBuilder(uri("/Auth/ApiLogin"))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    HttpResponse<String> get(String path, String bearer) throws Exception {
        return send("GET", path, bearer, null);
    }

    HttpResponse<String> send(String method, String path, String bearer, String jsonBody) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).header("Accept", "application/json");
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        if (jsonBody == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(jsonBody));
        }
        return send(request);
    }

    HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    URI uri(String path) {
        return URI.create(baseUrl + path);
    }

    static JsonNode json(HttpResponse<String> answer) {
        return SimulatorJson.mapper().readTree(answer.body());
    }
}
