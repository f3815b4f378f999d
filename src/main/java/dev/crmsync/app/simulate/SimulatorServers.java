package dev.crmsync.app.simulate;

import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.json.JavalinJackson3;
import java.util.function.Consumer;

/**
 * Builds the HTTP server of a simulator with the settings they all share: Jackson 3 for JSON, virtual threads,
 * no banner.
 */
public final class SimulatorServers {

    private SimulatorServers() {
    }

    /**
     * @param routes the simulator's own configuration and routes
     * @return a server, not yet started
     */
    public static Javalin create(Consumer<JavalinConfig> routes) {
        return Javalin.create(cfg -> {
            cfg.jsonMapper(new JavalinJackson3(SimulatorJson.mapper(), false));
            cfg.concurrency.useVirtualThreads = true;
            cfg.startup.showJavalinBanner = false;
            cfg.startup.showOldJavalinVersionWarning = false;
            cfg.http.prefer405over404 = true;
            routes.accept(cfg);
        });
    }
}
