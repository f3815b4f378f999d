package dev.crmsync.bench;

import dev.crmsync.app.simulate.SeedPlan;
import dev.crmsync.engine.ApplyResult;
import dev.crmsync.model.Side;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Requests per record created, per record edited and per echo: the API economy a user pays for under webCRM's
 * 250 requests a minute. Counted by the simulators on a shared clock, so crmsync's pace costs no wall time.
 *
 * <p>Not threadsafe.
 */
final class CallCountBench {

    static final String SUITE = "create";

    private final Scale scale;
    private final Console console;
    private long echoes;
    private long echoWrites;
    private final List<String> echoNotes = new ArrayList<>();

    CallCountBench(Scale scale, Console console) {
        this.scale = scale;
        this.console = console;
    }

    List<Figure> run() {
        List<Figure> out = new ArrayList<>();
        SeedPlan plan = scale.createPlan();
        int seeded = Scale.records(plan);
        // Into an empty webCRM, then edits made in Customcrm.
        try (SyncWorld world = SyncWorld.builder().customcrm(plan).build()) {
            console.step("first sync of %,d Customcrm records into an empty webCRM", seeded);
            SyncWorld.RunStats first = world.syncOnce();
            int created = world.webcrmRecords();
            echoes(first, "first sync into webCRM");
            out.add(perRecord("webcrm_calls_per_create", first.webcrm(), created, "record created",
                    Goal.atMost(0.01), "webCRM requests counted by the webCRM simulator over a whole `sync --once` "
                            + "(login, reads, writes, confirmations and the follow-up cycles that settle the echoes) "
                            + "/ records that exist in webCRM afterwards. Customcrm seeded with "
                            + describe(plan) + ", webCRM empty.",
                    first, created + " of " + seeded + " records created"));
            out.add(update(world, Side.CUSTOMCRM, "webcrm_calls_per_update", Goal.atMost(0.02)));
        }
        // The mirror: into an empty Customcrm, then edits made in webCRM.
        try (SyncWorld world = SyncWorld.builder().webcrm(plan).build()) {
            console.step("first sync of %,d webCRM records into an empty Customcrm", seeded);
            SyncWorld.RunStats first = world.syncOnce();
            int created = world.customcrmRecords();
            echoes(first, "first sync into Customcrm");
            out.add(perRecord("customcrm_calls_per_create", first.customcrm(), created, "record created", Goal.none(),
                    "The mirror of webcrm_calls_per_create: Customcrm requests counted by the Customcrm simulator "
                            + "over a whole `sync --once` / records that exist in Customcrm afterwards. webCRM seeded "
                            + "with " + describe(plan) + ", Customcrm empty.",
                    first, created + " of " + seeded + " records created"));
            out.add(update(world, Side.WEBCRM, "customcrm_calls_per_update", Goal.none()));
        }
        double perEcho = echoes == 0 ? 0 : (double) echoWrites / echoes;
        String echoNote = String.format(Locale.ROOT, "%,d write requests for %,d echoes (%s)", echoWrites, echoes,
                String.join("; ", echoNotes));
        out.add(new Figure("calls_per_echo", SUITE, echoes == 0 ? null : perEcho, "writes/echo", Goal.atMost(0),
                "Write requests (POST, PUT, PATCH, DELETE, as each simulator counts them) to either system in the "
                        + "cycles after the first of a run in which nobody else edits anything / records crmsync wrote "
                        + "in the cycle before (each is read back as an echo). Summed over the four runs of this "
                        + "suite: both first syncs and both update syncs.",
                echoes == 0 ? "no run wrote anything, so there were no echoes to count" : echoNote));
        return out;
    }

    private Figure update(SyncWorld world, Side editedSide, String name, Goal goal) {
        Side target = editedSide.other();
        world.later(Duration.ofMinutes(1));
        int edits = editedSide == Side.CUSTOMCRM ? world.editCustomcrm(scale.edits(), "bench")
                : world.editWebcrm(scale.edits(), "bench");
        world.later(Duration.ofMinutes(1));
        console.step("%,d edits in %s, then the cycles that carry them", edits, editedSide.label());
        SyncWorld.RunStats second = world.syncCycles();
        echoes(second, "update sync into " + target.label());
        ApplyResult applied = second.result().applied();
        Traffic traffic = target == Side.WEBCRM ? second.webcrm() : second.customcrm();
        return perRecord(name, traffic, edits, "edit", goal, target.label() + " requests counted by its simulator "
                        + "over the cycles that carry the edits, until quiet, as a running service spends them "
                        + "between two of its hourly id listings (a new connection, so its login included; a "
                        + "`sync --once` also lists every id, one request per 1,000 records and flow) / " + edits
                        + " records edited in " + editedSide.label() + " between the first sync and these cycles "
                        + "(notes or description fields; two fifths companies, two fifths people, a fifth products).",
                second, applied.updates(target) + " updates landed in " + target.label());
    }

    private Figure perRecord(String name, Traffic traffic, int records, String per, Goal goal, String definition,
                             SyncWorld.RunStats run, String outcome) {
        Double value = records == 0 ? null : (double) traffic.total() / records;
        String notes = String.format(Locale.ROOT, "%,d requests for %,d; %s; %d cycles; busiest routes: %s",
                traffic.total(), records, outcome, run.cycles().size(), traffic.topRoutes(4));
        if (records == 0) {
            notes = "nothing was created or edited, so there is nothing to divide by; " + notes;
        }
        return new Figure(name, SUITE, value, "requests/" + per, goal, definition, notes);
    }

    private void echoes(SyncWorld.RunStats run, String what) {
        if (run.cycles().size() < 2) {
            return;
        }
        long written = 0;
        long writesAfter = 0;
        for (int i = 0; i < run.cycles().size(); i++) {
            SyncWorld.CycleTraffic cycle = run.cycles().get(i);
            if (i < run.cycles().size() - 1) {
                ApplyResult a = cycle.report().applied();
                written += a.creates(Side.WEBCRM) + a.creates(Side.CUSTOMCRM) + a.updates(Side.WEBCRM)
                        + a.updates(Side.CUSTOMCRM);
            }
            if (i > 0) {
                writesAfter += cycle.webcrm().writes() + cycle.customcrm().writes();
            }
        }
        echoes += written;
        echoWrites += writesAfter;
        echoNotes.add(String.format(Locale.ROOT, "%s: %,d echoes, %,d writes", what, written, writesAfter));
    }

    static String describe(SeedPlan plan) {
        return String.format(Locale.ROOT, "%,d companies, %,d people, %,d products", plan.companies(),
                plan.people(), plan.products());
    }
}
