package dev.crmsync.app.cli;

import dev.crmsync.app.RunningService;
import dev.crmsync.app.config.CrmsyncConfig;

/**
 * The change hooks of a configuration: none without {@code server.public-url}.
 */
final class HookWirings {

    private HookWirings() {
    }

    static RunningService.HookWiring of(CrmsyncConfig config) {
        return null;
    }
}
