package dev.crmsync.app.cli;

import dev.crmsync.app.config.ConfigLoader;
import dev.crmsync.app.config.CrmsyncConfig;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * The {@code --config FILE} and {@code --connection NAME} options of every command that works on a connection.
 */
public final class ConfigOption {

    @Option(names = {"-c", "--config"}, required = true, paramLabel = "FILE",
            description = "The YAML configuration file (see README: Configuration).")
    Path file;

    @Option(names = "--connection", paramLabel = "NAME",
            description = "The connection to work on, where the file lists several under connections:.")
    String connection;

    /**
     * For the commands that reach a system or serve ({@code run}, {@code sync}, {@code check}).
     *
     * @return the loaded, validated configuration, credentials included
     * @throws dev.crmsync.app.config.ConfigException naming the key and the problem, e.g. the environment variable
     *                                                of a credential that is not set
     */
    CrmsyncConfig load() {
        return new ConfigLoader(System.getenv()).load(file, connection);
    }

    /**
     * For {@code run}, which serves every connection of the file unless {@code --connection} names one.
     *
     * @return the named connection, or every connection of the file in its order, credentials included
     * @throws dev.crmsync.app.config.ConfigException naming the key and the problem
     */
    List<CrmsyncConfig> loadServed() {
        ConfigLoader loader = new ConfigLoader(System.getenv());
        return connection == null ? loader.loadAll(file) : List.of(loader.load(file, connection));
    }

    /**
     * For the commands that only read the store or the file ({@code links}, {@code conflicts},
     * {@code dead-letters}, {@code docs}): they never send a credential, so they must not fail for want of the
     * environment variable that holds one.
     *
     * @return the loaded, validated configuration, without its credentials
     * @throws dev.crmsync.app.config.ConfigException naming the key and the problem
     * @see ConfigLoader#withoutCredentials()
     */
    CrmsyncConfig loadWithoutCredentials() {
        return loadWithoutCredentials(file, connection);
    }

    /**
     * For the commands that read what every connection of the file shares ({@code nodes}).
     *
     * @return every connection of the file in its order, without credentials
     * @throws dev.crmsync.app.config.ConfigException naming the key and the problem
     */
    List<CrmsyncConfig> loadAllWithoutCredentials() {
        return new ConfigLoader(System.getenv()).withoutCredentials().loadAll(file);
    }

    /**
     * {@link #loadWithoutCredentials()} for a command that declares its own {@code --config}, e.g. to pass it on
     * to its subcommands.
     *
     * @param file       the configuration file
     * @param connection the connection to pick, or null for the file's only one
     * @return the loaded, validated configuration, without its credentials
     */
    static CrmsyncConfig loadWithoutCredentials(Path file, String connection) {
        return new ConfigLoader(System.getenv()).withoutCredentials().load(file, connection);
    }
}
