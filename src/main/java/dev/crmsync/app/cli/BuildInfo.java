package dev.crmsync.app.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The version of crmsync and the commit it was built from, as the build wrote them into
 * {@code build-info.properties} beside this class (see the antrun step of the pom). A build from a source archive
 * has no commit to name, and classes compiled outside Maven have no such file at all; both are said, not guessed.
 *
 * @param version the project's version, e.g. {@code 0.9.0}, or null when the build wrote none
 * @param commit  the abbreviated commit, with {@code -dirty} when the sources held uncommitted changes, or null
 */
public record BuildInfo(String version, String commit) {

    static final String RESOURCE = "build-info.properties";
    private static final String UNKNOWN = "unknown";

    /**
     * @return what the build wrote, or a build info with neither version nor commit when it wrote nothing
     */
    public static BuildInfo current() {
        try (InputStream in = BuildInfo.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                return new BuildInfo(null, null);
            }
            Properties properties = new Properties();
            properties.load(in);
            return of(properties);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
    }

    /**
     * @param properties {@code version} and {@code commit}; a blank value or {@code unknown} counts as missing
     * @return the build info they hold
     */
    static BuildInfo of(Properties properties) {
        return new BuildInfo(known(properties.getProperty("version")), known(properties.getProperty("commit")));
    }

    private static String known(String value) {
        return value == null || value.isBlank() || value.strip().equals(UNKNOWN) ? null : value.strip();
    }

    /**
     * @return the line {@code crmsync --version} prints, e.g. {@code crmsync 0.9.0 (commit 1a2b3c4d5e6f)}
     */
    public String versionLine() {
        return "crmsync " + (version == null ? "(built outside Maven)" : version)
                + " (commit " + (commit == null ? UNKNOWN : commit) + ")";
    }
}
