package dev.crmsync.app.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import dev.crmsync.app.api.ManagementApi;
import dev.crmsync.model.Secret;
import dev.crmsync.testing.FakeCluster;
import dev.crmsync.testing.TestChromium;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The overview page of a node of a cluster, in headless Chromium: the nodes with their state and what each holds,
 * and the connections held elsewhere linked to their node.
 */
class NodesDashboardBrowserTest {

    private static final String TOKEN = "nodes-dashboard-token-0123456789";
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    @Test
    void shouldShowEveryNodeWithItsStateAndTheConnectionsItHoldsAndLinkEachConnectionToItsNode() {
        Instant now = Instant.now();
        List<String> pageErrors = new ArrayList<>();
        try (ManagementApi api = ManagementApi.startNode(List.of("acme", "globex"), new FakeCluster(now),
                new ManagementApi.Settings("127.0.0.1", 0, new Secret(TOKEN), InstantSource.system(), () -> ""));
             Playwright playwright = TestChromium.playwright(Map.of())) {
            Browser browser = TestChromium.launchForTests(playwright);
            Page page = browser.newContext().newPage();
            page.setDefaultTimeout(PATIENCE.toMillis());
            TestChromium.collectErrors(page, pageErrors);
            PlaywrightAssertions.setDefaultAssertionTimeout(PATIENCE.toMillis());

            // Given a person signed in at a node
            page.navigate(api.baseUrl() + "/");
            page.getByTestId("signin-token").fill(TOKEN);
            page.getByTestId("signin-submit").click();

            // Then the nodes are listed, alive or silent, with what each holds
            PlaywrightAssertions.assertThat(page.getByTestId("nodes-section")).isVisible();
            PlaywrightAssertions.assertThat(page.getByTestId("node-row")).hasCount(3);
            PlaywrightAssertions.assertThat(page.getByTestId("nodes-summary"))
                    .hasText("3 nodes, 2 alive; this page is served by n1.");
            Locator n2 = page.locator("[data-testid=node-row][data-node=n2]");
            PlaywrightAssertions.assertThat(n2.getByTestId("node-alive")).hasText("Alive");
            PlaywrightAssertions.assertThat(n2.getByTestId("node-connections")).hasText("acme");
            PlaywrightAssertions.assertThat(n2.getByTestId("node-count")).hasText("1");
            PlaywrightAssertions.assertThat(page.locator("[data-testid=node-row][data-node=n3]")
                    .getByTestId("node-alive")).hasText("Silent");

            // And each connection says where it is synced, linking to its dashboard on that node
            Locator acme = page.locator("[data-testid=connection-row][data-connection=acme]");
            PlaywrightAssertions.assertThat(acme.getByTestId("connection-status")).hasText("Synced by node n2");
            PlaywrightAssertions.assertThat(acme.getByTestId("connection-link"))
                    .hasAttribute("href", "http://10.0.0.2:8080/connections/acme/");
            PlaywrightAssertions.assertThat(page.locator("[data-testid=connection-row][data-connection=globex]")
                    .getByTestId("connection-status")).hasText("No node holds it yet");
            PlaywrightAssertions.assertThat(page.getByTestId("connections-summary"))
                    .hasText("2 connections, none synced by this node.");
        }
        assertThat(pageErrors).as("script errors on the page").isEmpty();
    }
}
