package dev.crmsync.bench;

import dev.crmsync.testing.RecordingProxy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The bare client of the overhead benchmark: sends recorded requests again, one after the other, with a plain
 * {@link HttpClient} and no sync logic. The one thing it must understand is webCRM's login, because a fresh
 * simulator hands out other tokens: each token a recorded login answered with is swapped for the one the replayed
 * login answers with, in headers and bodies alike.
 *
 * <p>Not threadsafe.
 */
final class Replayer {

    /**
     * What a replay did.
     *
     * @param requests   requests sent
     * @param wall       from sending the first to receiving the last answer
     * @param mismatched answers whose status differs from the recorded one
     */
    record Replay(int requests, Duration wall, int mismatched) {
    }

    /**
     * One recorded request and the system it went to.
     *
     * @param system   the system's name, a key of the base URLs a replay is given
     * @param exchange the request and its recorded answer
     */
    record Recorded(String system, RecordingProxy.Exchange exchange) {
    }

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private Replayer() {
    }

    /**
     * @param exchanges what was recorded, in order
     * @param baseUrls  where each recorded system now is, by system name
     * @return what the replay did
     */
    static Replay replay(List<Recorded> exchanges, Map<String, String> baseUrls) {
        Map<String, String> tokens = new HashMap<>();
        int mismatched = 0;
        try (HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build()) {
            long start = System.nanoTime();
            for (Recorded recorded : exchanges) {
                RecordingProxy.Exchange e = recorded.exchange();
                String body = swap(e.requestBody(), tokens);
                HttpRequest.Builder request = HttpRequest.newBuilder(
                                URI.create(baseUrls.get(recorded.system()) + e.target()))
                        .timeout(Duration.ofMinutes(2))
                        .method(e.method(), body.isEmpty() ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofString(body));
                e.forwardedHeaders().forEach((name, values) -> values.forEach(v -> request.header(name,
                        swap(v, tokens))));
                HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() != e.status()) {
                    mismatched++;
                }
                if (e.path().startsWith("/Auth/") && response.statusCode() == 200) {
                    learnTokens(e.responseBody(), response.body(), tokens);
                }
            }
            return new Replay(exchanges.size(), Duration.ofNanos(System.nanoTime() - start), mismatched);
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }

    private static void learnTokens(String recorded, String replayed, Map<String, String> tokens) {
        try {
            JsonNode was = JSON.readTree(recorded);
            JsonNode now = JSON.readTree(replayed);
            for (String field : List.of("AccessToken", "RefreshToken")) {
                if (was.path(field).isString() && now.path(field).isString()) {
                    tokens.put(was.path(field).asString(), now.path(field).asString());
                }
            }
        } catch (RuntimeException notJson) {
            // A login answer that is not JSON carries no token to swap.
        }
    }

    private static String swap(String text, Map<String, String> tokens) {
        String out = text;
        for (Map.Entry<String, String> t : tokens.entrySet()) {
            if (out.contains(t.getKey())) {
                out = out.replace(t.getKey(), t.getValue());
            }
        }
        return out;
    }
}
