package dev.crmsync.testing;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.SimpleRequest;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.ValidationReport;
import dev.crmsync.testing.ServiceHarness.Response;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

/**
 * Calls a running crmsync over HTTP and keeps every exchange, to hold them to the management API's contract at the
 * end of a test. The service harnesses share it.
 *
 * <p>This class is threadsafe.
 */
public final class ApiClient {

    /** One request to the service and its answer, kept to hold them to the management API's contract. */
    private record Exchange(String method, String pathAndQuery, String body, boolean withToken, Response response) {
    }

    private final List<Exchange> exchanges = new CopyOnWriteArrayList<>();

    private final Supplier<String> baseUrl;
    private final String token;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /**
     * @param baseUrl the service's base URL, asked at each call (a restarted service may have a new one)
     * @param token   the service token: an exchange sent with it counts as a rightly made one
     */
    public ApiClient(Supplier<String> baseUrl, String token) {
        this.baseUrl = baseUrl;
        this.token = token;
    }

    /**
     * Calls the service with any token.
     *
     * @param method the HTTP method
     * @param path   the path
     * @param body   a JSON body, or null
     * @param token  the bearer token, or null for none
     * @return the answer
     */
    public Response call(String method, String path, String body, String token) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl.get() + path))
                .timeout(Duration.ofSeconds(60))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        try {
            HttpResponse<String> answer = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            Response response = new Response(answer.statusCode(), answer.body(),
                    answer.headers().firstValue("Content-Type").orElse(""), answer.headers());
            exchanges.add(new Exchange(method, path, body, this.token.equals(token), response));
            return response;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Holds every request made through {@link #call} so far, and its answer, to the management API's OpenAPI
     * document. A request sent without the token, or answered with a 4xx, was made wrong on purpose: only its
     * answer is held to the contract.
     *
     * @return one line per violation: the exchange and what broke the contract
     */
    public List<String> contractViolations() {
        OpenApiInteractionValidator validator = OpenApiContract.validator(OpenApiContract.MANAGEMENT);
        List<String> out = new ArrayList<>();
        for (Exchange exchange : exchanges) {
            URI uri = URI.create(exchange.pathAndQuery());
            SimpleRequest.Builder request = new SimpleRequest.Builder(exchange.method(),
                    documentedPath(uri.getRawPath()));
            if (uri.getRawQuery() != null) {
                for (String pair : uri.getRawQuery().split("&")) {
                    String[] nameAndValue = pair.split("=", 2);
                    request.withQueryParam(decode(nameAndValue[0]), nameAndValue.length > 1 ? decode(nameAndValue[1])
                            : "");
                }
            }
            if (exchange.withToken()) {
                request.withAuthorization("Bearer " + this.token);
            }
            if (exchange.body() != null) {
                request.withContentType("application/json").withBody(exchange.body());
            }
            SimpleResponse.Builder response = SimpleResponse.Builder.status(exchange.response().status());
            String type = exchange.response().contentType();
            if (!type.isEmpty()) {
                response.withContentType(type.split(";")[0].strip());
            }
            if (!exchange.response().body().isEmpty()) {
                response.withBody(exchange.response().body());
            }
            exchange.response().headers().map().forEach(response::withHeader);
            ValidationReport report = validator.validate(request.build(), response.build());
            report.getMessages().stream()
                    .filter(m -> m.getLevel() == ValidationReport.Level.ERROR)
                    .filter(m -> !wrongOnPurpose(exchange) || !m.getKey().startsWith("validation.request"))
                    .forEach(m -> out.add(exchange.method() + " " + exchange.pathAndQuery() + " -> "
                            + exchange.response().status() + ": " + m.getKey() + ": " + m.getMessage()
                            + (m.getNestedMessages().isEmpty() ? "" : " " + m.getNestedMessages())));
        }
        return out;
    }

    /** Without the token, or answered with a 4xx: a test asked wrongly to see the refusal. */
    private static boolean wrongOnPurpose(Exchange exchange) {
        return !exchange.withToken() || exchange.response().status() >= 400 && exchange.response().status() < 500;
    }

    /**
     * The path as the contract documents it: a connection's route of a service of several is its {@code /api/}
     * route under {@code /connections/<name>}, with the same parameters and answers.
     */
    private static String documentedPath(String path) {
        return path.replaceFirst("^/connections/[a-z0-9-]+(?=/api/)", "");
    }

    private static String decode(String text) {
        return URLDecoder.decode(text, StandardCharsets.UTF_8);
    }

    /**
     * Reads {@code /metrics} as Prometheus scrapes it.
     *
     * @param name   a series' name, e.g. {@code crmsync_cycles_total}
     * @param labels labels its samples must all carry, e.g. {@code flow="persons"}
     * @return the sum of the samples that carry them all, 0 when none does
     */
    public double metric(String name, String... labels) {
        String text = call("GET", "/metrics", null, null).body();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?m)^" + java.util.regex.Pattern.quote(name)
                + "\\{([^}]*)} ([0-9.eE+-]+)$").matcher(text);
        double sum = 0;
        while (m.find()) {
            boolean all = true;
            for (String label : labels) {
                all &= m.group(1).contains(label);
            }
            if (all) {
                sum += Double.parseDouble(m.group(2));
            }
        }
        return sum;
    }
}
