package dev.crmsync.app.api;

import dev.crmsync.app.service.ServiceListener;
import dev.crmsync.app.service.SyncService;
import dev.crmsync.ports.HistoryEntry;
import io.javalin.http.sse.SseClient;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Server-sent events for one page: {@code status} when a flow's status changes and {@code change} when a link's
 * history grows. The service's worker only puts events in a queue (it must never wait for a slow browser); the
 * request's own (virtual) thread sends them, and a comment every {@link #KEEP_ALIVE} keeps proxies from closing
 * a quiet stream. Status events that pile up are sent once: only the newest status matters.
 *
 * <p>One instance per connected page; threadsafe.
 */
final class EventStream implements ServiceListener {

    static final Duration KEEP_ALIVE = Duration.ofSeconds(15);
    private static final int MAX_QUEUED = 1000;
    private static final Object STATUS = new Object();
    private static final Object END = new Object();

    private final BlockingQueue<Object> queue = new LinkedBlockingQueue<>(MAX_QUEUED);
    /** Counted down when {@link #serve} returns. */
    private final CountDownLatch served = new CountDownLatch(1);
    private final Supplier<String> status;
    private final Function<HistoryEntry, String> change;

    /**
     * @param status renders the current status as JSON
     * @param change renders a history entry as JSON
     */
    EventStream(Supplier<String> status, Function<HistoryEntry, String> change) {
        this.status = status;
        this.change = change;
    }

    @Override
    public void statusChanged() {
        if (!queue.contains(STATUS)) {
            queue.offer(STATUS);
        }
    }

    @Override
    public void changed(HistoryEntry entry) {
        queue.offer(entry);
    }

    /** Ends the stream: the server is stopping. */
    void end() {
        queue.clear();
        queue.offer(END);
    }

    /**
     * Waits for {@link #serve} to return after {@link #end}.
     *
     * @param limit the longest wait
     * @return whether it returned within {@code limit}
     */
    boolean awaitServed(Duration limit) throws InterruptedException {
        return served.await(limit.toNanos(), TimeUnit.NANOSECONDS);
    }

    /**
     * Sends events until the page goes away or the server stops; runs on the request's thread.
     */
    void serve(SseClient client, SyncService service) {
        service.addListener(this);
        try {
            client.sendEvent("status", status.get());
            while (!client.terminated()) {
                Object next = queue.poll(KEEP_ALIVE.toMillis(), TimeUnit.MILLISECONDS);
                if (next == END) {
                    return;
                } else if (next == null) {
                    client.sendComment("keep-alive");
                } else if (next == STATUS) {
                    client.sendEvent("status", status.get());
                } else {
                    client.sendEvent("change", change.apply((HistoryEntry) next));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException gone) {
            // The page went away mid-send (or the server recycled its response while stopping): nothing to tell.
        } finally {
            service.removeListener(this);
            served.countDown();
        }
    }
}
