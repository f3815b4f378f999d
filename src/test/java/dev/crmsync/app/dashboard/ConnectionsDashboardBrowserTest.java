package dev.crmsync.app.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import dev.crmsync.app.simulate.customcrm.RecordType;
import dev.crmsync.app.simulate.webcrm.WebcrmEntity;
import dev.crmsync.testing.ConnectionsHarness;
import dev.crmsync.testing.TestChromium;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The dashboard of a service that runs several connections, in headless Chromium: the overview of the connections
 * at {@code /}, and each connection's own dashboard under {@code /connections/NAME/}, talking to that connection's
 * API only. A service of its own per test, since one test takes a system down.
 */
class ConnectionsDashboardBrowserTest {

    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final Path SCREENSHOTS = Path.of(System.getProperty("crmsync.build.dir", "target"), "screenshots");

    private Playwright playwright;
    private BrowserContext context;
    private Page page;
    private final List<String> pageErrors = new ArrayList<>();

    @BeforeEach
    void openBrowser() {
        playwright = TestChromium.playwright(Map.of());
        Browser browser = TestChromium.launchForTests(playwright);
        context = browser.newContext(new Browser.NewContextOptions().setViewportSize(1280, 900));
        context.setDefaultTimeout(PATIENCE.toMillis());
        page = context.newPage();
        TestChromium.collectErrors(page, pageErrors);
        PlaywrightAssertions.setDefaultAssertionTimeout(PATIENCE.toMillis());
    }

    @AfterEach
    void closeBrowser() {
        playwright.close();
        assertThat(pageErrors).as("script errors on the page").isEmpty();
    }

    @Test
    void shouldListTheConnectionsAndSayWhichOneIsNotReady() {
        try (ConnectionsHarness harness = ConnectionsHarness.start("acme", "globex")) {
            // Given a person signed in at the root of a service of two connections
            signIn(harness);

            // Then the overview lists both, ready, each with a link to its own dashboard
            Locator rows = page.getByTestId("connection-row");
            PlaywrightAssertions.assertThat(rows).hasCount(2);
            PlaywrightAssertions.assertThat(row("acme").getByTestId("connection-status")).hasText("Ready");
            PlaywrightAssertions.assertThat(row("globex").getByTestId("connection-status")).hasText("Ready");
            PlaywrightAssertions.assertThat(row("acme").getByTestId("connection-link"))
                    .hasAttribute("href", "/connections/acme/");
            PlaywrightAssertions.assertThat(page.getByTestId("connections-summary")).hasText(
                    "2 connections: all ready.");
            PlaywrightAssertions.assertThat(page.locator("#app")).isHidden();
            screenshot("connections");

            // When globex's Customcrm goes down
            harness.customcrm("globex").stop();

            // Then the overview says so by itself, and names the system, while acme stays ready
            PlaywrightAssertions.assertThat(row("globex").getByTestId("connection-status")).hasText("Not ready");
            PlaywrightAssertions.assertThat(row("globex").getByTestId("connection-systems"))
                    .hasText("Customcrm does not answer");
            PlaywrightAssertions.assertThat(row("acme").getByTestId("connection-status")).hasText("Ready");
            PlaywrightAssertions.assertThat(page.getByTestId("connections-summary")).hasText(
                    "2 connections: 1 not ready.");
            screenshot("connections-one-down");
        }
    }

    @Test
    void shouldOpenAConnectionsDashboardThatShowsAndActsOnThatConnectionOnly() {
        try (ConnectionsHarness harness = ConnectionsHarness.start("acme", "globex")) {
            // Given a person on the overview
            signIn(harness);

            // When they open globex's dashboard
            row("globex").getByTestId("connection-link").click();

            // Then it is globex's, with its flows, live, and a way back to all connections
            PlaywrightAssertions.assertThat(page.getByTestId("connection-name")).hasText("globex");
            assertThat(page.url()).startsWith(harness.baseUrl() + "/connections/globex/");
            PlaywrightAssertions.assertThat(page.getByTestId("flow-card-organisations")).isVisible();
            PlaywrightAssertions.assertThat(page.getByTestId("live-indicator")).hasText("Live");
            PlaywrightAssertions.assertThat(page.getByTestId("all-connections")).isVisible();

            // When they pause its persons
            page.getByTestId("flow-pause-persons").click();

            // Then globex's persons are paused, and acme's are not
            Awaitility.await().atMost(PATIENCE).until(() -> pausedFlows(harness, 1).contains("persons"));
            assertThat(pausedFlows(harness, 0)).isEmpty();

            // When a webCRM user of globex renames an organisation, with the timeline open
            page.getByTestId("nav-timeline").click();
            JsonNode link = Awaitility.await().atMost(PATIENCE).until(() -> activeOrganisationLink(harness,
                    "globex"), l -> l != null);
            harness.webcrm("globex").editAsUser(WebcrmEntity.ORGANISATION,
                    Integer.parseInt(link.path("webcrmId").asString()), Map.of("OrganisationName", "Globex Live"));

            // Then the change reaches globex's Customcrm, and shows on globex's timeline by itself
            Awaitility.await().atMost(PATIENCE).until(() -> harness.customcrm("globex").record(RecordType.CUSTOMER,
                    link.path("customcrmId").asString()).orElseThrow().path("name").asString().equals("Globex Live"));
            PlaywrightAssertions.assertThat(page.getByTestId("timeline")).containsText("Globex Live");
            screenshot("connection-globex");

            // When they go back to all connections
            page.getByTestId("all-connections").click();

            // Then the overview shows globex's paused flow
            PlaywrightAssertions.assertThat(row("globex").getByTestId("connection-paused")).containsText("Persons");
        }
    }

    private void signIn(ConnectionsHarness harness) {
        page.navigate(harness.baseUrl() + "/");
        page.getByTestId("signin-token").fill(ConnectionsHarness.TOKEN);
        page.getByTestId("signin-submit").click();
        PlaywrightAssertions.assertThat(page.getByTestId("connections-page")).isVisible();
    }

    private Locator row(String connection) {
        return page.locator("[data-testid=connection-row][data-connection=" + connection + "]");
    }

    private static List<String> pausedFlows(ConnectionsHarness harness, int index) {
        List<String> out = new ArrayList<>();
        harness.api("GET", "/api/connections", null).json().path("connections").get(index).path("pausedFlows")
                .forEach(flow -> out.add(flow.asString()));
        return out;
    }

    private static JsonNode activeOrganisationLink(ConnectionsHarness harness, String connection) {
        for (JsonNode link : harness.api("GET", "/connections/" + connection + "/api/links?flow=organisations", null)
                .json().path("items")) {
            if (link.path("state").asString().equals("active") && !link.path("customcrmId").isNull()) {
                return link;
            }
        }
        return null;
    }

    private void screenshot(String name) {
        page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve(name + ".png")).setFullPage(true));
    }
}
