package dev.crmsync.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.microsoft.playwright.Playwright;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12: which Chromium the browser tests drive, with the environment and the file system given, so that the
 * order of the search is tested on any machine; and the one line a machine without any Chromium gets.
 */
class TestChromiumTest {

    private static final Path DEBIAN = Path.of("/usr/bin/chromium");
    private static final Path UBUNTU = Path.of("/usr/bin/chromium-browser");
    private static final Path SNAP = Path.of("/snap/bin/chromium");
    private static final Path MAC_CHROMIUM = Path.of("/Applications/Chromium.app/Contents/MacOS/Chromium");
    private static final Path MAC_CHROME = Path.of("/Applications/Google Chrome.app/Contents/MacOS/Google Chrome");

    private static Predicate<Path> existing(Path... paths) {
        return Set.of(paths)::contains;
    }

    @Test
    void shouldPreferTheChromiumTheVariableNamesToEveryUsualPlace() {
        // Given
        Path own = Path.of("/opt/my-chromium/chrome");

        // When
        TestChromium.Choice choice = TestChromium.choose(Map.of(TestChromium.VARIABLE, own.toString()),
                existing(own, DEBIAN, UBUNTU));

        // Then
        assertThat(choice).isEqualTo(new TestChromium.Installed(own));
    }

    @Test
    void shouldRefuseAVariableThatNamesNoExecutableRatherThanDriveAnotherBrowser() {
        // Given
        Map<String, String> env = Map.of(TestChromium.VARIABLE, "/nowhere/chromium");

        // When / Then
        assertThatThrownBy(() -> TestChromium.choose(env, existing(DEBIAN)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("CRMSYNC_CHROMIUM names /nowhere/chromium, which is not an executable file");
    }

    @Test
    void shouldSearchDebianThenUbuntuThenTheSnapThenMacOs() {
        // Given: each place in turn the first one present, with every later one present too
        List<Path> order = List.of(DEBIAN, UBUNTU, SNAP, MAC_CHROMIUM, MAC_CHROME);

        for (int first = 0; first < order.size(); first++) {
            Predicate<Path> present = Set.copyOf(order.subList(first, order.size()))::contains;

            // When
            TestChromium.Choice choice = TestChromium.choose(Map.of(), present);

            // Then
            assertThat(choice).isEqualTo(new TestChromium.Installed(order.get(first)));
        }
    }

    @Test
    void shouldFallBackToPlaywrightsOwnChromiumDownloadingItUnlessTold() {
        // Given
        Predicate<Path> nothing = existing();

        // When
        TestChromium.Choice free = TestChromium.choose(Map.of(), nothing);
        TestChromium.Choice skip = TestChromium.choose(Map.of(TestChromium.SKIP_DOWNLOAD, "1"), nothing);
        TestChromium.Choice skipOff = TestChromium.choose(Map.of(TestChromium.SKIP_DOWNLOAD, "false"), nothing);
        TestChromium.Choice blank = TestChromium.choose(Map.of(TestChromium.VARIABLE, " "), nothing);

        // Then
        assertThat(free).isEqualTo(new TestChromium.PlaywrightManaged(true));
        assertThat(skip).isEqualTo(new TestChromium.PlaywrightManaged(false));
        assertThat(skipOff).isEqualTo(new TestChromium.PlaywrightManaged(true));
        assertThat(blank).isEqualTo(new TestChromium.PlaywrightManaged(true));
    }

    @Test
    void shouldSayInOneLineWhatToInstallWhenThereIsNoChromiumAtAll(@TempDir Path emptyCache) {
        // Given: no installed browser chosen, no download allowed, and Playwright's cache empty
        TestChromium.Choice none = new TestChromium.PlaywrightManaged(false);

        try (Playwright playwright = TestChromium.playwright(Map.of("PLAYWRIGHT_BROWSERS_PATH", emptyCache.toString()))) {
            // When / Then
            assertThatThrownBy(() -> TestChromium.launch(none, playwright, List.of()))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageStartingWith("No Chromium for the browser tests: install Chromium (Debian: apt-get install chromium;")
                    .hasMessageContaining("or name one in CRMSYNC_CHROMIUM")
                    .hasMessageEndingWith("not downloaded because PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD is set")
                    .hasNoCause()
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
        }
    }
}
