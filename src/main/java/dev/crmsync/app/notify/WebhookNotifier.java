package dev.crmsync.app.notify;

import dev.crmsync.adapters.http.RetryPolicy;
import dev.crmsync.adapters.http.Sleeper;
import dev.crmsync.app.config.NotifySettings;
import dev.crmsync.ports.TransientCrmException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * POSTs each {@link AlertEvent} to the receiver of the {@code notify:} section, one at a time on a thread of its
 * own: {@link #accept} only queues, so the sync never waits for a receiver, and nothing a receiver does can fail
 * a sync. Each event is tried through crmsync's one {@link RetryPolicy} (no answer, a 429 or a 5xx is tried again;
 * another answer is final), each attempt within the configured timeout. A receiver that does not take an event
 * gets one warning in the log, naming it by {@link NotifySettings#shownUrl() scheme and host} only: a chat
 * webhook's URL is its secret, and header values are never logged.
 *
 * <p>This class is threadsafe.
 */
public final class WebhookNotifier implements Consumer<AlertEvent>, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(WebhookNotifier.class);

    /** Events waiting to be sent; a receiver that is down for long drops the newest rather than fill the heap. */
    private static final int QUEUE = 100;

    private final NotifySettings settings;
    private final RetryPolicy retry;
    private final InstantSource clock;
    private final HttpClient http;
    private final ThreadPoolExecutor sender;

    /**
     * @param settings the {@code notify:} section
     * @param sleeper  how the retries wait; the service's, so that a stop ends a wait at once
     * @param clock    reads a receiver's {@code Retry-After} date
     */
    public WebhookNotifier(NotifySettings settings, Sleeper sleeper, InstantSource clock) {
        this.settings = settings;
        this.retry = new RetryPolicy(settings.retry(), sleeper);
        this.clock = clock;
        this.http = HttpClient.newBuilder().connectTimeout(settings.timeout())
                .followRedirects(HttpClient.Redirect.NEVER).build();
        this.sender = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(QUEUE),
                Thread.ofPlatform().name("crmsync-notify").daemon(true).factory());
    }

    /**
     * Queues an event to be sent; returns at once.
     *
     * @param event the event
     */
    @Override
    public void accept(AlertEvent event) {
        try {
            sender.execute(() -> deliver(event));
        } catch (RejectedExecutionException e) {
            log.atWarn().addKeyValue("url", settings.shownUrl()).addKeyValue("event", event.kind().label())
                    .addKeyValue("flow", event.flow().configName())
                    .log("a notification was dropped: the receiver is behind or crmsync is stopping");
        }
    }

    private void deliver(AlertEvent event) {
        String body = event.json();
        String what = "notification to " + settings.shownUrl();
        try {
            retry.run(what, () -> attempt(body), problem -> new TransientCrmException(problem, null),
                    (w, attempt, problem, pause) -> log.atInfo().addKeyValue("url", settings.shownUrl())
                            .addKeyValue("attempt", attempt).addKeyValue("problem", problem)
                            .addKeyValue("pause", pause.toMillis() + "ms").log("notification retried"));
            log.atInfo().addKeyValue("url", settings.shownUrl()).addKeyValue("event", event.kind().label())
                    .addKeyValue("flow", event.flow().configName()).log("notification sent");
        } catch (TransientCrmException | Refused e) {
            log.atWarn().addKeyValue("url", settings.shownUrl()).addKeyValue("event", event.kind().label())
                    .addKeyValue("flow", event.flow().configName()).addKeyValue("problem", e.getMessage())
                    .log("the notification receiver did not take the event; the sync goes on");
        }
    }

    private RetryPolicy.Attempt<Void> attempt(String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(settings.url()).timeout(settings.timeout())
                .header("Content-Type", "application/json").header("User-Agent", "crmsync")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        settings.headers().forEach((name, value) -> request.header(name, value.reveal()));
        try {
            HttpResponse<Void> answer = http.send(request.build(), HttpResponse.BodyHandlers.discarding());
            int status = answer.statusCode();
            if (status >= 200 && status < 300) {
                return new RetryPolicy.Attempt.Succeeded<>(null);
            }
            if (status == 429 || status >= 500) {
                return new RetryPolicy.Attempt.Failed<>("answered HTTP " + status, RetryPolicy.serverWait(
                        answer.headers().firstValue("Retry-After").orElse(null), null, clock.instant()));
            }
            throw new Refused("refused with HTTP " + status);
        } catch (HttpTimeoutException e) {
            return new RetryPolicy.Attempt.Failed<>("no answer within " + settings.timeout().toMillis() + " ms",
                    Optional.empty());
        } catch (ConnectException e) {
            return new RetryPolicy.Attempt.Failed<>("no connection (refused or unreachable)", Optional.empty());
        } catch (IOException e) {
            // Not the exception's message: it may quote the URL.
            return new RetryPolicy.Attempt.Failed<>("no answer (" + e.getClass().getSimpleName() + ")",
                    Optional.empty());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TransientCrmException("interrupted: crmsync is stopping", e);
        }
    }

    /**
     * Sends what is queued for up to {@code grace}, then drops the rest. A stop has already ended the retries'
     * waits, so what is left is at most one attempt per event.
     *
     * @param grace how long to wait
     */
    public void close(Duration grace) {
        sender.shutdown();
        try {
            if (!sender.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                sender.shutdownNow();
            }
        } catch (InterruptedException e) {
            sender.shutdownNow();
            Thread.currentThread().interrupt();
        }
        http.shutdownNow();
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(5));
    }

    /** The receiver answered, and not with a status worth another attempt. */
    private static final class Refused extends RuntimeException {

        Refused(String message) {
            super(message, null, false, false);
        }
    }
}
