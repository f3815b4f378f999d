package dev.crmsync.app.cli;

import dev.crmsync.app.simulate.SeedPlan;
import dev.crmsync.app.simulate.customcrm.CustomcrmSimulator;
import dev.crmsync.app.simulate.customcrm.CustomcrmTenant;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code crmsync simulate customcrm}: runs the Customcrm reference server until interrupted, for trying the
 * contract and the connector by hand.
 *
 * <p>This class is not threadsafe: picocli fills and calls it on one thread.
 */
@Command(name = "customcrm", mixinStandardHelpOptions = true,
        description = "Runs the reference server of the Customcrm contract (contracts/customcrm-openapi.yaml) on "
                + "this machine, seeded with demo data, until interrupted. See docs/simulators/customcrm.md.")
public final class SimulateCustomcrmCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--port", defaultValue = "8082", description = "Port to listen on (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address to bind (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--api-key", defaultValue = "demo-customcrm-key",
            description = "API key clients send as a bearer token (default: ${DEFAULT-VALUE}).")
    String apiKey;

    @Option(names = "--seed", defaultValue = "42", description = "Seed of the demo data and faults (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--empty", description = "Seed nothing into a new database.")
    boolean empty;

    @Option(names = "--db", paramLabel = "FILE",
            description = "SQLite file that keeps the data across restarts (default: a private database deleted on exit).")
    Path database;

    @Option(names = "--customers", paramLabel = "N", defaultValue = "50",
            description = "Customers to seed (default: ${DEFAULT-VALUE}).")
    int customers;

    @Option(names = "--contacts", paramLabel = "N", defaultValue = "120",
            description = "Contacts to seed (default: ${DEFAULT-VALUE}).")
    int contacts;

    @Option(names = "--products", paramLabel = "N", defaultValue = "60",
            description = "Products to seed (default: ${DEFAULT-VALUE}).")
    int products;

    // 40 with 50 customers overlaps companies 40..59 with the webCRM simulator's default 60 organisations from
    // company 0, so that the demo has records to link on the first run as well as records to create on each side.
    @Option(names = "--first-company", paramLabel = "N", defaultValue = "40",
            description = "Seed world company the customers start from (default: ${DEFAULT-VALUE}).")
    int firstCompany;

    @Option(names = "--rate-limit", paramLabel = "N", defaultValue = "600",
            description = "Requests per minute per API key; 0 for no limit (default: ${DEFAULT-VALUE}).")
    int rateLimit;

    @Option(names = "--no-batch",
            description = "Leave out the contract's optional batch writes (POST /batch), from the routes and from the "
                    + "contract served at /openapi.yaml, as a Customcrm that implements only the required part.")
    boolean noBatch;

    @Option(names = "--tenants", paramLabel = "N",
            description = "Serve N tenants, each with its own database, faults, traffic counts and rate limit, "
                    + "reached with API key <api-key>-1 to <api-key>-N; with --db FILE.db tenant k keeps its data in "
                    + "FILE-k.db (default: one tenant, with the key and file as given).")
    Integer tenants;

    @Mixin
    FaultOptions faultOptions;

    @Override
    public Integer call() {
        CustomcrmSimulator simulator = simulator().start(host, port);
        CountDownLatch stopped = new CountDownLatch(1);
        Thread shutdown = new Thread(() -> {
            simulator.stop();
            stopped.countDown();
        }, "customcrm-simulator-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdown);
        printGreeting(spec.commandLine().getOut(), simulator);
        boolean interrupted = false;
        try {
            stopped.await();
        } catch (InterruptedException e) {
            // Interrupted rather than shut down (e.g. by an embedding program): a normal way to end, so exit 0.
            interrupted = true;
        }
        simulator.stop();
        removeHook(shutdown);
        if (interrupted) {
            // Only now: with the flag set, the server's own shutdown would be cut short.
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    private CustomcrmSimulator simulator() {
        try {
            if (rateLimit < 0) {
                throw new IllegalArgumentException("--rate-limit must be zero or positive: " + rateLimit);
            }
            CustomcrmSimulator.Builder builder = CustomcrmSimulator.builder()
                    .apiKey(apiKey)
                    .database(database)
                    .seed(seed)
                    .seedPlan(empty ? null : new SeedPlan(firstCompany, customers, contacts, products))
                    .faults(faultOptions.toSettings())
                    .batch(!noBatch);
            if (rateLimit > 0) {
                builder.rateLimit(rateLimit, Duration.ofMinutes(1));
            }
            if (tenants != null) {
                builder.tenants(TenantsOption.check(tenants));
            }
            return builder.build();
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    private void printGreeting(PrintWriter out, CustomcrmSimulator simulator) {
        String baseUrl = simulator.baseUrl();
        out.printf("Customcrm reference server listening on %s%n", baseUrl);
        if (tenants == null) {
            out.printf("API key: %s%n", apiKey);
        } else {
            out.printf("Tenants: %d, API keys %s%n", tenants, TenantsOption.credentials(apiKey, tenants));
        }
        List<CustomcrmTenant> all = simulator.tenants();
        out.printf("Data%s: %s; %s; rate limit %s%n", tenants == null ? "" : " of each tenant",
                database == null ? "private database, deleted on exit" : all.size() == 1 ? file(all.getFirst())
                        : file(all.getFirst()) + " to " + file(all.getLast()),
                empty ? "nothing seeded" : String.format("seeded %d customers, %d contacts, %d products from company %d"
                        + " (only into an empty database)", customers, contacts, products, firstCompany),
                rateLimit == 0 ? "none" : rateLimit + "/min" + (tenants == null ? "" : " per tenant"));
        out.printf("Batch writes: %s%n", noBatch
                ? "off (--no-batch): POST /batch answers 404 and the contract leaves it out"
                : "POST /batch, up to 1000 writes per request");
        out.printf("Try:%n");
        out.printf("  curl -s -H 'Authorization: Bearer %s' '%s/customers?limit=2'%n", simulator.tenant(1).apiKey(),
                baseUrl);
        out.printf("Contract: %s/openapi.yaml. Faults and traffic: %s. Stop with Ctrl-C.%n", baseUrl,
                TenantsOption.controlRoutes(baseUrl, tenants));
        out.flush();
    }

    private static Path file(CustomcrmTenant tenant) {
        return tenant.databaseFile().orElseThrow().toAbsolutePath();
    }

    private static void removeHook(Thread hook) {
        // Drop the hook so that it does not stop the simulator a second time at exit, nor keep it reachable.
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // The JVM is already shutting down and runs the hook itself; stopping twice is harmless.
        }
    }
}
