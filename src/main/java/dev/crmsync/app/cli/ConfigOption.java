package dev.crmsync.app.cli;

import dev.crmsync.app.config.ConfigLoader;
import dev.crmsync.app.config.CrmsyncConfig;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * The {@code --config FILE} option of every command that works on a connection.
 */
public final class ConfigOption {

    @Option(names = {"-c", "--config"}, required = true, paramLabel = "FILE",
            description = "The YAML configuration file (see README: Configuration).")
    Path file;

    /**
     * @return the loaded, validated configuration
     * @throws dev.crmsync.app.config.ConfigException naming the key and the problem
     */
    CrmsyncConfig load() {
        return new ConfigLoader(System.getenv()).load(file);
    }
}
