package dev.crmsync.app.cluster;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.SchedulerName;
import com.github.kagkarlsson.scheduler.task.CompletionHandler;
import com.github.kagkarlsson.scheduler.task.ExecutionContext;
import com.github.kagkarlsson.scheduler.task.FailureHandler;
import com.github.kagkarlsson.scheduler.task.TaskInstance;
import com.github.kagkarlsson.scheduler.task.helper.CustomTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import dev.crmsync.adapters.cluster.ClusterDatabase;
import dev.crmsync.app.api.ClusterView;
import dev.crmsync.app.api.ManagementApi;
import dev.crmsync.app.config.ClusterSettings;
import dev.crmsync.ports.StaleClaimException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One node of a cluster: a {@code crmsync run} that shares the file's connections with the other nodes on the same
 * PostgreSQL store, through db-scheduler rather than a lease protocol of our own.
 *
 * <p>Each connection is one db-scheduler execution of the task {@value #TASK}. The node that picks it holds the
 * connection for as long as the execution runs, and db-scheduler's heartbeat on the execution says it is alive. A
 * node that dies or stalls stops that heartbeat; after {@code cluster.take-over-after} another node's scheduler
 * finds the execution dead, revives it, and the first node with room picks it up. Picking it up, a node claims the
 * connection's store: the claim's epoch grows and every write of the store is fenced with it, so a node that comes
 * back from a stall has every write refused by the database, and lets the connection go at its next check.
 *
 * <p>The connections spread by a fair share: a node holds at most {@code ceil(connections / live nodes)}, declines
 * an execution beyond it (leaving it to a node with room), and lets go of what it holds beyond it when another node
 * joins. Live nodes are those whose own heartbeat, in {@code cluster_nodes}, is younger than the take-over time.
 *
 * <p>This class is threadsafe.
 */
public final class ClusterNode implements ClusterView, AutoCloseable {

    /** db-scheduler's name for the task whose executions are the connections. */
    public static final String TASK = "crmsync-connection";

    private static final Logger log = LoggerFactory.getLogger(ClusterNode.class);
    /** db-scheduler's least: an execution is dead after four heartbeats missed. */
    private static final int MISSED_HEARTBEATS = 4;
    /** How long a node that stopped beating stays on the list before it is forgotten, in take-over times. */
    private static final int FORGET_AFTER_TAKE_OVERS = 20;

    /** Why a hold ended. */
    enum Ending {
        /** This node is stopping: another may take it up at once. */
        STOPPING,
        /** This node held more than its share: another takes it up. */
        RELEASED,
        /** Another node claimed the store: this one's writes are refused. */
        LOST
    }

    /** One connection this node holds, from the moment it picked it. */
    private static final class Hold {
        final String connection;
        final Instant since;
        final CountDownLatch letGo = new CountDownLatch(1);
        /** Set once it is opened and started. */
        volatile HeldConnection held;
        volatile Ending requested;

        Hold(String connection, Instant since) {
            this.connection = connection;
            this.since = since;
        }

        void end(Ending why) {
            if (requested == null) {
                requested = why;
            }
            letGo.countDown();
        }
    }

    /**
     * What the node counts, for {@code /metrics}.
     *
     * @param lost               connections another node took over while this one held them
     * @param staleWritesRefused writes of a stale claim that the store refused
     */
    public record Counts(long lost, long staleWritesRefused) {
    }

    private final String name;
    private final List<String> connections;
    private final ClusterSettings settings;
    private final ClusterDatabase database;
    private final ConnectionOpener opener;
    private final InstantSource clock;
    private final Duration stopGrace;
    private final Instant startedAt;
    private final Map<String, Hold> holds = new ConcurrentHashMap<>();
    private final CustomTask<Void> task;
    private final Scheduler scheduler;
    private final ScheduledExecutorService beats;
    private final AtomicLong lost = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private volatile String url;
    private volatile boolean stopping;
    /** Whether a connection let go while leaving had its running cycle cut short. */
    private volatile boolean cutShort;
    /** The table's rows and holders at the last beat, for the view; replaced whole. */
    private volatile Snapshot seen = new Snapshot(List.of(), Map.of(), Instant.MIN);

    private record Snapshot(List<ClusterDatabase.NodeRow> nodes, Map<String, String> holders, Instant readAt) {
    }

    private ClusterNode(String name, List<String> connections, ClusterSettings settings, ClusterDatabase database,
                        ConnectionOpener opener, InstantSource clock, Duration stopGrace) {
        this.name = name;
        this.connections = List.copyOf(connections);
        this.settings = settings;
        this.database = database;
        this.opener = opener;
        this.clock = clock;
        this.stopGrace = stopGrace;
        this.startedAt = clock.instant();
        this.task = Tasks.custom(TASK, Void.class)
                .onFailure(new FailureHandler.OnFailureRetryLater<>(settings.pollInterval()))
                .execute(this::execute);
        this.scheduler = Scheduler.create(database.dataSource(), task)
                .schedulerName(new SchedulerName.Fixed(name))
                // A held connection keeps its thread for as long as the node holds it.
                .threads(connections.size() + 1)
                .pollingInterval(settings.pollInterval())
                .heartbeatInterval(settings.heartbeatInterval())
                .missedHeartbeatsLimit(MISSED_HEARTBEATS)
                .shutdownMaxWait(stopGrace.plusSeconds(10))
                .build();
        this.beats = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "crmsync-node-heartbeat");
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * Makes the node, not started.
     *
     * @param connections the file's connections, by name
     * @param settings    the file's {@code cluster:} section
     * @param database    the cluster's tables
     * @param opener      opens a connection the node picks
     * @param clock       the time source
     * @param stopGrace   how long a stop waits for each held connection's running cycle
     * @return the node
     */
    public static ClusterNode create(List<String> connections, ClusterSettings settings, ClusterDatabase database,
                                     ConnectionOpener opener, InstantSource clock, Duration stopGrace) {
        String name = settings.node() == null ? defaultName() : settings.node();
        return new ClusterNode(name, connections, settings, database, opener, clock, stopGrace);
    }

    /**
     * @return {@code <host>-<pid>}: unique among the processes of a cluster
     */
    static String defaultName() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "node";
        }
        String cleaned = host.replaceAll("[^A-Za-z0-9._-]", "-");
        String name = cleaned + "-" + ProcessHandle.current().pid();
        return name.length() > 60 ? name.substring(name.length() - 60) : name;
    }

    /**
     * Joins the cluster: writes the node's heartbeat, puts every connection of the file in the scheduler's table
     * (once for the cluster), and starts picking.
     *
     * @param apiUrl the base URL of this node's management API, which the other nodes' pages link to
     */
    public void start(String apiUrl) {
        this.url = Objects.requireNonNull(apiUrl, "apiUrl");
        beat();
        Instant now = clock.instant();
        for (String connection : connections) {
            scheduler.scheduleIfNotExists(task.instance(connection), now);
        }
        long every = settings.heartbeatInterval().toMillis();
        beats.scheduleWithFixedDelay(this::beatQuietly, every, every, TimeUnit.MILLISECONDS);
        scheduler.start();
        log.atInfo().addKeyValue("node", name).addKeyValue("connections", connections.size())
                .addKeyValue("takeOverAfter", settings.takeOverAfter().toString())
                .log("node joined the cluster");
    }

    // ---------------------------------------------------------------- the execution of one connection

    private CompletionHandler<Void> execute(TaskInstance<Void> instance, ExecutionContext context) {
        String connection = instance.getId();
        if (!connections.contains(connection)) {
            log.atWarn().addKeyValue("connection", connection)
                    .log("the file no longer has this connection: it leaves the cluster; its store is kept");
            return (complete, operations) -> operations.remove();
        }
        Hold hold = new Hold(connection, clock.instant());
        synchronized (holds) {
            if (!stopping && holds.size() >= fairShare()
                    && seen.readAt().isBefore(clock.instant().minus(settings.pollInterval()))) {
                // The share may have grown since the last look (a node left): look again before declining, but
                // once a poll, not for each of the executions declined while the nodes rebalance.
                readCluster();
            }
            if (stopping || holds.size() >= fairShare()) {
                // Left to a node with room; picked again after the next look if none has.
                return rescheduleIn(settings.pollInterval());
            }
            holds.put(connection, hold);
        }
        Ending ending;
        HeldConnection held = null;
        try {
            held = opener.open(connection, name);
            held.start();
            hold.held = held;
            log.atInfo().addKeyValue("connection", connection).addKeyValue("node", name).log("connection taken up");
            ending = holdUntilLetGo(hold);
        } catch (StaleClaimException e) {
            ending = Ending.LOST;
        } catch (RuntimeException e) {
            log.atWarn().addKeyValue("connection", connection).addKeyValue("error", e.getMessage())
                    .log("connection could not be taken up; tried again after the take-over time");
            holds.remove(connection);
            closeQuietly(held);
            return rescheduleIn(settings.takeOverAfter());
        } finally {
            hold.held = null;
        }
        holds.remove(connection);
        if (held != null) {
            if (!held.stop(stopGrace) && ending == Ending.STOPPING) {
                cutShort = true;
            }
            closeQuietly(held);
        }
        log.atInfo().addKeyValue("connection", connection).addKeyValue("node", name)
                .addKeyValue("why", ending.name().toLowerCase(Locale.ROOT)).log("connection let go");
        return switch (ending) {
            case STOPPING -> rescheduleIn(Duration.ZERO);
            // Not at once: the nodes with room pick it first, as this one declines what is beyond its share.
            case RELEASED -> rescheduleIn(settings.pollInterval().multipliedBy(2));
            // The execution is another node's now: nothing of it is this node's to complete.
            case LOST -> (complete, operations) -> { };
        };
    }

    /**
     * Waits, confirming the claim with a fenced write every heartbeat, until the node lets the connection go or a
     * write is refused: then another node holds it.
     */
    private Ending holdUntilLetGo(Hold hold) {
        Duration every = settings.heartbeatInterval();
        while (true) {
            try {
                if (hold.letGo.await(every.toMillis(), TimeUnit.MILLISECONDS)) {
                    return hold.requested;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Ending.STOPPING;
            }
            try {
                hold.held.confirmClaim();
            } catch (StaleClaimException e) {
                refused.incrementAndGet();
                lost.incrementAndGet();
                log.atWarn().addKeyValue("connection", hold.connection).addKeyValue("node", name)
                        .addKeyValue("refused", e.getMessage())
                        .log("another node took the connection over while this one was silent; the store refused "
                                + "this node's write, and it lets the connection go");
                return Ending.LOST;
            } catch (RuntimeException e) {
                // The store does not answer: the cycles report it; the claim is confirmed at the next beat.
                log.atDebug().addKeyValue("connection", hold.connection).addKeyValue("error", e.getMessage())
                        .log("claim not confirmed");
            }
        }
    }

    private static CompletionHandler<Void> rescheduleIn(Duration delay) {
        return (complete, operations) -> operations.reschedule(complete, complete.getTimeDone().plus(delay));
    }

    private static void closeQuietly(HeldConnection held) {
        if (held == null) {
            return;
        }
        try {
            held.close();
        } catch (RuntimeException e) {
            log.atDebug().addKeyValue("error", e.getMessage()).log("connection did not close cleanly");
        }
    }

    // ---------------------------------------------------------------- heartbeat and share

    private void beatQuietly() {
        try {
            beat();
        } catch (RuntimeException e) {
            log.atWarn().addKeyValue("node", name).addKeyValue("error", e.getMessage())
                    .log("node heartbeat not written; the store does not answer");
        } catch (Error e) {
            // A scheduled task that throws is never run again: the node would keep its connections unseen, its
            // heartbeat stale and its share never given back. Say it loudly and beat again next time.
            log.atError().setCause(e).addKeyValue("node", name).log("node heartbeat failed");
        }
    }

    /** Writes the heartbeat, reads the cluster, and lets go of what is beyond the share. */
    private void beat() {
        Instant now = clock.instant();
        database.heartbeat(name, url, startedAt, now);
        database.forgetSilent(now, settings.takeOverAfter().multipliedBy(FORGET_AFTER_TAKE_OVERS));
        readCluster();
        if (!stopping) {
            rebalance();
        }
    }

    private void readCluster() {
        seen = new Snapshot(database.nodes(), database.holders(TASK), clock.instant());
    }

    private void rebalance() {
        int share = fairShare();
        List<Hold> held = new ArrayList<>(holds.values().stream().filter(h -> h.held != null).toList());
        int excess = held.size() - share;
        if (excess <= 0) {
            return;
        }
        // The newest first: the longest held keep their warm state.
        held.sort(Comparator.comparing((Hold h) -> h.since).reversed());
        for (Hold hold : held.subList(0, excess)) {
            hold.end(Ending.RELEASED);
        }
        log.atInfo().addKeyValue("node", name).addKeyValue("share", share).addKeyValue("released", excess)
                .log("more nodes share the connections: letting the excess go");
    }

    /**
     * @return the most connections this node holds: the file's connections spread over the live nodes, rounded up
     */
    int fairShare() {
        return fairShare(connections.size(), liveNodes(seen.nodes(), clock.instant()));
    }

    /**
     * @param connections how many connections the file has
     * @param liveNodes   how many nodes are alive, this one among them
     * @return {@code ceil(connections / liveNodes)}
     */
    static int fairShare(int connections, int liveNodes) {
        int nodes = Math.max(1, liveNodes);
        return (connections + nodes - 1) / nodes;
    }

    private int liveNodes(List<ClusterDatabase.NodeRow> rows, Instant now) {
        return (int) rows.stream().filter(row -> isAlive(row, now, settings.takeOverAfter())).count();
    }

    private static boolean isAlive(ClusterDatabase.NodeRow row, Instant now, Duration takeOverAfter) {
        return !row.heartbeat().isBefore(now.minus(takeOverAfter));
    }

    // ---------------------------------------------------------------- the view

    @Override
    public String node() {
        return name;
    }

    @Override
    public Optional<ManagementApi.Served> held(String connection) {
        Hold hold = holds.get(connection);
        HeldConnection held = hold == null ? null : hold.held;
        return held == null ? Optional.empty() : Optional.of(held.served());
    }

    @Override
    public List<Node> nodes() {
        Snapshot snapshot = seen;
        List<Node> out = new ArrayList<>();
        for (Node node : view(snapshot.nodes(), snapshot.holders(), clock.instant(), settings.takeOverAfter())) {
            // This node knows its own holds better than its last read of the table.
            out.add(node.name().equals(name) ? new Node(node.name(), node.url(), node.startedAt(), node.heartbeat(),
                    node.alive(), heldHere()) : node);
        }
        return out;
    }

    /**
     * The nodes of a cluster as its tables tell them, for whoever reads them without being a node
     * ({@code crmsync nodes}).
     *
     * @param database      the cluster's tables
     * @param now           the time to judge the heartbeats at
     * @param takeOverAfter how old a heartbeat may be for its node to count as alive
     * @return every node in the table, by name, with the connections it holds
     */
    public static List<Node> nodesOf(ClusterDatabase database, Instant now, Duration takeOverAfter) {
        return view(database.nodes(), database.holders(TASK), now, takeOverAfter);
    }

    private static List<Node> view(List<ClusterDatabase.NodeRow> rows, Map<String, String> holders, Instant now,
                                   Duration takeOverAfter) {
        List<Node> out = new ArrayList<>();
        for (ClusterDatabase.NodeRow row : rows) {
            List<String> theirs = holders.entrySet().stream().filter(e -> e.getValue().equals(row.name()))
                    .map(Map.Entry::getKey).sorted().toList();
            out.add(new Node(row.name(), row.url(), row.startedAt(), row.heartbeat(),
                    isAlive(row, now, takeOverAfter), theirs));
        }
        return out;
    }

    private List<String> heldHere() {
        return holds.values().stream().filter(h -> h.held != null).map(h -> h.connection).sorted().toList();
    }

    /**
     * @return how many connections this node holds now
     */
    public int heldCount() {
        return heldHere().size();
    }

    /**
     * @return what the node has counted since it started
     */
    public Counts counts() {
        return new Counts(lost.get(), refused.get());
    }

    // ---------------------------------------------------------------- leaving

    /**
     * Leaves the cluster: lets every connection go (each running cycle ends after its batch, within the stop grace)
     * so that the other nodes take them up at once rather than after the take-over time, then removes the node's
     * row.
     */
    @Override
    public void close() {
        leave();
    }

    /**
     * {@link #close()}, telling how it went.
     *
     * @return whether every running cycle ended within the stop grace
     */
    public boolean leave() {
        synchronized (holds) {
            if (stopping) {
                return !cutShort;
            }
            stopping = true;
        }
        holds.values().forEach(hold -> hold.end(Ending.STOPPING));
        scheduler.stop();
        beats.shutdownNow();
        try {
            database.leave(name);
        } catch (RuntimeException e) {
            log.atWarn().addKeyValue("node", name).addKeyValue("error", e.getMessage())
                    .log("node row not removed; it is forgotten once silent long enough");
        }
        log.atInfo().addKeyValue("node", name).log("node left the cluster");
        return !cutShort;
    }
}
