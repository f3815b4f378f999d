package dev.crmsync.testing;

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
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * A pass-through HTTP proxy that writes down every exchange, so a test can hold what a client sent and what the
 * server answered against a contract without either side knowing. It copies methods, paths, queries, headers and
 * bodies as they are, except the hop-by-hop headers the JDK client sets itself.
 *
 * <p>Two knobs make the server behind it look like another implementation of the contract: {@link #refuse} answers
 * some requests itself, as a server without a route or with a lower limit would, and {@link #rewrite} changes the
 * text of some answers, such as the contract document the server serves.
 *
 * <p>The benchmark sends the recorded requests again with a bare client; proxies that share one arrival counter
 * keep the order of a recording across two systems.
 *
 * <p>This class is threadsafe.
 */
public final class RecordingProxy implements AutoCloseable {

    /**
     * One request and its answer; header names in lower case.
     *
     * @param seq the order requests arrived in, over all proxies that share an arrival counter
     */
    public record Exchange(long seq, String method, String path, String query,
                           Map<String, List<String>> requestHeaders, String requestBody, int status,
                           Map<String, List<String>> responseHeaders, String responseBody) {

        /**
         * @return path and query, as sent
         */
        public String target() {
            return path + (query == null ? "" : "?" + query);
        }

        /**
         * @return the request's headers a client may set, those the proxy forwarded
         */
        public Map<String, List<String>> forwardedHeaders() {
            Map<String, List<String>> out = new TreeMap<>(requestHeaders);
            out.keySet().removeAll(HOP_BY_HOP);
            return out;
        }
    }

    private static final Set<String> HOP_BY_HOP = Set.of("connection", "content-length", "expect", "host", "upgrade",
            "transfer-encoding", "keep-alive", "date");

    private final String target;
    private final HttpServer server;
    private final AtomicLong arrivals;
    // Several threads, so that a client sending requests side by side is not made to wait in line by the proxy.
    private final ExecutorService executor = Executors.newFixedThreadPool(4);
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final List<Exchange> exchanges = new ArrayList<>();
    private final List<Refusal> refusals = new ArrayList<>();
    private final List<Rewrite> rewrites = new ArrayList<>();

    private record Refusal(String method, String path, Predicate<String> when, int status) {
    }

    private record Rewrite(String path, String from, String to) {
    }

    /**
     * @param target the server to forward to, without trailing slash
     */
    public RecordingProxy(String target) throws IOException {
        this(target, new AtomicLong());
    }

    /**
     * @param target   the server to forward to, without trailing slash
     * @param arrivals numbers requests as they arrive; shared by proxies whose exchanges are to be put in one order
     */
    public RecordingProxy(String target, AtomicLong arrivals) throws IOException {
        this.target = target;
        this.arrivals = arrivals;
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        server.createContext("/", this::forward);
        server.setExecutor(executor);
        server.start();
    }

    /**
     * @return where clients send their requests
     */
    public URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /**
     * Answers requests of {@code method} on {@code path} whose body {@code when} accepts with {@code status} and a
     * problem document, instead of forwarding them.
     *
     * @param when tells from the request's body whether to refuse it
     */
    public synchronized void refuse(String method, String path, Predicate<String> when, int status) {
        refusals.add(new Refusal(method, path, when, status));
    }

    /**
     * Replaces {@code from} by {@code to} in every answer to a request on {@code path}.
     */
    public synchronized void rewrite(String path, String from, String to) {
        rewrites.add(new Rewrite(path, from, to));
    }

    /**
     * @return the exchanges so far, in the order their requests arrived
     */
    public synchronized List<Exchange> exchanges() {
        return exchanges.stream().sorted(Comparator.comparingLong(Exchange::seq)).toList();
    }

    private void forward(HttpExchange in) throws IOException {
        long seq = arrivals.getAndIncrement();
        try (in) {
            URI uri = in.getRequestURI();
            String requestBody = read(in.getRequestBody());
            Map<String, List<String>> requestHeaders = lowerCase(in.getRequestHeaders());
            Refusal refusal = refusal(in.getRequestMethod(), uri.getRawPath(), requestBody);
            if (refusal != null) {
                answerItself(in, seq, requestHeaders, requestBody, refusal.status());
                return;
            }
            HttpRequest.Builder out = HttpRequest.newBuilder(URI.create(target + uri.getRawPath()
                            + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery())))
                    .timeout(Duration.ofMinutes(2))
                    .method(in.getRequestMethod(), requestBody.isEmpty() ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofString(requestBody));
            requestHeaders.forEach((name, values) -> {
                if (!HOP_BY_HOP.contains(name)) {
                    values.forEach(value -> out.header(name, value));
                }
            });
            HttpResponse<String> answer = client.send(out.build(), HttpResponse.BodyHandlers.ofString());
            Map<String, List<String>> responseHeaders = lowerCase(answer.headers().map());
            String responseBody = rewritten(uri.getRawPath(), answer.body());
            synchronized (this) {
                exchanges.add(new Exchange(seq, in.getRequestMethod(), uri.getRawPath(), uri.getRawQuery(),
                        requestHeaders, requestBody, answer.statusCode(), responseHeaders, responseBody));
            }
            responseHeaders.forEach((name, values) -> {
                if (!HOP_BY_HOP.contains(name) && !name.startsWith(":")) {
                    in.getResponseHeaders().put(name, values);
                }
            });
            byte[] body = responseBody.getBytes(StandardCharsets.UTF_8);
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

    private synchronized Refusal refusal(String method, String path, String body) {
        return refusals.stream().filter(r -> r.method().equals(method) && r.path().equals(path)
                && r.when().test(body)).findFirst().orElse(null);
    }

    private synchronized String rewritten(String path, String body) {
        String text = body;
        for (Rewrite rewrite : rewrites) {
            if (rewrite.path().equals(path)) {
                text = text.replace(rewrite.from(), rewrite.to());
            }
        }
        return text;
    }

    private void answerItself(HttpExchange in, long seq, Map<String, List<String>> requestHeaders,
                              String requestBody, int status) throws IOException {
        String body = "{\"type\":\"about:blank\",\"title\":\"Refused by the proxy\",\"status\":" + status
                + ",\"detail\":\"refused by the test's proxy\"}";
        synchronized (this) {
            exchanges.add(new Exchange(seq, in.getRequestMethod(), in.getRequestURI().getRawPath(),
                    in.getRequestURI().getRawQuery(), requestHeaders, requestBody, status,
                    Map.of("content-type", List.of("application/problem+json")), body));
        }
        in.getResponseHeaders().set("Content-Type", "application/problem+json");
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        in.sendResponseHeaders(status, bytes.length);
        try (OutputStream os = in.getResponseBody()) {
            os.write(bytes);
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
        executor.shutdownNow();
        client.close();
    }
}
