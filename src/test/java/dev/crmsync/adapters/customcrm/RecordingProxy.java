package dev.crmsync.adapters.customcrm;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A pass-through HTTP proxy that writes down every exchange, so a test can hold what a client sent and what the
 * server answered against a contract without either side knowing. It copies methods, paths, queries, headers and
 * bodies as they are, except the hop-by-hop headers the JDK client sets itself.
 *
 * <p>This class is threadsafe.
 */
final class RecordingProxy implements AutoCloseable {

    /** One request and its answer; header names in lower case. */
    record Exchange(String method, String path, String query, Map<String, List<String>> requestHeaders,
                    String requestBody, int status, Map<String, List<String>> responseHeaders, String responseBody) {
    }

    private static final Set<String> HOP_BY_HOP = Set.of("connection", "content-length", "expect", "host", "upgrade",
            "transfer-encoding", "keep-alive", "date");

    private final String target;
    private final HttpServer server;
    private final HttpClient client = HttpClient.newHttpClient();
    private final List<Exchange> exchanges = new ArrayList<>();

    /**
     * @param target the server to forward to, without trailing slash
     */
    RecordingProxy(String target) throws IOException {
        this.target = target;
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::forward);
        server.start();
    }

    /**
     * @return where clients send their requests
     */
    URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /**
     * @return the exchanges so far, in order
     */
    synchronized List<Exchange> exchanges() {
        return List.copyOf(exchanges);
    }

    private void forward(HttpExchange in) throws IOException {
        try (in) {
            URI uri = in.getRequestURI();
            String requestBody = read(in.getRequestBody());
            HttpRequest.Builder out = HttpRequest.newBuilder(URI.create(target + uri.getRawPath()
                            + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery())))
                    .method(in.getRequestMethod(), requestBody.isEmpty() ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofString(requestBody));
            Map<String, List<String>> requestHeaders = lowerCase(in.getRequestHeaders());
            requestHeaders.forEach((name, values) -> {
                if (!HOP_BY_HOP.contains(name)) {
                    values.forEach(value -> out.header(name, value));
                }
            });
            HttpResponse<String> answer = client.send(out.build(), HttpResponse.BodyHandlers.ofString());
            Map<String, List<String>> responseHeaders = lowerCase(answer.headers().map());
            synchronized (this) {
                exchanges.add(new Exchange(in.getRequestMethod(), uri.getRawPath(), uri.getRawQuery(),
                        requestHeaders, requestBody, answer.statusCode(), responseHeaders, answer.body()));
            }
            responseHeaders.forEach((name, values) -> {
                if (!HOP_BY_HOP.contains(name) && !name.startsWith(":")) {
                    in.getResponseHeaders().put(name, values);
                }
            });
            byte[] body = answer.body().getBytes(StandardCharsets.UTF_8);
            in.sendResponseHeaders(answer.statusCode(), body.length == 0 ? -1 : body.length);
            if (body.length > 0) {
                try (OutputStream os = in.getResponseBody()) {
                    os.write(body);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    private static String read(InputStream in) throws IOException {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }

    private static Map<String, List<String>> lowerCase(Map<String, List<String>> headers) {
        Map<String, List<String>> out = new TreeMap<>();
        headers.forEach((name, values) -> out.put(name.toLowerCase(Locale.ROOT), List.copyOf(values)));
        return out;
    }

    @Override
    public void close() {
        server.stop(0);
        client.close();
    }
}
