package dev.crmsync.release;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crmsync.app.config.ConfigLoader;
import dev.crmsync.app.config.CrmsyncConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 12: the release archive {@code mvn package} built (the failsafe phase runs after it) holds what runs
 * crmsync without Maven, and the {@code Containerfile}, which no machine of this project can build, asks only for
 * what the archive holds and says what docs/container.md says about the image's user, port, volume and probe.
 */
class ReleaseArchiveIT {

    private static final String VERSION = System.getProperty("crmsync.version");
    private static final Path ARCHIVE = Path.of(System.getProperty("crmsync.release.archive"));
    private static final Path BUILD_DIR = Path.of(System.getProperty("crmsync.build.dir"));
    private static final String BASE = "crmsync-" + VERSION + "/";
    /** Where the Containerfile puts the unpacked archive, and the folder the archive unpacks to there. */
    private static final Pattern INSTALLED_PATH = Pattern.compile("/opt/crmsync(-\\$\\{VERSION})?(/[\\w./-]*)?");
    private static final Map<String, String> CONTAINER_ENV = Map.of(
            "WEBCRM_TOKEN", "webcrm-token", "CUSTOMCRM_URL", "http://customcrm.invalid",
            "CUSTOMCRM_API_KEY", "customcrm-key", "CRMSYNC_TOKEN", "a-token-of-24-characters");

    private static TarGzArchive archive;
    private static ContainerRecipe recipe;

    @BeforeAll
    static void readArchiveAndRecipe() throws IOException {
        archive = TarGzArchive.read(ARCHIVE);
        recipe = ContainerRecipe.parse(Files.readString(Path.of("Containerfile")));
    }

    @Test
    void shouldHoldTheLauncherTheApplicationAndEveryRuntimeDependencyInOneFolder() throws IOException {
        // Given: the jars the build put beside target/crmsync.jar for the source launcher
        List<String> dependencies;
        try (Stream<Path> jars = Files.list(BUILD_DIR.resolve("lib"))) {
            dependencies = jars.map(jar -> BASE + "lib/" + jar.getFileName()).toList();
        }

        // Then
        assertThat(archive.entries().keySet()).allSatisfy(name -> assertThat(name).startsWith(BASE));
        assertThat(archive.isExecutable(BASE + "bin/crmsync")).as("bin/crmsync is executable").isTrue();
        assertThat(dependencies).isNotEmpty().allSatisfy(jar -> assertThat(archive.contains(jar)).as(jar).isTrue());
        assertThat(Stream.of("lib/crmsync.jar", "docs/operations.md", "docs/container.md",
                "docs/crmsync.example.yaml", "docs/crmsync.postgres.example.yaml",
                "docs/crmsync.connections.example.yaml", "systemd/crmsync.service",
                "systemd/crmsync.env.example",
                "container/crmsync.yaml", "contracts/customcrm-openapi.yaml", "README.md", "CHANGELOG.md"))
                .allSatisfy(file -> assertThat(archive.contains(BASE + file)).as(file).isTrue());
        assertThat(archive.entries().keySet()).noneMatch(name -> name.contains("/src/") || name.endsWith(".java"));
    }

    @Test
    void shouldBuildTheImageOfThisVersionFromTheArchiveOnAJava21Runtime() {
        // When
        String base = recipe.last("FROM").orElseThrow();
        List<String> sources = new ArrayList<>();
        for (String keyword : List.of("ADD", "COPY")) {
            for (String arguments : recipe.all(keyword)) {
                String[] words = arguments.split("\\s+");
                sources.addAll(List.of(words).subList(0, words.length - 1));
            }
        }

        // Then
        assertThat(base).matches("eclipse-temurin:21(\\.[\\d.]+)?-jre.*");
        assertThat(recipe.all("ARG")).contains("VERSION=" + VERSION);
        assertThat(sources).map(ReleaseArchiveIT::withVersion).containsExactly(ARCHIVE.getFileName().toString());
    }

    @Test
    void shouldRunOnlyPathsTheArchiveHolds() {
        // Given
        Set<String> paths = new LinkedHashSet<>();
        for (String keyword : List.of("RUN", "ENTRYPOINT", "CMD", "HEALTHCHECK")) {
            for (String arguments : recipe.all(keyword)) {
                Matcher path = INSTALLED_PATH.matcher(arguments);
                while (path.find()) {
                    paths.add(path.group());
                }
            }
        }
        String entrypoint = recipe.last("ENTRYPOINT").orElseThrow().replaceAll("[\\[\\]\"]", "");

        // Then
        assertThat(paths).contains("/opt/crmsync-${VERSION}", "/opt/crmsync/bin/crmsync",
                "/opt/crmsync/container/crmsync.yaml");
        assertThat(paths).allSatisfy(path -> assertThat(archive.contains(inArchive(path))).as(path).isTrue());
        assertThat(archive.isExecutable(inArchive(entrypoint))).as(entrypoint).isTrue();
    }

    @Test
    void shouldRunAsTheUserOnThePortWithTheVolumeAndProbeTheDocumentationNames() throws IOException {
        // Given
        Map<String, String> documented = ContainerDocs.facts();
        Matcher user = Pattern.compile("`(\\w+)` \\(uid (\\d+)\\)").matcher(documented.get("user"));
        assertThat(user.matches()).as("docs/container.md: user").isTrue();
        String port = code(documented.get("port"));
        String volume = code(documented.get("volume"));
        String probe = code(documented.get("health probe"));
        CrmsyncConfig config = new ConfigLoader(CONTAINER_ENV).load(Path.of("src/dist/container/crmsync.yaml"));
        String configPath = recipe.last("CMD").orElseThrow().replaceAll(".*\"--config\", \"([^\"]+)\".*", "$1");

        // Then
        assertThat(recipe.last("USER")).hasValue(user.group(1));
        assertThat(recipe.all("RUN")).anyMatch(run -> run.contains("useradd --system --uid " + user.group(2) + " ")
                && run.contains(" " + user.group(1) + ";"));
        assertThat(recipe.last("EXPOSE")).hasValue(port);
        assertThat(recipe.last("VOLUME")).hasValue(volume);
        assertThat(recipe.last("HEALTHCHECK")).hasValueSatisfying(check ->
                assertThat(check).contains("http://127.0.0.1:" + port + probe));
        assertThat(config.service().host()).isEqualTo("0.0.0.0");
        assertThat(config.service().port()).isEqualTo(Integer.parseInt(port));
        assertThat(config.storeUrl()).isEqualTo("jdbc:sqlite:" + volume + "/crmsync.db");
        assertThat(recipe.all("RUN")).anyMatch(run -> run.contains("/opt/crmsync/container/crmsync.yaml " + configPath));
    }

    /** {@code /opt/crmsync-${VERSION}} is the archive's folder; {@code /opt/crmsync/x} is x within it. */
    private static String inArchive(String installedPath) {
        Matcher path = INSTALLED_PATH.matcher(installedPath);
        assertThat(path.matches()).as(installedPath).isTrue();
        String within = path.group(2) == null ? "" : path.group(2).substring(1);
        return BASE + within;
    }

    private static String withVersion(String text) {
        return text.replace("${VERSION}", VERSION);
    }

    private static String code(String cell) {
        return cell.replaceAll("^`([^`]+)`.*", "$1");
    }
}
