package dev.crmsync.app.cli;

import dev.crmsync.app.SyncConnection;
import dev.crmsync.app.config.ConfigLoader;
import dev.crmsync.app.config.CrmsyncConfig;
import dev.crmsync.app.simulate.SeedPlan;
import dev.crmsync.app.simulate.customcrm.CustomcrmSimulator;
import dev.crmsync.app.simulate.customcrm.RecordType;
import dev.crmsync.app.simulate.webcrm.WebcrmEntity;
import dev.crmsync.app.simulate.webcrm.WebcrmSimulator;
import dev.crmsync.engine.ApplyResult;
import dev.crmsync.engine.SyncCycle;
import dev.crmsync.engine.SyncRun;
import dev.crmsync.model.Flow;
import dev.crmsync.model.Link;
import dev.crmsync.model.LinkState;
import dev.crmsync.model.Side;
import dev.crmsync.ports.RecordStatus;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code crmsync demo}: both simulators with seeded data on free local ports, a first sync between them, then an
 * edit on each side carried to the other, so a newcomer sees crmsync work without an account anywhere.
 *
 * <p>Not threadsafe: picocli fills and calls it on one thread.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Start a webCRM and a Customcrm simulator with realistic data, sync them, edit a record on "
                + "each side and sync again, then keep both running for you to explore (Ctrl-C stops)."})
public final class DemoCommand implements Callable<Integer> {

    private static final String WEBCRM_TOKEN = "demo-webcrm-token";
    private static final String CUSTOMCRM_KEY = "demo-customcrm-key";

    @Option(names = "--dir", paramLabel = "DIR",
            description = "Where the demo's configuration and store go (default: a new temporary folder).")
    Path dir;

    @Option(names = "--seed", defaultValue = "42", description = "Seed of the demo data (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--organisations", defaultValue = "20", paramLabel = "N",
            description = "Organisations in webCRM (default: ${DEFAULT-VALUE}); Customcrm gets an overlapping set.")
    int organisations;

    @Option(names = "--no-wait", description = "Exit after the demonstration instead of keeping the simulators up.")
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
            Path configFile = writeConfig(folder, webcrm.baseUrl(), customcrm.baseUrl());
            out.printf("webCRM simulator:    %s   (application token: %s)%n", webcrm.baseUrl(), WEBCRM_TOKEN);
            out.printf("Customcrm simulator: %s   (API key: %s)%n", customcrm.baseUrl(), CUSTOMCRM_KEY);
            out.printf("configuration:       %s%n%n", configFile);
            out.flush();

            CrmsyncConfig config = new ConfigLoader(Map.of()).load(configFile);
            try (SyncConnection connection = SyncConnection.open(config)) {
                out.println("1. First sync: existing records are matched (VAT number, e-mail), the rest created.");
                sync(connection, out);
                printLinks(connection, out);

                out.println("\n2. A user edits an organisation in webCRM and a contact in Customcrm.");
                String webcrmEdit = editInWebcrm(connection, webcrm, out);
                String customcrmEdit = editInCustomcrm(connection, customcrm, out);
                sync(connection, out);
                showArrived(connection, webcrm, customcrm, webcrmEdit, customcrmEdit, out);

                out.println("\n3. Nothing changed since: a second sync writes nothing.");
                sync(connection, out);
            }
            out.printf("%nLook around:%n  ./crmsync links --config %s%n  ./crmsync conflicts --config %s%n"
                    + "  ./crmsync dead-letters --config %s%n  ./crmsync sync --config %s --dry-run%n",
                    configFile, configFile, configFile, configFile);
            out.printf("  curl -s -X POST %s/Auth/ApiLogin -d authCode=%s%n", webcrm.baseUrl(), WEBCRM_TOKEN);
            out.printf("  curl -s -H 'Authorization: Bearer %s' '%s/customers?limit=5'%n", CUSTOMCRM_KEY,
                    customcrm.baseUrl());
            out.flush();
            if (!noWait) {
                out.println("\nThe simulators keep running until you press Ctrl-C.");
                out.flush();
                CountDownLatch stop = new CountDownLatch(1);
                Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown));
                stop.await();
            }
        }
        return 0;
    }

    private static Path writeConfig(Path folder, String webcrmUrl, String customcrmUrl) throws IOException {
        Path file = folder.resolve("demo.yaml");
        Files.writeString(file, """
                # Written by crmsync demo. The same file works against a real webCRM account: change the URL and
                # token (see README, "Point crmsync at a real webCRM account").
                webcrm:    { url: %s, token: %s }
                customcrm: { url: %s, api-key: %s }
                store:     { url: "jdbc:sqlite:demo.db" }
                """.formatted(webcrmUrl, WEBCRM_TOKEN, customcrmUrl, CUSTOMCRM_KEY));
        return file;
    }

    private static void sync(SyncConnection connection, PrintWriter out) {
        SyncRun.Result result = connection.run(SyncCommand.MAX_CYCLES)
                .untilQuiet(new SyncCycle.Options(false, true, false), report -> { });
        ApplyResult a = result.applied();
        out.printf("   sync: webCRM %d created, %d updated; Customcrm %d created, %d updated (%d cycles)%n",
                a.creates(Side.WEBCRM), a.updates(Side.WEBCRM), a.creates(Side.CUSTOMCRM),
                a.updates(Side.CUSTOMCRM), result.cycles().size());
        int dead = connection.store().withStatus(RecordStatus.DEAD).size();
        if (dead > 0) {
            out.printf("   %d record(s) in the dead letters: ./crmsync dead-letters shows why%n", dead);
        }
        out.flush();
    }

    private static void printLinks(SyncConnection connection, PrintWriter out) {
        for (Flow flow : Flow.values()) {
            out.printf("   %-13s %d linked pairs%n", flow.configName() + ":",
                    connection.store().countLinks(flow, LinkState.ACTIVE));
        }
    }

    private static String editInWebcrm(SyncConnection connection, WebcrmSimulator webcrm, PrintWriter out) {
        Link link = connection.store().links(Flow.ORGANISATIONS, 0, 1).get(0);
        String phone = "+45 70 10 20 30";
        webcrm.editAsUser(WebcrmEntity.ORGANISATION, Integer.parseInt(link.webcrmId()),
                Map.of("OrganisationTelephone", phone));
        out.printf("   webCRM organisation %s: telephone set to %s%n", link.webcrmId(), phone);
        return link.id();
    }

    private static String editInCustomcrm(SyncConnection connection, CustomcrmSimulator customcrm, PrintWriter out) {
        Link link = connection.store().links(Flow.PERSONS, 0, 1).get(0);
        String title = "Head of Partnerships";
        customcrm.editAsUser(RecordType.CONTACT, link.customcrmId(), Map.of("job_title", title));
        out.printf("   Customcrm contact %s: job title set to %s%n", link.customcrmId(), title);
        return link.id();
    }

    private static void showArrived(SyncConnection connection, WebcrmSimulator webcrm, CustomcrmSimulator customcrm,
                                    String organisationLink, String personLink, PrintWriter out) {
        Link organisation = connection.store().link(organisationLink).orElseThrow();
        Link person = connection.store().link(personLink).orElseThrow();
        String phone = customcrm.record(RecordType.CUSTOMER, organisation.customcrmId())
                .map(c -> c.path("phone").asString()).orElse("?");
        String title = webcrm.record(WebcrmEntity.PERSON, Integer.parseInt(person.webcrmId()))
                .map(p -> p.path("PersonTitle").asString()).orElse("?");
        out.printf("   now in Customcrm, customer %s has phone %s%n", organisation.customcrmId(), phone);
        out.printf("   now in webCRM, person %s has title %s%n", person.webcrmId(), title);
    }
}
