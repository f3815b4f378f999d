package dev.crmsync.testing;

import io.javalin.Javalin;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A tiny HTTP server on a free port that keeps every POST it receives, for tests of webhook delivery. It answers
 * with a status a test may change, to play a receiver that fails. Threadsafe.
 */
public final class HookReceiver implements AutoCloseable {

    /**
     * One POST as it arrived.
     *
     * @param path    the request path
     * @param headers the headers, names in lower case
     * @param body    the raw body
     */
    public record Delivery(String path, Map<String, String> headers, String body) {

        /**
         * @param name a header name, any letter case
         * @return its value, or null
         */
        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    private final List<Delivery> deliveries = new CopyOnWriteArrayList<>();
    private final Javalin server;
    private volatile int status = 204;

    /** Starts listening on 127.0.0.1 and a free port. */
    public HookReceiver() {
        this.server = Javalin.create(cfg -> {
            cfg.startup.showJavalinBanner = false;
            cfg.startup.showOldJavalinVersionWarning = false;
            cfg.routes.post("/*", ctx -> {
                Map<String, String> headers = new TreeMap<>();
                ctx.headerMap().forEach((name, value) -> headers.put(name.toLowerCase(Locale.ROOT), value));
                deliveries.add(new Delivery(ctx.path(), Map.copyOf(headers), ctx.body()));
                ctx.status(status);
            });
        }).start("127.0.0.1", 0);
    }

    /**
     * @param path a path starting with {@code /}
     * @return the absolute URL of that path on this receiver
     */
    public String url(String path) {
        return "http://127.0.0.1:" + server.port() + path;
    }

    /**
     * @return the POSTs received so far, in arrival order
     */
    public List<Delivery> deliveries() {
        return List.copyOf(deliveries);
    }

    /**
     * @param path a request path
     * @return the POSTs received on that path so far
     */
    public List<Delivery> deliveries(String path) {
        return deliveries.stream().filter(d -> d.path().equals(path)).toList();
    }

    /**
     * @param answer the status to answer every further POST with (default 204)
     */
    public void answerWith(int answer) {
        this.status = answer;
    }

    @Override
    public void close() {
        server.stop();
    }
}
