package dev.crmsync.app.cli;

import dev.crmsync.app.OnceRun;
import dev.crmsync.app.SyncConnection;
import dev.crmsync.app.api.ApiJson;
import dev.crmsync.adapters.store.StoreBusyException;
import dev.crmsync.app.config.CrmsyncConfig;
import dev.crmsync.engine.SyncCycle;
import dev.crmsync.model.Flow;
import dev.crmsync.model.Side;
import dev.crmsync.ports.ObservedRecord;
import dev.crmsync.ports.RecordStatus;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code crmsync resync FLOW [--side S --id ID]}: reads a flow, or one record, again from both systems and syncs
 * what differs, keeping every link.
 *
 * <p>Not threadsafe: picocli fills and calls it on one thread.
 */
@Command(name = "resync", mixinStandardHelpOptions = true,
        description = {"Read a flow again in full from both systems, whatever crmsync's cursors say, compare every "
                + "record with its partner and write what differs under the conflict policy, then sync until "
                + "quiet. Links are kept: nothing is linked anew or created twice. Use it when a system was "
                + "changed in a way its change feed did not report (an import that kept the old modification "
                + "times, a clock that was set back, a restore of that system from a backup).",
                "With --side and --id, only that record and its linked partner are read again, and the flow synced.",
                "It takes the store like 'sync' does: while 'crmsync run' serves the store, use its dashboard or "
                        + "POST /api/flows/FLOW/resync (or .../resync/SIDE/ID) instead.",
                "Exit status: 0 when every record went through, 1 when some ended in the dead letters or still "
                        + "wait, or the record is known to neither its system nor the store, 2 for a configuration "
                        + "error, 3 when a system could not be reached or another crmsync holds the store."})
public final class ResyncCommand implements Callable<Integer> {

    @Mixin
    ConfigOption config;

    @Parameters(index = "0", paramLabel = "FLOW", description = "organisations, persons or products.")
    String flowName;

    @Option(names = "--side", paramLabel = "SIDE", description = "With --id: webcrm or customcrm, the side whose "
            + "record id is given.")
    String sideName;

    @Option(names = "--id", paramLabel = "ID", description = "With --side: the record to read again, as its "
            + "system numbers it (webCRM: the OrganisationId, PersonId or ProductId; Customcrm: the id).")
    String recordId;

    @Option(names = "--max-wait", paramLabel = "DURATION", defaultValue = "5m",
            description = "As for sync: how long to wait for the next attempts of writes that failed for a passing "
                    + "reason (default: ${DEFAULT-VALUE}; 0 to not wait).")
    String maxWait;

    @Option(names = "--json", description = "With --side and --id, print the records read as JSON "
            + "({\"flow\", \"records\": [{\"side\", \"id\", \"deleted\"}]}, as the API answers) before the summary.")
    boolean json;

    @Spec
    CommandSpec spec;

    @ParentCommand
    Main main;

    @Override
    public Integer call() throws InterruptedException {
        Flow flow = Flow.fromConfigName(flowName);
        if ((sideName == null) != (recordId == null)) {
            throw new IllegalArgumentException("--side and --id go together: name the record by both");
        }
        Side side = sideName == null ? null : Side.fromConfigName(sideName);
        Duration wait = SyncCommand.waitLimit(spec, maxWait);
        PrintWriter out = spec.commandLine().getOut();
        CrmsyncConfig loaded = config.load();
        InstantSource clock = main.clock();
        try (SyncConnection connection = open(loaded, clock)) {
            SyncCycle.Options options;
            if (side == null) {
                out.printf("%s: reading every record of both systems again%n", flow.configName());
                options = SyncCycle.Options.resync(Set.of(flow));
            } else {
                List<ObservedRecord> read;
                try {
                    read = connection.cycle().rereadRecord(flow, side, recordId);
                } catch (NoSuchElementException e) {
                    spec.commandLine().getErr().println("crmsync: " + e.getMessage());
                    spec.commandLine().getErr().flush();
                    return 1;
                }
                if (json) {
                    Json.print(out, ApiJson.resynced(flow, read));
                }
                for (ObservedRecord r : read) {
                    out.printf("%s %s %s read again%s%n", r.side().label(), flow.entityOn(r.side()), r.id(),
                            r.record().deleted() ? ": it is gone there, taken as deleted" : "");
                }
                options = new SyncCycle.Options(false, Set.of(flow), Set.of(), false);
            }
            OnceRun.Outcome outcome = new OnceRun(connection, SyncCommand.MAX_CYCLES, wait, clock, main.sleeper())
                    .run(options, new SyncCommand.ProgressLines(out, clock),
                            report -> SyncCommand.progress(out, report));
            return SyncCommand.summarise(out, outcome, connection.store().withStatus(RecordStatus.DEAD));
        }
    }

    private SyncConnection open(CrmsyncConfig loaded, InstantSource clock) {
        try {
            return SyncConnection.open(loaded, clock, main.sleeper());
        } catch (StoreBusyException e) {
            throw new StoreBusyException(e.getMessage() + ". While 'crmsync run' holds it, resync through it: the "
                    + "dashboard's Resync button, or POST /api/flows/" + flowName + "/resync");
        }
    }
}
