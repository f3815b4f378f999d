package dev.crmsync.app.simulate.webcrm;

import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleRequest;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A pass-through HTTP proxy that keeps every exchange with its bodies, so that a test can hold a client's real
 * traffic to a contract. It forwards the headers a webCRM client uses and the answer's status, type and body;
 * nothing else. Threadsafe.
 */
final class RecordingProxy implements AutoCloseable {

    /** One request as the client sent it and the answer it got. */
    record Exchange(String method, String path, String rawQuery, String authorization, String contentType,
                    String accept, String requestBody, int status, String responseContentType, String responseBody) {

        /**
         * @return the request as the contract validator takes it
         */
        SimpleRequest validatorRequest() {
            SimpleRequest.Builder request = new SimpleRequest.Builder(Request.Method.valueOf(method), path);
            if (accept != null) {
                request.withAccept(accept);
            }
            if (authorization != null) {
                request.withAuthorization(authorization);
            }
            if (contentType != null) {
                request.withContentType(contentType);
            }
            if (!requestBody.isEmpty()) {
                request.withBody(requestBody);
            }
            if (rawQuery != null) {
                for (String pair : rawQuery.split("&")) {
                    String[] nameValue = pair.split("=", 2);
                    request.withQueryParam(URLDecoder.decode(nameValue[0], StandardCharsets.UTF_8),
                            nameValue.length < 2 ? "" : URLDecoder.decode(nameValue[1], StandardCharsets.UTF_8));
                }
            }
            return request.build();
        }

        /**
         * @return the answer as the contract validator takes it
         */
        SimpleResponse validatorResponse() {
            SimpleResponse.Builder response = new SimpleResponse.Builder(status);
            if (responseContentType != null) {
                response.withContentType(responseContentType);
            }
            if (!responseBody.isEmpty()) {
                response.withBody(responseBody);
            }
            return response.build();
        }
    }

    private static final List<String> REQUEST_HEADERS = List.of("Accept", "Content-Type", "Authorization", "authCode");
    private static final List<String> RESPONSE_HEADERS = List.of("Content-Type", "Retry-After", "WWW-Authenticate");

    private final String target;
    private final HttpServer server;
    private final HttpClient http = HttpClient.newHttpClient();
    private final List<Exchange> exchanges = new CopyOnWriteArrayList<>();

    /**
     * @param target the base URL to forward to, without trailing slash
     */
    RecordingProxy(String target) throws IOException {
        this.target = target;
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::forward);
        server.start();
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    List<Exchange> exchanges() {
        return List.copyOf(exchanges);
    }

    @Override
    public void close() {
        server.stop(0);
        http.close();
    }

    private void forward(HttpExchange exchange) throws IOException {
        try (exchange) {
            URI uri = exchange.getRequestURI();
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(target + uri.getRawPath()
                            + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery())))
                    .method(exchange.getRequestMethod(), body.isEmpty() ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofString(body));
            for (String name : REQUEST_HEADERS) {
                header(exchange, name).ifPresent(value -> request.header(name, value));
            }
            HttpResponse<String> answer = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            exchanges.add(new Exchange(exchange.getRequestMethod(), uri.getRawPath(), uri.getRawQuery(),
                    header(exchange, "Authorization").orElse(null), header(exchange, "Content-Type").orElse(null),
                    header(exchange, "Accept").orElse(null), body, answer.statusCode(),
                    answer.headers().firstValue("Content-Type").orElse(null), answer.body()));
            for (String name : RESPONSE_HEADERS) {
                answer.headers().firstValue(name).ifPresent(value -> exchange.getResponseHeaders().add(name, value));
            }
            byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(answer.statusCode(), bytes.length == 0 ? -1 : bytes.length);
            if (bytes.length > 0) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(bytes);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    private static Optional<String> header(HttpExchange exchange, String name) {
        return Optional.ofNullable(exchange.getRequestHeaders().getFirst(name));
    }
}
