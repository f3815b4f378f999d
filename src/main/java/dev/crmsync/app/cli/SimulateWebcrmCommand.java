package dev.crmsync.app.cli;

import dev.crmsync.app.simulate.SeedPlan;
import dev.crmsync.app.simulate.webcrm.PatchQuirks;
import dev.crmsync.app.simulate.webcrm.WebcrmSimulator;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code crmsync simulate webcrm}: runs the webCRM simulator until interrupted, for trying the connector by hand.
 *
 * <p>This class is not threadsafe: picocli fills and calls it on one thread.
 */
@Command(name = "webcrm", mixinStandardHelpOptions = true,
        description = "Runs a simulated webCRM REST API v1 tenant on this machine, seeded with demo data, "
                + "until interrupted. See docs/simulators/webcrm.md.")
public final class SimulateWebcrmCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--port", defaultValue = "8081", description = "Port to listen on (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address to bind (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--token", defaultValue = "demo-webcrm-token",
            description = "Application token that /Auth/ApiLogin accepts (default: ${DEFAULT-VALUE}).")
    String token;

    @Option(names = "--seed", defaultValue = "42", description = "Seed of the demo data and faults (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--empty", description = "Start with no data at all.")
    boolean empty;

    @Option(names = "--organisations", paramLabel = "N", defaultValue = "60",
            description = "Organisations to seed (default: ${DEFAULT-VALUE}).")
    int organisations;

    @Option(names = "--persons", paramLabel = "N", defaultValue = "150",
            description = "Persons to seed (default: ${DEFAULT-VALUE}).")
    int persons;

    @Option(names = "--products", paramLabel = "N", defaultValue = "80",
            description = "Products to seed (default: ${DEFAULT-VALUE}).")
    int products;

    @Option(names = "--rate-limit", paramLabel = "N", defaultValue = "250",
            description = "Requests per minute per application token (default: ${DEFAULT-VALUE}).")
    int rateLimit;

    @Option(names = "--empty-organisation-post-body",
            description = "Answer POST /Organisations with an empty body instead of the new id.")
    boolean emptyOrganisationPostBody;

    @Option(names = "--patch-max-items", paramLabel = "N", defaultValue = "0",
            description = "Refuse a bulk PATCH of more than N items with 413; 0 for no limit, as webCRM documents "
                    + "(default: ${DEFAULT-VALUE}).")
    int patchMaxItems;

    @Option(names = "--patch-answers", paramLabel = "FORM", defaultValue = "per-item",
            description = "What a bulk PATCH answers: per-item (an id or a message per item), inserted-only (ids "
                    + "of inserted items and messages), or none (an empty array) (default: ${DEFAULT-VALUE}).")
    String patchAnswers;

    @Option(names = "--patch-bad-item-fails-batch",
            description = "Refuse a whole bulk PATCH with 400 naming no item when one item is invalid.")
    boolean patchBadItemFailsBatch;

    @Option(names = "--tenants", paramLabel = "N",
            description = "Serve N tenants, each with its own data, faults, traffic counts and rate limit, reached "
                    + "with application token <token>-1 to <token>-N (default: one tenant, with the token as given).")
    Integer tenants;

    @Mixin
    FaultOptions faultOptions;

    @Override
    public Integer call() throws InterruptedException {
        SeedPlan plan;
        WebcrmSimulator.Builder builder;
        try {
            plan = empty ? new SeedPlan(0, 0, 0, 0) : new SeedPlan(0, organisations, persons, products);
            builder = WebcrmSimulator.builder()
                    .token(token)
                    .seed(seed)
                    .seedPlan(plan)
                    .rateLimit(rateLimit, Duration.ofMinutes(1))
                    .faults(faultOptions.toSettings())
                    .emptyOrganisationPostBody(emptyOrganisationPostBody)
                    .patchQuirks(new PatchQuirks(patchMaxItems, patchBadItemFailsBatch,
                            PatchQuirks.Answers.of(patchAnswers), 0, Duration.ZERO));
            if (tenants != null) {
                builder.tenants(TenantsOption.check(tenants));
            }
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        WebcrmSimulator simulator = builder.build().start(host, port);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            simulator.stop();
            stopped.countDown();
        }, "webcrm-simulator-shutdown"));
        printGreeting(spec.commandLine().getOut(), simulator, plan);
        stopped.await();
        return 0;
    }

    private void printGreeting(PrintWriter out, WebcrmSimulator simulator, SeedPlan plan) {
        String baseUrl = simulator.baseUrl();
        String firstToken = simulator.tenant(1).applicationTokens().getFirst();
        out.printf("webCRM simulator listening on %s%n", baseUrl);
        if (tenants == null) {
            out.printf("Application token: %s%n", token);
        } else {
            out.printf("Tenants: %d, application tokens %s%n", tenants, TenantsOption.credentials(token, tenants));
        }
        out.printf("Seeded%s: %d organisations, %d persons, %d products; rate limit %d/min%s%n",
                tenants == null ? "" : " each", plan.companies(), plan.people(), plan.products(), rateLimit,
                tenants == null ? "" : " per tenant");
        out.printf("Try:%n");
        out.printf("  TOKEN=$(curl -s -d authCode=%s %s/Auth/ApiLogin | sed 's/.*\"AccessToken\":\"\\([^\"]*\\)\".*/\\1/')%n",
                firstToken, baseUrl);
        out.printf("  curl -s -H \"Authorization: Bearer $TOKEN\" '%s/Organisations?Page=1&Size=5'%n", baseUrl);
        out.printf("Faults and traffic: %s. Stop with Ctrl-C.%n", TenantsOption.controlRoutes(baseUrl, tenants));
        out.flush();
    }
}
