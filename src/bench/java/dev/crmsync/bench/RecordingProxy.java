package dev.crmsync.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A plain HTTP forwarder between crmsync and one simulator that keeps every request it passes on, so that a bare
 * client can send the very same requests later ({@link Replayer}). It lives in the benchmark rather than as a
 * hook in crmsync's HTTP client: crmsync runs unchanged, and what is recorded is what went over the wire.
 *
 * <p>This class is threadsafe.
 */
final class RecordingProxy implements AutoCloseable {

    /** Headers the JDK client sets itself or refuses to be given. */
    private static final Set<String> NOT_FORWARDED = Set.of("host", "connection", "content-length",
            "transfer-encoding", "expect", "upgrade", "keep-alive");

    /**
     * One request as crmsync sent it, and the answer it got.
     *
     * @param seq      the order requests arrived in
     * @param system   which system it went to
     * @param method   the method
     * @param target   path and query, as sent
     * @param headers  the request's headers, those a client may set
     * @param body     the request body
     * @param status   the answer's status
     * @param answer   the answer's body, kept for logins only (their tokens must be swapped on replay)
     */
    record Exchange(long seq, String system, String method, String target, Map<String, List<String>> headers,
                    byte[] body, int status, byte[] answer) {
    }

    private final String system;
    private final URI upstream;
    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(4);
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    private final List<Exchange> exchanges = new ArrayList<>();
    private final AtomicLong seq;

    /**
     * @param system   the system's name in the recording, e.g. {@code webcrm}
     * @param upstream the simulator's base URL
     * @param seq      numbers requests in arrival order, shared by the proxies of one recording
     */
    RecordingProxy(String system, String upstream, AtomicLong seq) {
        this.system = system;
        this.upstream = URI.create(upstream);
        this.seq = seq;
        try {
            this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", this::forward);
        server.setExecutor(executor);
        server.start();
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /**
     * @return what was recorded so far, in arrival order
     */
    synchronized List<Exchange> exchanges() {
        List<Exchange> out = new ArrayList<>(exchanges);
        out.sort(Comparator.comparingLong(Exchange::seq));
        return out;
    }

    private void forward(HttpExchange exchange) throws IOException {
        long n = seq.getAndIncrement();
        try (exchange) {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            String target = exchange.getRequestURI().getRawPath()
                    + (exchange.getRequestURI().getRawQuery() == null ? "" : "?" + exchange.getRequestURI().getRawQuery());
            Map<String, List<String>> headers = new LinkedHashMap<>();
            exchange.getRequestHeaders().forEach((name, values) -> {
                if (!NOT_FORWARDED.contains(name.toLowerCase(Locale.ROOT))) {
                    headers.put(name, List.copyOf(values));
                }
            });
            HttpRequest.Builder request = HttpRequest.newBuilder(upstream.resolve(target))
                    .timeout(Duration.ofMinutes(2))
                    .method(exchange.getRequestMethod(), body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofByteArray(body));
            headers.forEach((name, values) -> values.forEach(v -> request.header(name, v)));
            HttpResponse<byte[]> response = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            boolean login = target.startsWith("/Auth/");
            synchronized (this) {
                exchanges.add(new Exchange(n, system, exchange.getRequestMethod(), target, headers, body,
                        response.statusCode(), login ? response.body() : null));
            }
            response.headers().map().forEach((name, values) -> {
                String lower = name.toLowerCase(Locale.ROOT);
                if (!lower.equals("content-length") && !lower.equals("transfer-encoding")
                        && !lower.equals("connection") && !lower.startsWith(":")) {
                    exchange.getResponseHeaders().put(name, values);
                }
            });
            byte[] answer = response.body();
            exchange.sendResponseHeaders(response.statusCode(), answer.length == 0 ? -1 : answer.length);
            if (answer.length > 0) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(answer);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        client.close();
    }
}
