package dev.crmsync.app.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Download;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.assertions.LocatorAssertions;
import com.microsoft.playwright.options.AriaRole;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import dev.crmsync.adapters.store.SqlStore;
import dev.crmsync.adapters.store.SqliteStore;
import dev.crmsync.app.simulate.FaultSettings;
import dev.crmsync.app.simulate.customcrm.RecordType;
import dev.crmsync.app.simulate.webcrm.WebcrmEntity;
import dev.crmsync.model.Flow;
import dev.crmsync.model.Link;
import dev.crmsync.model.Side;
import dev.crmsync.testing.ServiceHarness;
import dev.crmsync.testing.TestChromium;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import tools.jackson.databind.JsonNode;

/**
 * The dashboard in headless Chromium (the one {@link TestChromium} finds, driven by Playwright) against a running
 * service with both simulators: what a person sees and does there, and what that does in the two systems. Records
 * are changed through the simulators' HTTP APIs, as another tool or person would change them; what the systems
 * then hold is read from the simulators directly, which spends none of webCRM's request quota that crmsync shares.
 *
 * <p>One service for the class, with the {@code manual} conflict policy and one attempt per write (so a refused
 * write is a dead letter at once); each test has a browser context of its own, so signing in is part of each.
 * Screenshots of the main pages are kept in {@code <build dir>/screenshots/}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardBrowserTest {

    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final Duration POLL = Duration.ofMillis(500);
    /** How long a long first sync (150 creates against a slowed webCRM) may take on a busy machine. */
    private static final Duration LONG_SYNC = Duration.ofMinutes(3);
    private static final List<String> FLOWS = List.of("organisations", "persons", "products");
    private static final Path SCREENSHOTS = Path.of(System.getProperty("crmsync.build.dir", "target"), "screenshots");

    private static ServiceHarness harness;
    private static SimulatorHttp simulators;
    private static Playwright playwright;
    private static Browser browser;

    private BrowserContext context;
    private Page page;
    private final List<String> pageErrors = new ArrayList<>();

    @BeforeAll
    static void startServiceAndBrowser() {
        // The browser first: on a machine without one, the class fails at once with what to install
        playwright = TestChromium.playwright(Map.of());
        browser = TestChromium.launchForTests(playwright);
        harness = ServiceHarness.start(
                "sync: { interval: 1s, reconcile-interval: 5s, conflict-policy: manual, max-attempts: 1 }\n",
                "retry-attempts: 2, retry-backoff: 50ms, retry-max-backoff: 100ms, circuit-open: 2s");
        simulators = new SimulatorHttp(harness.webcrm().baseUrl(), ServiceHarness.WEBCRM_TOKEN,
                harness.customcrm().baseUrl(), ServiceHarness.CUSTOMCRM_KEY);
        PlaywrightAssertions.setDefaultAssertionTimeout(PATIENCE.toMillis());
        harness.awaitFirstCycles(PATIENCE);
    }

    @AfterAll
    static void stopServiceAndBrowser() {
        try {
            if (playwright != null) {
                playwright.close();
            }
        } finally {
            if (harness != null) {
                harness.close();
            }
        }
    }

    @BeforeEach
    void openPage() {
        context = browser.newContext(new Browser.NewContextOptions().setViewportSize(1280, 900));
        context.setDefaultTimeout(PATIENCE.toMillis());
        page = context.newPage();
        TestChromium.collectErrors(page, pageErrors);
    }

    @AfterEach
    void closePage() {
        context.close();
        assertThat(pageErrors).as("script errors on the page").isEmpty();
    }

    // ---------------------------------------------------------------- sign-in

    @Test
    @Order(1)
    void shouldShowAnErrorAndNoDataForAWrongToken() {
        // Given
        String organisation = linkedPair("organisations").path("title").asString();
        page.navigate(harness.baseUrl() + "/");
        PlaywrightAssertions.assertThat(page.getByTestId("signin-form")).isVisible();

        // When
        page.getByTestId("signin-token").fill("not-the-service-token");
        page.getByTestId("signin-submit").click();

        // Then
        PlaywrightAssertions.assertThat(page.getByTestId("signin-error")).containsText("not accepted");
        PlaywrightAssertions.assertThat(page.getByTestId("signin-form")).isVisible();
        PlaywrightAssertions.assertThat(page.locator("#app")).isHidden();
        assertThat(page.getByTestId("flow-card-organisations").count()).isZero();
        assertThat(page.content()).doesNotContain(organisation);
        assertThat(page.request().get(harness.baseUrl() + "/api/status").status()).isEqualTo(401);
        screenshot("sign-in-refused");
    }

    // ---------------------------------------------------------------- overview and timeline

    @Test
    @Order(2)
    void shouldShowHealthyFlowsAndThenAnEditMadeInWebcrmOnTheTimeline() {
        // Given a signed-in person sees every flow healthy and both systems reachable
        signIn();
        for (String flow : FLOWS) {
            PlaywrightAssertions.assertThat(page.getByTestId("flow-card-" + flow)).hasAttribute("data-health", "ok");
            PlaywrightAssertions.assertThat(page.getByTestId("flow-health-" + flow)).not().hasText("Failing");
        }
        PlaywrightAssertions.assertThat(page.getByTestId("system-reachable-webcrm")).hasText("Reachable");
        PlaywrightAssertions.assertThat(page.getByTestId("system-reachable-customcrm")).hasText("Reachable");
        PlaywrightAssertions.assertThat(page.getByTestId("budget-webcrm")).containsText("requests used");
        PlaywrightAssertions.assertThat(page.getByTestId("chart-written-svg")).isVisible();
        PlaywrightAssertions.assertThat(page.getByTestId("chart-lag-svg")).isVisible();
        PlaywrightAssertions.assertThat(page.getByTestId("live-indicator")).hasText("Live");
        screenshot("overview");

        // When, with the timeline open, a webCRM user changes a linked person's title
        JsonNode link = linkedPair("persons");
        int personId = Integer.parseInt(link.path("webcrmId").asString());
        String title = "Head of Timelines " + System.nanoTime() % 100_000;
        page.getByTestId("nav-timeline").click();
        PlaywrightAssertions.assertThat(page.getByTestId("page-timeline")).isVisible();
        simulators.webcrmUpdate("Persons", personId, person -> person.put("PersonTitle", title));

        // Then the change appears on the timeline by itself, from webCRM, with the value before and after
        Locator row = page.getByTestId("timeline-row").filter(new Locator.FilterOptions().setHasText(title));
        PlaywrightAssertions.assertThat(row).hasCount(1);
        PlaywrightAssertions.assertThat(row.getByTestId("origin")).hasText("webCRM");
        PlaywrightAssertions.assertThat(row.locator("li[data-field='job_title'] .after")).hasText(title);
        PlaywrightAssertions.assertThat(row.getByTestId("timeline-record")).hasText(link.path("title").asString());
        screenshot("timeline");

        // When the record is opened from the timeline, its history has the change too
        row.getByTestId("timeline-record").click();
        Locator detail = page.getByTestId("record-detail-card");
        PlaywrightAssertions.assertThat(detail).hasAttribute("data-link-id", link.path("id").asString());
        PlaywrightAssertions.assertThat(detail.getByTestId("history-row")
                .filter(new Locator.FilterOptions().setHasText(title))).hasCount(1);
        PlaywrightAssertions.assertThat(detail.getByTestId("record-side-webcrm")
                .locator("tr[data-property='PersonTitle']")).containsText(title);
        screenshot("record");
    }

    // ---------------------------------------------------------------- conflicts

    @Test
    @Order(3)
    void shouldResolveAConflictFromThePageAndWriteTheKeptValueToBothSystems() {
        // Given the organisations flow paused from the page
        signIn();
        JsonNode link = linkedPair("organisations");
        int organisationId = Integer.parseInt(link.path("webcrmId").asString());
        String customerId = link.path("customcrmId").asString();
        page.getByTestId("flow-pause-organisations").click();
        PlaywrightAssertions.assertThat(page.getByTestId("flow-card-organisations"))
                .hasAttribute("data-state", "paused");
        PlaywrightAssertions.assertThat(page.getByTestId("flow-health-organisations")).hasText("Paused");

        // When both systems change the same phone number differently, and the flow is resumed
        String webcrmPhone = "+45 70 10 10 " + (10 + System.nanoTime() % 80);
        String customcrmPhone = "+45 80 20 20 " + (10 + System.nanoTime() % 80);
        simulators.webcrmUpdate("Organisations", organisationId, o -> o.put("OrganisationTelephone", webcrmPhone));
        simulators.customcrmPatch("customers", customerId, SimulatorHttp.object().put("phone", customcrmPhone));
        page.getByTestId("flow-resume-organisations").click();
        PlaywrightAssertions.assertThat(page.getByTestId("flow-conflicts-organisations")).hasText("1 conflict");

        // Then the conflict waits on the conflicts page, both values side by side
        page.getByTestId("nav-conflicts").click();
        Locator conflict = page.getByTestId("conflict")
                .filter(new Locator.FilterOptions().setHasText(link.path("title").asString()));
        PlaywrightAssertions.assertThat(conflict).hasCount(1);
        Locator phone = conflict.locator("tr[data-field='phone']");
        PlaywrightAssertions.assertThat(phone.getByTestId("conflict-value-webcrm")).hasText(webcrmPhone);
        PlaywrightAssertions.assertThat(phone.getByTestId("conflict-value-customcrm")).hasText(customcrmPhone);
        screenshot("conflicts");

        // When the person keeps Customcrm's value
        conflict.getByTestId("conflict-keep-customcrm").click();

        // Then the conflict leaves the queue and both systems hold Customcrm's value
        PlaywrightAssertions.assertThat(conflict).hasCount(0);
        await().atMost(PATIENCE).pollInterval(POLL).untilAsserted(() -> {
            assertThat(harness.webcrm().record(WebcrmEntity.ORGANISATION, organisationId).orElseThrow()
                    .path("OrganisationTelephone").asString()).isEqualTo(customcrmPhone);
            assertThat(harness.customcrm().record(RecordType.CUSTOMER, customerId).orElseThrow()
                    .path("phone").asString()).isEqualTo(customcrmPhone);
        });
        PlaywrightAssertions.assertThat(page.getByTestId("badge-conflicts")).isHidden();
    }

    // ---------------------------------------------------------------- dead letters

    @Test
    @Order(4)
    void shouldReplayADeadLetterFromThePageOnceItsCauseIsFixed() {
        // Given Customcrm refuses every write for now (its own rules, a 422), so a new webCRM organisation becomes a
        // dead letter with its reason
        signIn();
        page.getByTestId("nav-dead-letters").click();
        PlaywrightAssertions.assertThat(page.getByTestId("page-dead-letters")).isVisible();
        String name = "Replay Kettles " + System.nanoTime() % 100_000 + " A/S";
        Locator row;
        harness.customcrm().faults().failWrites(422);
        try {
            int id = simulators.webcrmCreate("Organisations", SimulatorHttp.object().put("OrganisationName", name));
            row = page.locator("[data-testid='dead-letter'][data-flow='organisations'][data-side='webcrm']"
                    + "[data-record-id='" + id + "']");
            PlaywrightAssertions.assertThat(row).hasCount(1, new LocatorAssertions.HasCountOptions()
                    .setTimeout(PATIENCE.toMillis()));
            PlaywrightAssertions.assertThat(row.getByTestId("dead-letter-reason")).containsText("Customcrm");
            PlaywrightAssertions.assertThat(row.getByTestId("dead-letter-reason")).containsText("422");
            screenshot("dead-letters");
        } finally {
            // When the cause is fixed: Customcrm takes writes again
            harness.customcrm().faults().reset();
        }
        Instant fixed = Instant.now();
        await().atMost(PATIENCE).pollInterval(POLL).until(() -> lastCycleFinished("organisations").isAfter(fixed));

        // Then the dead letter still waits for a person, a whole cycle later
        PlaywrightAssertions.assertThat(row).hasCount(1);

        // When the person replays it
        row.getByTestId("dead-letter-replay").click();

        // Then it leaves the page, and the organisation is made in Customcrm
        PlaywrightAssertions.assertThat(row).hasCount(0);
        await().atMost(PATIENCE).pollInterval(POLL).untilAsserted(() -> {
            JsonNode items = harness.api("GET", "/api/links?flow=organisations&q="
                    + URLEncoder.encode(name, StandardCharsets.UTF_8), null).json().path("items");
            assertThat(items).hasSize(1);
            String customerId = items.get(0).path("customcrmId").asString(null);
            assertThat(customerId).isNotNull();
            assertThat(harness.customcrm().record(RecordType.CUSTOMER, customerId).orElseThrow()
                    .path("name").asString()).isEqualTo(name);
        });
    }

    // ---------------------------------------------------------------- configuration and dry run

    @Test
    @Order(5)
    void shouldShowThePropertyTablesOfTheRunningConfiguration() {
        // Given
        signIn();

        // When
        page.getByTestId("nav-configuration").click();

        // Then every flow's property tables are there, e.g. webCRM's OrganisationName to Customcrm's name
        Locator dataflow = page.getByTestId("dataflow");
        PlaywrightAssertions.assertThat(dataflow.locator("table").first()).isVisible();
        assertThat(dataflow.locator("table").count()).isGreaterThanOrEqualTo(FLOWS.size());
        PlaywrightAssertions.assertThat(dataflow.locator("tr")
                .filter(new Locator.FilterOptions().setHasText("OrganisationName")).first()).containsText("name");
        PlaywrightAssertions.assertThat(dataflow.locator("tr")
                .filter(new Locator.FilterOptions().setHasText("PersonTitle")).first()).containsText("job_title");
        screenshot("configuration");
    }

    @Test
    @Order(6)
    void shouldShowWhatADryRunWouldWriteWithoutWritingIt() {
        // Given
        signIn();
        long writesBefore = writes();

        // When
        page.getByTestId("dry-run").click();

        // Then
        PlaywrightAssertions.assertThat(page.getByTestId("plan-dialog")).isVisible();
        for (String flow : FLOWS) {
            PlaywrightAssertions.assertThat(page.getByTestId("plan-flow-" + flow)).isVisible();
        }
        screenshot("dry-run");
        page.getByTestId("plan-close").click();
        PlaywrightAssertions.assertThat(page.getByTestId("plan-dialog")).isHidden();
        assertThat(writes()).isEqualTo(writesBefore);
    }

    // ---------------------------------------------------------------- progress

    @Test
    @Order(7)
    void shouldShowProgressDuringALongSyncAndTheNewLinksOnceItIsDone() {
        // Given 150 new Customcrm customers waiting behind a paused flow, and a webCRM that answers slowly
        signIn();
        int linksBefore = flowStatus("organisations").path("links").asInt();
        page.getByTestId("flow-pause-organisations").click();
        PlaywrightAssertions.assertThat(page.getByTestId("flow-card-organisations"))
                .hasAttribute("data-state", "paused");
        for (int i = 1; i <= 150; i++) {
            harness.customcrm().createAsUser(RecordType.CUSTOMER, Map.of("name", "Progress Kettles " + i + " A/S"));
        }
        harness.webcrm().faults().settings(new FaultSettings(Duration.ofMillis(200), 0, 0, 0));
        try {
            // When the flow is resumed
            page.getByTestId("flow-resume-organisations").click();

            // Then its card shows how far the sync is, of the changes it knows: the 150 creates (and whatever
            // else the cycle found, e.g. records an earlier test left changed)
            Pattern atLeast150 = Pattern.compile("1[5-9]\\d|[2-9]\\d\\d");
            Locator progress = page.getByTestId("flow-progress-organisations");
            PlaywrightAssertions.assertThat(progress)
                    .containsText(Pattern.compile("\\d+ of (" + atLeast150.pattern() + ") changes"));
            PlaywrightAssertions.assertThat(progress.getByRole(AriaRole.PROGRESSBAR))
                    .hasAttribute("aria-valuemax", Pattern.compile("^(" + atLeast150.pattern() + ")$"));
            PlaywrightAssertions.assertThat(page.getByTestId("flow-health-organisations")).hasText("Syncing now");
            screenshot("sync-progress");

            // And once it is done, the bar goes and the flow counts the new links
            PlaywrightAssertions.assertThat(progress).hasCount(0, new LocatorAssertions.HasCountOptions()
                    .setTimeout(LONG_SYNC.toMillis()));
        } finally {
            harness.webcrm().faults().reset();
        }
        PlaywrightAssertions.assertThat(page.getByTestId("flow-links-organisations"))
                .hasText(Integer.toString(linksBefore + 150));
    }

    // ---------------------------------------------------------------- waiting records

    @Test
    @Order(8)
    void shouldShowAContactWaitingForItsRefusedCustomerAndLeadToThatDeadLetter() {
        // Regression (issue 11): a record waiting for a parent that became a dead letter appeared nowhere.
        // Given webCRM refuses every write for now, so a new Customcrm customer becomes a dead letter, and a new
        // contact of that customer waits for it
        signIn();
        String suffix = Long.toString(System.nanoTime() % 100_000);
        String customerId;
        String contactId;
        Locator waiting;
        harness.webcrm().faults().failWrites(422);
        try {
            customerId = harness.customcrm().createAsUser(RecordType.CUSTOMER,
                    Map.of("name", "Refused Parent " + suffix + " ApS")).path("id").asString();
            contactId = harness.customcrm().createAsUser(RecordType.CONTACT, Map.of("first_name", "Vita",
                    "last_name", "Venter " + suffix, "email", "vita.venter." + suffix + "@example.com",
                    "customer_id", customerId)).path("id").asString();

            // Then the overview counts it, and its link leads to the waiting records
            PlaywrightAssertions.assertThat(page.getByTestId("flow-waiting-persons")).containsText("record");
            page.getByTestId("flow-waiting-persons").click();
            PlaywrightAssertions.assertThat(page.getByTestId("page-dead-letters")).isVisible();
            PlaywrightAssertions.assertThat(page.locator("#h-waiting")).isFocused();

            // And the contact is listed with its name and the dead letter that holds it back
            waiting = page.locator("[data-testid='waiting-record'][data-flow='persons'][data-side='customcrm']"
                    + "[data-record-id='" + contactId + "']");
            PlaywrightAssertions.assertThat(waiting).hasAttribute("data-blocked-by-dead-letter", "true");
            PlaywrightAssertions.assertThat(waiting).containsText("Vita Venter " + suffix);
            PlaywrightAssertions.assertThat(waiting.getByTestId("waiting-reason"))
                    .containsText("waits for Customer " + customerId + ", which is a dead letter: ");
            PlaywrightAssertions.assertThat(waiting.getByTestId("waiting-reason")).containsText("422");
            PlaywrightAssertions.assertThat(waiting.getByTestId("waiting-parent"))
                    .hasAttribute("data-status", "dead");
            screenshot("waiting-records");
        } finally {
            // When the cause is fixed: webCRM takes writes again
            harness.webcrm().faults().reset();
        }

        // When the person follows the contact's link to its parent
        waiting.getByTestId("waiting-parent-link").click();

        // Then the customer's dead letter is marked and has the focus
        Locator dead = page.locator("[data-testid='dead-letter'][data-flow='organisations']"
                + "[data-side='customcrm'][data-record-id='" + customerId + "']");
        PlaywrightAssertions.assertThat(page).hasURL(Pattern.compile(
                "#/dead-letters/organisations/customcrm/" + customerId + "$"));
        PlaywrightAssertions.assertThat(dead).hasAttribute("data-targeted", "true");
        PlaywrightAssertions.assertThat(dead).isFocused();

        // When it is tried again
        dead.getByTestId("dead-letter-replay").click();

        // Then the customer goes through, the contact after it by itself, and both leave the page
        PlaywrightAssertions.assertThat(dead).hasCount(0);
        PlaywrightAssertions.assertThat(waiting).hasCount(0);
        await().atMost(PATIENCE).pollInterval(POLL).untilAsserted(() -> assertThat(harness.api("GET",
                "/api/links?flow=persons&q=" + contactId, null).json().path("items").path(0)
                .path("webcrmId").asString(null)).isNotNull());
    }

    // ---------------------------------------------------------------- operator's basics

    @Test
    @Order(10)
    void shouldResyncARecordAndAFlowAndDownloadABackupFromThePage() {
        // Given two linked organisations renamed in webCRM behind its change feed's back
        signIn();
        List<JsonNode> pairs = new ArrayList<>();
        for (JsonNode link : harness.api("GET", "/api/links?flow=organisations&limit=500", null).json().path("items")) {
            if (link.path("state").asString().equals("active") && !link.path("customcrmId").isNull()
                    && !link.path("webcrmId").isNull() && pairs.size() < 2) {
                pairs.add(link);
            }
        }
        assertThat(pairs).hasSize(2);
        String one = "Resynced From The Record " + System.nanoTime() % 100_000;
        String all = "Resynced With The Flow " + System.nanoTime() % 100_000;
        harness.webcrm().editUnreported(WebcrmEntity.ORGANISATION,
                Integer.parseInt(pairs.get(0).path("webcrmId").asString()), Map.of("OrganisationName", one));
        harness.webcrm().editUnreported(WebcrmEntity.ORGANISATION,
                Integer.parseInt(pairs.get(1).path("webcrmId").asString()), Map.of("OrganisationName", all));

        // When the first record's page asks for a resync, its name reaches Customcrm
        page.navigate(harness.baseUrl() + "/#/records/" + pairs.get(0).path("id").asString());
        page.getByTestId("record-detail-card").getByTestId("record-resync").click();
        await().atMost(PATIENCE).pollInterval(POLL).until(() -> customerName(pairs.get(0)).equals(one));

        // When the flow's card asks for a resync, the other one does too
        page.navigate(harness.baseUrl() + "/#/overview");
        page.getByTestId("flow-resync-organisations").click();
        await().atMost(PATIENCE).pollInterval(POLL).until(() -> customerName(pairs.get(1)).equals(all));

        // When a backup is downloaded, it is a store holding the links
        Download download = page.waitForDownload(() -> page.getByTestId("store-backup").click());
        assertThat(download.suggestedFilename()).startsWith("crmsync-").endsWith(".db");
        try (SqlStore copy = SqliteStore.open("jdbc:sqlite:" + download.path())) {
            assertThat(copy.linkOf(Flow.ORGANISATIONS, Side.WEBCRM, pairs.get(1).path("webcrmId").asString())
                    .map(Link::id)).contains(pairs.get(1).path("id").asString());
        }
    }

    private static String customerName(JsonNode link) {
        return harness.customcrm().record(RecordType.CUSTOMER, link.path("customcrmId").asString()).orElseThrow()
                .path("name").asString();
    }

    // ---------------------------------------------------------------- helpers

    private void signIn() {
        page.navigate(harness.baseUrl() + "/");
        page.getByTestId("signin-token").fill(harness.token());
        page.getByTestId("signin-submit").click();
        PlaywrightAssertions.assertThat(page.getByTestId("page-overview")).isVisible();
        PlaywrightAssertions.assertThat(page.getByTestId("flow-card-organisations")).isVisible();
    }

    /** A link of the flow with a record on each side, found through the management API. */
    private static JsonNode linkedPair(String flow) {
        for (JsonNode link : harness.api("GET", "/api/links?flow=" + flow + "&limit=500", null).json().path("items")) {
            if (link.path("state").asString().equals("active") && !link.path("webcrmId").isNull()
                    && !link.path("customcrmId").isNull() && !link.path("title").isNull()) {
                return link;
            }
        }
        throw new AssertionError("no linked " + flow + " after the first sync");
    }

    private static JsonNode flowStatus(String flow) {
        for (JsonNode f : harness.status().path("flows")) {
            if (f.path("flow").asString().equals(flow)) {
                return f;
            }
        }
        throw new AssertionError("no flow " + flow + " in the status");
    }

    private static Instant lastCycleFinished(String flow) {
        JsonNode cycle = flowStatus(flow).path("lastCycle");
        return cycle.isObject() ? Instant.parse(cycle.path("finishedAt").asString()) : Instant.EPOCH;
    }

    /** Writes the two simulators have answered so far. */
    private static long writes() {
        return harness.webcrm().traffic().snapshot().writes() + harness.customcrm().traffic().snapshot().writes();
    }

    private void screenshot(String name) {
        page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve(name + ".png")).setFullPage(true));
    }

    @Test
    @Order(9)
    void shouldShowASystemThatIsDownAndItsFlowsWaitingUntilItAnswersAgain() {
        // Given
        signIn();
        harness.stopCustomcrm();
        try {
            // When a webCRM user edits an organisation, so that the next cycle needs Customcrm
            int webcrmId = harness.webcrm().createAsUser(WebcrmEntity.ORGANISATION,
                    Map.of("OrganisationName", "Circuit " + System.nanoTime() % 100_000 + " ApS"));
            assertThat(webcrmId).isPositive();

            // Then the system's card says it is down and when it is tried again, and the flows wait for it
            Locator circuit = page.getByTestId("system-circuit-customcrm");
            PlaywrightAssertions.assertThat(circuit).hasAttribute("data-circuit", "open");
            PlaywrightAssertions.assertThat(circuit).containsText("Customcrm is down");
            PlaywrightAssertions.assertThat(circuit).containsText("its flows wait and are tried again");
            PlaywrightAssertions.assertThat(page.getByTestId("flow-health-organisations"))
                    .hasText("Waiting for a system");
            screenshot("system-down");
        } finally {
            harness.startCustomcrmAgain();
        }

        // When it answers again, the card and the flows recover by themselves
        PlaywrightAssertions.assertThat(page.getByTestId("system-circuit-customcrm")).hasCount(0);
        PlaywrightAssertions.assertThat(page.getByTestId("flow-health-organisations")).not().hasText(
                "Waiting for a system");
    }

    @Test
    @Order(10)
    void shouldShowAFlowWhoseMassDeleteTheBreakerHoldsBack() {
        // Given
        signIn();
        List<String> products = new ArrayList<>();
        harness.api("GET", "/api/links?flow=products", null).json().path("items").forEach(link -> {
            if (link.path("state").asString().equals("active") && !link.path("customcrmId").isNull()) {
                products.add(link.path("customcrmId").asString());
            }
        });
        assertThat(products).hasSizeGreaterThanOrEqualTo(3);

        // When most products are deleted in Customcrm, past the delete circuit breaker
        products.forEach(id -> harness.customcrm().deleteAsUser(RecordType.PRODUCT, id));

        // Then the products' card says their deletes are held back, and why
        PlaywrightAssertions.assertThat(page.getByTestId("flow-health-products")).hasText("Deletes held back");
        PlaywrightAssertions.assertThat(page.getByTestId("flow-card-products")).hasAttribute("data-health",
                "failing");
        PlaywrightAssertions.assertThat(page.getByTestId("flow-error-products"))
                .containsText("Held by the delete circuit breaker: products: this run would delete or retire");
        screenshot("deletes-held");
    }
}
