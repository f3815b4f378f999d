package dev.crmsync.app.cli;

import dev.crmsync.adapters.http.Sleeper;
import dev.crmsync.app.RunningService;
import dev.crmsync.app.SyncConnection;
import dev.crmsync.app.config.ConfigLoader;
import dev.crmsync.app.config.CrmsyncConfig;
import dev.crmsync.app.service.SyncService;
import dev.crmsync.app.simulate.SeedPlan;
import dev.crmsync.app.simulate.customcrm.CustomcrmSimulator;
import dev.crmsync.app.simulate.customcrm.RecordType;
import dev.crmsync.app.simulate.webcrm.WebcrmEntity;
import dev.crmsync.app.simulate.webcrm.WebcrmSimulator;
import dev.crmsync.model.Flow;
import dev.crmsync.model.Link;
import dev.crmsync.model.LinkState;
import dev.crmsync.ports.RecordStatus;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code crmsync demo}: both simulators with seeded data on free local ports and {@code crmsync run} between
 * them, with its dashboard. It shows the first sync, then an edit on each side arriving on the other within one
 * poll interval, and keeps everything running for a person to watch and try (Ctrl-C stops).
 *
 * <p>Not threadsafe: picocli fills and calls it on one thread.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Start a webCRM and a Customcrm simulator with realistic data and crmsync as a service between "
                + "them, show an edit on each side arriving on the other, and keep it all running with its "
                + "dashboard for you to explore (Ctrl-C stops). Local only: the dashboard asks for no sign-in."})
public final class DemoCommand implements Callable<Integer> {

    private static final String WEBCRM_TOKEN = "demo-webcrm-token";
    private static final String CUSTOMCRM_KEY = "demo-customcrm-key";
    private static final Duration INTERVAL = Duration.ofSeconds(5);
    /** An edit must arrive within one poll interval; this much more allows for the cycle's own run time. */
    private static final Duration ARRIVAL_PATIENCE = INTERVAL.multipliedBy(6);

    @Option(names = "--dir", paramLabel = "DIR",
            description = "Where the demo's configuration and store go (default: a new temporary folder).")
    Path dir;

    @Option(names = "--seed", defaultValue = "42", description = "Seed of the demo data (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--organisations", defaultValue = "20", paramLabel = "N",
            description = "Organisations in webCRM (default: ${DEFAULT-VALUE}); Customcrm gets an overlapping set.")
    int organisations;

    @Option(names = "--port", defaultValue = "8080", paramLabel = "PORT",
            description = "Port of the dashboard (default: ${DEFAULT-VALUE}; a free one if it is taken; 0 for any).")
    int port;

    @Option(names = "--no-wait", description = "Exit after the demonstration instead of keeping everything up.")
    boolean noWait;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Path folder = dir != null ? Files.createDirectories(dir) : Files.createTempDirectory("crmsync-demo-");
        // webCRM holds companies 0..N-1; Customcrm companies from 0.6 N on, so about 40 % are in both and link
        // by VAT number and e-mail instead of being duplicated.
        int first = organisations * 3 / 5;
        SeedPlan webcrmPlan = new SeedPlan(0, organisations, organisations * 2, organisations);
        SeedPlan customcrmPlan = new SeedPlan(first, organisations, organisations * 2, organisations / 2);
        try (WebcrmSimulator webcrm = WebcrmSimulator.builder().token(WEBCRM_TOKEN).seed(seed).seedPlan(webcrmPlan)
                .build().start("127.0.0.1", 0);
             CustomcrmSimulator customcrm = CustomcrmSimulator.builder().apiKey(CUSTOMCRM_KEY).seed(seed)
                     .seedPlan(customcrmPlan).build().start("127.0.0.1", 0)) {
            Path configFile = writeConfig(folder, webcrm.baseUrl(), customcrm.baseUrl(), freePort(port));
            out.printf("webCRM simulator:    %s   (application token: %s)%n", webcrm.baseUrl(), WEBCRM_TOKEN);
            out.printf("Customcrm simulator: %s   (API key: %s)%n", customcrm.baseUrl(), CUSTOMCRM_KEY);
            out.printf("configuration:       %s%n%n", configFile);
            out.flush();

            CrmsyncConfig config = new ConfigLoader(Map.of()).load(configFile);
            try (RunningService service = RunningService.start(config, true, InstantSource.system(), Sleeper.SYSTEM)) {
                out.printf("crmsync is running. Dashboard: %s/%n%n", service.baseUrl());
                out.println("1. First sync: existing records are matched (VAT number, e-mail), the rest created.");
                out.flush();
                awaitFirstSync(service.service());
                printLinks(service.connection(), out);

                out.printf("%n2. A user edits an organisation in webCRM and a contact in Customcrm; crmsync polls "
                        + "every %ss.%n", INTERVAL.toSeconds());
                Instant edited = Instant.now();
                Link organisation = editInWebcrm(service.connection(), webcrm, out);
                Link person = editInCustomcrm(service.connection(), customcrm, out);
                String phone = awaitValue(() -> customcrm.record(RecordType.CUSTOMER, organisation.customcrmId())
                        .map(c -> c.path("phone").asString()).orElse(""), PHONE);
                String title = awaitValue(() -> webcrm.record(WebcrmEntity.PERSON,
                        Integer.parseInt(person.webcrmId())).map(p -> p.path("PersonTitle").asString()).orElse(""),
                        JOB_TITLE);
                out.printf("   now in Customcrm, customer %s has phone %s%n", organisation.customcrmId(), phone);
                out.printf("   now in webCRM, person %s has title %s%n", person.webcrmId(), title);
                out.printf("   both arrived %.1f s after the edits%n",
                        Duration.between(edited, Instant.now()).toMillis() / 1000.0);

                out.printf("%nWatch it live: open %s/ and edit a record in either simulator, e.g.%n",
                        service.baseUrl());
                out.printf("  curl -s -X PATCH -H 'Authorization: Bearer %s' -H 'Content-Type: application/json' "
                        + "-d '{\"phone\": \"+45 12 34 56 78\"}' %s/customers/%s%n", CUSTOMCRM_KEY,
                        customcrm.baseUrl(), organisation.customcrmId());
                out.printf("It appears on the timeline and in webCRM at the next poll, within about %s s.%n",
                        INTERVAL.toSeconds());
                out.printf("The same service from the command line: ./crmsync run --config %s --insecure-no-auth%n",
                        configFile);
                out.flush();
                if (!noWait) {
                    out.println("\nEverything keeps running until you press Ctrl-C.");
                    out.flush();
                    CountDownLatch stop = new CountDownLatch(1);
                    Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown));
                    stop.await();
                }
            }
        }
        return 0;
    }

    private static final String PHONE = "+45 70 10 20 30";
    private static final String JOB_TITLE = "Head of Partnerships";

    private static Path writeConfig(Path folder, String webcrmUrl, String customcrmUrl, int port) throws IOException {
        Path file = folder.resolve("demo.yaml");
        Files.writeString(file, """
                # Written by crmsync demo. The same file works against a real webCRM account: change the URL and
                # token (see README, "Point crmsync at a real webCRM account").
                webcrm:    { url: %s, token: %s }
                customcrm: { url: %s, api-key: %s }
                store:     { url: "jdbc:sqlite:demo.db" }
                server:    { host: 127.0.0.1, port: %d }
                sync:      { interval: %ds, reconcile-interval: 1m }
                """.formatted(webcrmUrl, WEBCRM_TOKEN, customcrmUrl, CUSTOMCRM_KEY, port, INTERVAL.toSeconds()));
        return file;
    }

    /** The wanted port if it is free, else any free one: a demo should not fail because 8080 is taken. */
    private static int freePort(int wanted) {
        if (wanted == 0) {
            return 0;
        }
        try (ServerSocket socket = new ServerSocket(wanted, 1, InetAddress.getLoopbackAddress())) {
            return wanted;
        } catch (IOException taken) {
            return 0;
        }
    }

    private static void awaitFirstSync(SyncService service) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofMinutes(5));
        while (Instant.now().isBefore(deadline)) {
            boolean all = service.status().flows().stream()
                    .allMatch(f -> f.lastCycle() != null && !f.state().equals("running"));
            if (all) {
                return;
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("the first sync did not finish within 5 minutes; see the log above");
    }

    private static String awaitValue(Supplier<String> read, String wanted) throws InterruptedException {
        Instant deadline = Instant.now().plus(ARRIVAL_PATIENCE);
        String value = read.get();
        while (!wanted.equals(value) && Instant.now().isBefore(deadline)) {
            Thread.sleep(200);
            value = read.get();
        }
        return value;
    }

    private static void printLinks(SyncConnection connection, PrintWriter out) {
        for (Flow flow : Flow.values()) {
            out.printf("   %-13s %d linked pairs%n", flow.configName() + ":",
                    connection.store().countLinks(flow, LinkState.ACTIVE));
        }
        int dead = connection.store().withStatus(RecordStatus.DEAD).size();
        if (dead > 0) {
            out.printf("   %d record(s) in the dead letters: the dashboard shows why%n", dead);
        }
        out.flush();
    }

    private static Link editInWebcrm(SyncConnection connection, WebcrmSimulator webcrm, PrintWriter out) {
        Link link = firstActive(connection, Flow.ORGANISATIONS);
        webcrm.editAsUser(WebcrmEntity.ORGANISATION, Integer.parseInt(link.webcrmId()),
                Map.of("OrganisationTelephone", PHONE));
        out.printf("   webCRM organisation %s: telephone set to %s%n", link.webcrmId(), PHONE);
        return link;
    }

    private static Link editInCustomcrm(SyncConnection connection, CustomcrmSimulator customcrm, PrintWriter out) {
        Link link = firstActive(connection, Flow.PERSONS);
        customcrm.editAsUser(RecordType.CONTACT, link.customcrmId(), Map.of("job_title", JOB_TITLE));
        out.printf("   Customcrm contact %s: job title set to %s%n", link.customcrmId(), JOB_TITLE);
        return link;
    }

    private static Link firstActive(SyncConnection connection, Flow flow) {
        return connection.store().links(flow, 0, 1000).stream()
                .filter(l -> l.state() == LinkState.ACTIVE && l.webcrmId() != null && l.customcrmId() != null)
                .findFirst().orElseThrow(() -> new IllegalStateException("no linked " + flow.configName()));
    }
}
