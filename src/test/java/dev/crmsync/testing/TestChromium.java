package dev.crmsync.testing;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.PlaywrightException;
import com.microsoft.playwright.impl.driver.Driver;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The Chromium the browser tests drive, on any machine where the README's prerequisites are met: the one named by
 * {@code CRMSYNC_CHROMIUM}, else the first of the usual places a Chromium or Chrome is installed (Debian, Ubuntu and
 * its snap, macOS), else the Chromium that Playwright manages itself, fetched once into its cache when it may
 * download (as it does unless {@code PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD} is set). When there is none of these the
 * tests fail with one line that says what to install.
 *
 * <p>Playwright itself is always created with its automatic download off: left on, it would fetch every browser
 * it knows (Firefox and WebKit too) where only Chromium is wanted.
 */
public final class TestChromium {

    /** Names the Chromium or Chrome executable to drive; it must exist when given. */
    public static final String VARIABLE = "CRMSYNC_CHROMIUM";
    static final String SKIP_DOWNLOAD = "PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD";

    /** Where a Chromium is usually installed, in the order they are tried. */
    static final List<Path> USUAL_PLACES = List.of(
            Path.of("/usr/bin/chromium"),                       // Debian (apt-get install chromium)
            Path.of("/usr/bin/chromium-browser"),               // Ubuntu, Fedora
            Path.of("/snap/bin/chromium"),                      // Ubuntu's snap
            Path.of("/Applications/Chromium.app/Contents/MacOS/Chromium"),
            Path.of("/Applications/Google Chrome.app/Contents/MacOS/Google Chrome"));

    private static final String WHAT_TO_INSTALL = "install Chromium (Debian: apt-get install chromium; Ubuntu: "
            + "apt-get install chromium-browser or snap install chromium; macOS: Chromium or Google Chrome in "
            + "/Applications) or name one in " + VARIABLE;

    /** Which browser to drive. */
    sealed interface Choice {
    }

    /** @param executable a Chromium or Chrome installed on the machine */
    record Installed(Path executable) implements Choice {
    }

    /** @param mayDownload whether Playwright may fetch its Chromium when its cache has none */
    record PlaywrightManaged(boolean mayDownload) implements Choice {
    }

    private TestChromium() {
    }

    /**
     * @param env          the environment
     * @param isExecutable whether a path is an executable file
     * @return the browser to drive
     * @throws IllegalStateException when {@value #VARIABLE} names something that is not an executable file
     */
    static Choice choose(Map<String, String> env, Predicate<Path> isExecutable) {
        String named = env.get(VARIABLE);
        if (named != null && !named.isBlank()) {
            Path executable = Path.of(named.strip());
            if (!isExecutable.test(executable)) {
                throw new IllegalStateException(VARIABLE + " names " + executable + ", which is not an executable file");
            }
            return new Installed(executable);
        }
        for (Path place : USUAL_PLACES) {
            if (isExecutable.test(place)) {
                return new Installed(place);
            }
        }
        // Playwright's own rule: any value but 0 or false skips the download
        String skip = env.get(SKIP_DOWNLOAD);
        return new PlaywrightManaged(skip == null || skip.equals("0") || skip.equals("false"));
    }

    /**
     * @return a Playwright that downloads nothing by itself, its driver given {@code env}
     * @param env extra environment for Playwright's driver, e.g. {@code PLAYWRIGHT_BROWSERS_PATH}
     */
    public static Playwright playwright(Map<String, String> env) {
        Map<String, String> driverEnv = new java.util.HashMap<>(env);
        driverEnv.put(SKIP_DOWNLOAD, "1");
        return Playwright.create(new Playwright.CreateOptions().setEnv(driverEnv));
    }

    /**
     * Launches the Chromium this machine has, headless.
     *
     * @param playwright from {@link #playwright(Map)}
     * @param args       Chromium's command-line switches
     * @return the browser
     * @throws IllegalStateException with one line saying what to install when there is no Chromium at all
     */
    public static Browser launch(Playwright playwright, List<String> args) {
        return launch(choose(System.getenv(), Files::isExecutable), playwright, args);
    }

    /**
     * Launches the Chromium this machine has, headless, as the browser tests run it: without its sandbox when run
     * as root, as CI runs it (Chromium refuses to start its sandbox as root).
     *
     * @param playwright from {@link #playwright(Map)}
     * @return the browser
     * @throws IllegalStateException with one line saying what to install when there is no Chromium at all
     */
    public static Browser launchForTests(Playwright playwright) {
        return launch(playwright, "root".equals(System.getProperty("user.name")) ? List.of("--no-sandbox")
                : List.of());
    }

    /**
     * Collects what a page of the dashboard must never show in its console: script errors, and anything its strict
     * Content-Security-Policy blocked (a defect of the page).
     *
     * @param page   the page
     * @param errors where they go
     */
    public static void collectErrors(Page page, List<String> errors) {
        page.onPageError(errors::add);
        page.onConsoleMessage(message -> {
            if (message.type().equals("error") && message.text().contains("Content Security Policy")) {
                errors.add(message.text());
            }
        });
    }

    static Browser launch(Choice choice, Playwright playwright, List<String> args) {
        BrowserType.LaunchOptions options = new BrowserType.LaunchOptions().setHeadless(true).setArgs(args);
        return switch (choice) {
            // A browser that is there but does not start is its own problem: Playwright's message says which
            case Installed installed -> playwright.chromium().launch(options.setExecutablePath(installed.executable()));
            case PlaywrightManaged managed -> launchManaged(managed, playwright, options);
        };
    }

    private static Browser launchManaged(PlaywrightManaged managed, Playwright playwright,
                                         BrowserType.LaunchOptions options) {
        String fetched = "Playwright's own was not downloaded because " + SKIP_DOWNLOAD + " is set";
        if (managed.mayDownload()) {
            fetched = installPlaywrightChromium();
            if (fetched == null) {
                return playwright.chromium().launch(options);
            }
        }
        try {
            return playwright.chromium().launch(options);
        } catch (PlaywrightException none) {
            throw new IllegalStateException("No Chromium for the browser tests: " + WHAT_TO_INSTALL + "; " + fetched);
        }
    }

    /**
     * Runs {@code playwright install chromium}, which fetches Playwright's Chromium into its cache once and does
     * nothing when it is there already.
     *
     * @return null when it is installed, else why not, in a few words
     */
    private static String installPlaywrightChromium() {
        Path log = Path.of(System.getProperty("crmsync.build.dir", "target"), "playwright-install.log");
        try {
            Files.createDirectories(log.getParent());
            ProcessBuilder install = Driver.ensureDriverInstalled(Map.of(), false).createProcessBuilder();
            install.command().addAll(List.of("install", "chromium"));
            install.redirectErrorStream(true).redirectOutput(log.toFile());
            Process process = install.start();
            if (!process.waitFor(10, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                return "Playwright's own could not be fetched within 10 minutes (see " + log + ")";
            }
            return process.exitValue() == 0 ? null
                    : "Playwright could not fetch its own (see " + log + ")";
        } catch (IOException e) {
            return "Playwright could not fetch its own: " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "the fetch of Playwright's own was interrupted";
        }
    }
}
