package dev.crmsync.app.config;

import dev.crmsync.adapters.customcrm.CustomcrmSettings;
import dev.crmsync.adapters.http.Resilience;
import dev.crmsync.adapters.http.RetryPolicy;
import dev.crmsync.adapters.store.StoreAddress;
import dev.crmsync.adapters.webcrm.WebcrmSettings;
import dev.crmsync.engine.ConflictPolicy;
import dev.crmsync.engine.DeleteMark;
import dev.crmsync.engine.DeletePolicy;
import dev.crmsync.engine.DeleteRules;
import dev.crmsync.engine.SyncSettings;
import dev.crmsync.mapping.DefaultMappings;
import dev.crmsync.mapping.FlowMapping;
import dev.crmsync.model.Flow;
import dev.crmsync.model.Secret;
import dev.crmsync.model.Side;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Reads the YAML configuration file. The minimal file names the two systems and the store:
 *
 * <pre>
 * webcrm:    { url: http://127.0.0.1:8081, token: ${WEBCRM_TOKEN} }
 * customcrm: { url: http://127.0.0.1:8082, api-key: ${CUSTOMCRM_API_KEY} }
 * store:     { url: jdbc:sqlite:crmsync.db }
 * </pre>
 *
 * Everything else has a default; see the README for every key. A wrong or incomplete file fails here, with a
 * message that names the key and the problem: a key given twice (with both lines), every unknown key at once
 * (with the known key it is closest to), then the first wrong value. A relative SQLite path is taken relative to
 * the file's folder, so a configuration means the same store wherever it is run from.
 *
 * <p>{@code ${VAR}} is resolved as a key is read. The credentials ({@code webcrm.token}, {@code customcrm.api-key},
 * {@code server.token}) are read only by a loader that needs them: the commands that only read the store or the
 * file use {@link #withoutCredentials()}, so they work without the environment that holds the secrets.
 *
 * <p>This class is threadsafe.
 *
 * @see KnownKeys
 * @see DuplicateKeys
 */
public final class ConfigLoader {

    private static final String WEBCRM_STAMP_FIELD = "webcrm-stamp-field";
    private static final YAMLMapper YAML = YAMLMapper.builder().build();

    /**
     * What {@code webcrm.token} and {@code customcrm.api-key} hold in a configuration loaded
     * {@link #withoutCredentials() without credentials}: nothing. A system refuses it, should it ever be sent.
     */
    public static final Secret NOT_READ = new Secret("");

    private final Map<String, String> env;
    private final boolean readCredentials;

    /**
     * A loader that reads everything, the credentials included, and names the variable of any that is not set.
     *
     * @param env the environment {@code ${VAR}} is read from
     */
    public ConfigLoader(Map<String, String> env) {
        this(env, true);
    }

    private ConfigLoader(Map<String, String> env, boolean readCredentials) {
        this.env = Map.copyOf(env);
        this.readCredentials = readCredentials;
    }

    /**
     * A loader for a command that reaches neither system and serves nothing ({@code links}, {@code conflicts},
     * {@code dead-letters}, {@code docs}): it checks the whole file as this loader does, but does not read the
     * credentials' values, so their environment variables need not be set. Its configurations hold
     * {@link #NOT_READ} for {@code webcrm.token} and {@code customcrm.api-key} and no {@code server.token}: never
     * connect or serve with them.
     *
     * @return a loader that leaves the credentials unread
     */
    public ConfigLoader withoutCredentials() {
        return new ConfigLoader(env, false);
    }

    /**
     * @param file the configuration file
     * @return the validated configuration of its one connection
     * @throws ConfigException naming the key and the problem, or saying that the file is not there (with its
     *                         absolute path), or that it holds several connections
     */
    public CrmsyncConfig load(Path file) {
        return load(file, null);
    }

    /**
     * @param file       the configuration file
     * @param connection the connection to pick, or null for the file's only one
     * @return the validated configuration of that connection
     * @throws ConfigException naming the key and the problem, or the connections there are when {@code connection}
     *                         is none of them, or is null and the file holds several
     */
    public CrmsyncConfig load(Path file, String connection) {
        return pick(loadAll(file), connection);
    }

    /**
     * @param file the configuration file
     * @return every connection of the file, in its order: one, named {@value CrmsyncConfig#DEFAULT_CONNECTION},
     *         for a file without {@code connections:}
     * @throws ConfigException naming the key and the problem, or saying that the file is not there
     */
    public List<CrmsyncConfig> loadAll(Path file) {
        Path absolute = file.toAbsolutePath().normalize();
        if (Files.isDirectory(absolute)) {
            throw new ConfigException("the configuration file " + absolute + " is a folder, not a file");
        }
        String text;
        try {
            text = Files.readString(absolute);
        } catch (NoSuchFileException e) {
            throw new ConfigException("configuration file not found: " + absolute);
        } catch (AccessDeniedException e) {
            throw new ConfigException("cannot read the configuration file " + absolute + ": permission denied");
        } catch (CharacterCodingException e) {
            throw new ConfigException("cannot read the configuration file " + absolute + ": it is not UTF-8 text");
        } catch (IOException e) {
            throw new ConfigException("cannot read the configuration file " + absolute + ": " + e.getMessage());
        }
        return parseAll(text, absolute.getParent());
    }

    /**
     * @param yaml   the configuration text
     * @param folder the folder relative SQLite paths are resolved against
     * @return the validated configuration of its one connection
     * @throws ConfigException naming the key and the problem, or saying that the file holds several connections
     */
    public CrmsyncConfig parse(String yaml, Path folder) {
        return pick(parseAll(yaml, folder), null);
    }

    /**
     * @param yaml   the configuration text
     * @param folder the folder relative SQLite paths are resolved against
     * @return every connection of the file, in its order
     * @throws ConfigException naming the key and the problem
     */
    public List<CrmsyncConfig> parseAll(String yaml, Path folder) {
        JsonNode root;
        String shielded = Section.shieldVariables(yaml);
        try {
            root = YAML.readTree(shielded);
            DuplicateKeys.refuse(shielded, YAML);
        } catch (JacksonException e) {
            throw new ConfigException("the configuration is not valid YAML: " + syntaxError(e));
        }
        KnownKeys.refuseUnknown(root);
        Section top = new Section("", root, env);
        StoreAddress store = store(top.section("store"), folder);
        NotifySettings notify = top.has("notify") ? notify(top.section("notify")) : null;
        List<CrmsyncConfig> connections = new ArrayList<>();
        if (top.has("connections")) {
            for (String own : new String[] {"webcrm", "customcrm", "sync", "mappings"}) {
                if (top.has(own)) {
                    throw new ConfigException(own, "goes inside each connection when the file has connections: "
                            + "move it under the connection it belongs to");
                }
            }
            Set<String> names = new LinkedHashSet<>();
            for (Section item : top.sections("connections")) {
                String name = connectionName(item);
                if (!names.add(name)) {
                    throw new ConfigException(item.key("name"), "'" + name + "' names two connections; each "
                            + "connection needs a name of its own");
                }
                connections.add(connection(item.named("connections[" + name + "]"), name,
                        store.forConnection(name), store, top, notify));
            }
            if (connections.isEmpty()) {
                throw new ConfigException("connections", "must list at least one connection");
            }
        } else {
            connections.add(connection(top, CrmsyncConfig.DEFAULT_CONNECTION, store, store, top, notify));
        }
        top.refuseUnknownKeys();
        return List.copyOf(connections);
    }

    private static String connectionName(Section item) {
        String name = item.requiredString("name").strip();
        if (!name.matches("[a-z0-9-]{1,40}")) {
            throw new ConfigException(item.key("name"), "'" + name + "' is not a connection name: use 1 to 40 "
                    + "lower-case letters, digits and '-', e.g. acme or acme-eu; it names the connection's state in "
                    + "the store, so keep it once chosen");
        }
        return name;
    }

    /**
     * One connection: its own systems, policies and mappings from {@code own}, the service's settings from
     * {@code shared} (the same section for a file of one connection).
     */
    private CrmsyncConfig connection(Section own, String name, StoreAddress store, StoreAddress fileStore,
                                     Section shared, NotifySettings notify) {
        for (String required : new String[] {"webcrm", "customcrm"}) {
            if (!own.has(required)) {
                throw new ConfigException(own.key(required), "is required");
            }
        }
        Section webcrmSection = own.section("webcrm");
        Locale countryLanguage = language(webcrmSection);
        WebcrmSettings webcrm = webcrm(webcrmSection);
        CustomcrmSettings customcrm = customcrm(own.section("customcrm"));
        Section sync = own.section("sync");
        SyncSettings settings = sync(sync);
        Map<Flow, FlowMapping> mappings = new MappingReader(countryLanguage)
                .read(own.section("mappings"), DefaultMappings.all(countryLanguage));
        mappings = stamps(sync.section("flows"), mappings);
        ServiceSettings service = server(shared.section("server"), schedules(sync), cluster(shared.section("cluster"),
                fileStore));
        own.refuseUnknownKeys();
        return new CrmsyncConfig(webcrm, customcrm, store, settings, mappings, service, notify, name);
    }

    /**
     * @throws ConfigException naming {@code --connection} and the connections there are
     */
    private static CrmsyncConfig pick(List<CrmsyncConfig> connections, String connection) {
        List<String> names = connections.stream().map(CrmsyncConfig::connection).toList();
        if (connection == null) {
            if (connections.size() == 1) {
                return connections.get(0);
            }
            throw new ConfigException("--connection", "the file holds " + connections.size() + " connections ("
                    + String.join(", ", names) + "); name one with --connection NAME");
        }
        return connections.stream().filter(c -> c.connection().equals(connection)).findFirst()
                .orElseThrow(() -> new ConfigException("--connection", "the file has no connection '" + connection
                        + "'; its connections: " + String.join(", ", names)));
    }

    private WebcrmSettings webcrm(Section s) {
        URI url = url(s, "url");
        Secret token = credential(s, "token");
        ZoneId zone;
        try {
            zone = ZoneId.of(s.string("time-zone", "Europe/Copenhagen").strip());
        } catch (DateTimeException e) {
            throw new ConfigException(s.key("time-zone"), "'" + s.string("time-zone", "") + "' is not a time zone");
        }
        Duration overlap = duration(s, "overlap", "10m");
        int pageSize = s.integer("page-size", 500, 1, 1000);
        int rate = s.integer("requests-per-minute", 240, 1, 250);
        Duration timeout = duration(s, "timeout", "30s");
        int writeBatch = s.integer("write-batch-size", WebcrmSettings.DEFAULT_WRITE_BATCH_SIZE, 1,
                WebcrmSettings.MAX_WRITE_BATCH_SIZE);
        Resilience resilience = resilience(s);
        s.refuseUnknownKeys();
        return new WebcrmSettings(url, token, zone, overlap, pageSize, rate, timeout, writeBatch, resilience);
    }

    private Locale language(Section s) {
        String tag = s.string("country-language", "en").strip();
        Locale locale = Locale.forLanguageTag(tag);
        if (locale.getLanguage().isEmpty()) {
            throw new ConfigException(s.key("country-language"), "'" + tag + "' is not a language tag such as en or da");
        }
        return locale;
    }

    private CustomcrmSettings customcrm(Section s) {
        URI url = url(s, "url");
        Secret key = credential(s, "api-key");
        int pageSize = s.integer("page-size", 500, 1, 1000);
        Duration timeout = duration(s, "timeout", "30s");
        int writeBatch = s.integer("write-batch-size", CustomcrmSettings.DEFAULT_WRITE_BATCH_SIZE, 1,
                CustomcrmSettings.MAX_WRITE_BATCH_SIZE);
        Resilience resilience = resilience(s);
        s.refuseUnknownKeys();
        return new CustomcrmSettings(url, key, pageSize, timeout, writeBatch, resilience);
    }

    /** The same keys in both systems' sections, read in one place: crmsync has one retry policy. */
    private Resilience resilience(Section s) {
        Resilience defaults = Resilience.ofDefaults();
        RetryPolicy.Settings retry = defaults.retry();
        RetryPolicy.Settings read = retry(s, retry.maxAttempts(), retry.maxRetryAfter());
        Duration open = duration(s, "circuit-open", Durations.format(defaults.circuitOpen()));
        if (open.isZero()) {
            throw new ConfigException(s.key("circuit-open"), "must be longer than 0s");
        }
        return new Resilience(read, open);
    }

    /** {@code retry-attempts}, {@code retry-backoff} and {@code retry-max-backoff}, wherever crmsync retries. */
    private static RetryPolicy.Settings retry(Section s, int defaultAttempts, Duration maxRetryAfter) {
        RetryPolicy.Settings defaults = RetryPolicy.Settings.ofDefaults();
        int attempts = s.integer("retry-attempts", defaultAttempts, 1, 20);
        Duration first = duration(s, "retry-backoff", Durations.format(defaults.firstBackoff()));
        Duration max = duration(s, "retry-max-backoff", Durations.format(defaults.maxBackoff()));
        if (max.compareTo(first) < 0) {
            throw new ConfigException(s.key("retry-max-backoff"), "must not be shorter than retry-backoff ("
                    + Durations.format(first) + ")");
        }
        return new RetryPolicy.Settings(attempts, first, max, maxRetryAfter);
    }

    /**
     * Reads {@code notify:}. Its URL and header values may hold secrets (a chat webhook's token is its path), so
     * they are read like the credentials: left unread, with their variables, by a loader without credentials.
     */
    private NotifySettings notify(Section s) {
        URI url;
        Map<String, Secret> headers = new java.util.LinkedHashMap<>();
        Section headerSection = s.section("headers");
        if (readCredentials) {
            url = url(s, "url");
            for (String name : headerSection.keys()) {
                if (!name.matches("[!#$%&'*+.^_`|~0-9A-Za-z-]+")) {
                    throw new ConfigException(headerSection.key(name), "is not a header name");
                }
                headers.put(name, new Secret(headerSection.requiredString(name)));
            }
        } else {
            if (!s.hasUnresolved("url")) {
                throw new ConfigException(s.key("url"), "is required");
            }
            url = URI.create("http://notify.invalid");
            headerSection.keys().forEach(headerSection::hasUnresolved);
        }
        headerSection.refuseUnknownKeys();
        Duration timeout = duration(s, "timeout", "10s");
        if (timeout.isZero()) {
            throw new ConfigException(s.key("timeout"), "must be longer than 0s");
        }
        RetryPolicy.Settings retry = retry(s, 3, NotifySettings.MAX_RETRY_AFTER);
        int threshold = s.has("dead-letter-threshold")
                ? s.integer("dead-letter-threshold", 0, 1, Integer.MAX_VALUE) : 0;
        s.refuseUnknownKeys();
        return new NotifySettings(url, headers, timeout, retry, threshold);
    }

    private StoreAddress store(Section s, Path folder) {
        String url = s.string("url", "jdbc:sqlite:crmsync.db").strip();
        StoreAddress given = StoreAddress.of(url);
        if (given.isPostgres()) {
            return postgresStore(s, url);
        }
        s.refuseUnknownKeys();
        if (!given.isSqlite()) {
            throw new ConfigException(s.key("url"), "'" + given.redactedUrl() + "' is not a "
                    + "supported store; use jdbc:sqlite:FILE or jdbc:postgresql://HOST/DATABASE");
        }
        String file = url.substring("jdbc:sqlite:".length());
        if (file.isBlank() || file.startsWith(":memory:")) {
            throw new ConfigException(s.key("url"), "needs a file, e.g. jdbc:sqlite:crmsync.db; the state must survive a restart");
        }
        Path path = Path.of(file);
        return StoreAddress.of("jdbc:sqlite:" + (path.isAbsolute() || folder == null ? path : folder.resolve(path).normalize()));
    }

    /**
     * Unlike the systems' tokens, the store's password is read by every loader: the commands that skip the tokens
     * ({@code crmsync links} and the like) are exactly those that read the store.
     */
    private StoreAddress postgresStore(Section s, String url) {
        if (!url.matches("jdbc:postgresql://[^/?]+/[^/?]+([?].*)?")) {
            throw new ConfigException(s.key("url"), "'" + StoreAddress.of(url).redactedUrl() + "' is not a "
                    + "PostgreSQL URL such as jdbc:postgresql://db.example.com:5432/crmsync");
        }
        String user = s.string("user", null);
        String password = s.string("password", null);
        s.refuseUnknownKeys();
        if (user != null && user.isBlank()) {
            throw new ConfigException(s.key("user"), "must not be blank; leave it out to use the URL's");
        }
        return new StoreAddress(url, user == null ? null : user.strip(), password == null ? null : new Secret(password));
    }

    private SyncSettings sync(Section s) {
        SyncSettings defaults = SyncSettings.ofDefaults();
        ConflictPolicy base = defaults.conflictPolicy();
        ConflictPolicy.Kind kind = parse(s, "conflict-policy", base.kind().configName(), ConflictPolicy.Kind::fromConfigName);
        Duration tolerance = duration(s, "clock-tolerance", base.tolerance().toSeconds() + "s");
        Side tieBreaker = parse(s, "tie-breaker", "webcrm", Side::fromConfigName);
        boolean emptyOverwrites = s.bool("empty-overwrites", base.emptyOverwrites());
        s.string("interval", null);
        s.string("reconcile-interval", null);
        double threshold = s.number("delete-threshold", defaults.deleteThreshold());
        if (!(threshold >= 0 && threshold <= 1)) {
            throw new ConfigException(s.key("delete-threshold"), "must be a share between 0 and 1, e.g. 0.2 for 20 %");
        }
        int minimum = s.integer("delete-minimum", defaults.deleteMinimum(), 1, Integer.MAX_VALUE);
        Duration deleteWindow = duration(s, "delete-window", defaults.deleteWindow().toMinutes() + "m");
        int attempts = s.integer("max-attempts", defaults.maxAttempts(), 1, 100);
        Duration backoff = duration(s, "retry-backoff", defaults.retryBackoff().toSeconds() + "s");
        int batchSize = s.integer("batch-size", defaults.batchSize(), 1, 1000);
        Map<Flow, DeleteRules> deletes = new EnumMap<>(Flow.class);
        Section flows = s.section("flows");
        for (String name : flows.keys()) {
            Flow flow;
            try {
                flow = Flow.fromConfigName(name);
            } catch (IllegalArgumentException e) {
                throw new ConfigException(flows.key(name), e.getMessage());
            }
            Section f = flows.section(name);
            deletes.put(flow, deleteRules(f));
            f.string(WEBCRM_STAMP_FIELD, null);
            f.string("interval", null);
            f.string("reconcile-interval", null);
            f.refuseUnknownKeys();
        }
        s.refuseUnknownKeys();
        return new SyncSettings(new ConflictPolicy(kind, tolerance, tieBreaker, emptyOverwrites), deletes,
                threshold, minimum, attempts, backoff, batchSize, deleteWindow);
    }

    /**
     * Reads a flow's {@code delete} (both sides), {@code delete-on-webcrm} and {@code delete-on-customcrm} (the side
     * the delete was seen on; each overrides {@code delete}), and {@code mark-on-webcrm} / {@code mark-on-customcrm}
     * (what {@code mark} writes on the surviving record of that side).
     */
    private static DeleteRules deleteRules(Section f) {
        DeletePolicy both = parse(f, "delete", "propagate", DeletePolicy::fromConfigName);
        Map<Side, DeletePolicy> seenOn = new EnumMap<>(Side.class);
        Map<Side, DeleteMark> marks = new EnumMap<>(Side.class);
        for (Side side : Side.values()) {
            String key = "delete-on-" + side.configName();
            seenOn.put(side, f.string(key, null) == null ? both : parse(f, key, null, DeletePolicy::fromConfigName));
            if (!f.has("mark-on-" + side.configName())) {
                f.section("mark-on-" + side.configName());
                continue;
            }
            Section mark = f.section("mark-on-" + side.configName());
            String property = mark.requiredString("property");
            String value = mark.string("value", null);
            if (value == null) {
                throw new ConfigException(mark.key("value"), "is required: the value the mark writes");
            }
            mark.refuseUnknownKeys();
            marks.put(side, new DeleteMark(property.strip(), value));
        }
        for (Side survivor : Side.values()) {
            Side seen = survivor.other();
            boolean marking = seenOn.get(seen) == DeletePolicy.MARK;
            String markKey = f.key("mark-on-" + survivor.configName());
            if (marking && !marks.containsKey(survivor)) {
                throw new ConfigException(markKey, "is required: a delete seen on " + seen.label() + " is to mark the "
                        + survivor.label() + " record, e.g. mark-on-" + survivor.configName() + ": { property: "
                        + (survivor == Side.WEBCRM ? "PersonStatus, value: Resigned" : "status, value: resigned") + " }");
            }
            if (!marking && marks.containsKey(survivor)) {
                throw new ConfigException(markKey, "is set, but a delete seen on " + seen.label()
                        + " does not mark (set delete-on-" + seen.configName() + ": mark, or remove this key)");
            }
        }
        return new DeleteRules(seenOn, marks);
    }

    /**
     * Reads {@code sync.interval} and {@code sync.reconcile-interval}, and their overrides under
     * {@code sync.flows.<flow>}: a flow inherits whatever it does not set.
     */
    private static Map<Flow, ServiceSettings.Schedule> schedules(Section sync) {
        ServiceSettings.Schedule base = ServiceSettings.DEFAULT_SCHEDULE;
        ServiceSettings.Schedule common = schedule(sync, base, sync.key("reconcile-interval"));
        Map<Flow, ServiceSettings.Schedule> out = new EnumMap<>(Flow.class);
        Section flows = sync.section("flows");
        for (Flow flow : Flow.values()) {
            Section f = flows.section(flow.configName());
            out.put(flow, schedule(f, common, f.key("reconcile-interval")));
        }
        return out;
    }

    private static ServiceSettings.Schedule schedule(Section s, ServiceSettings.Schedule inherited, String blame) {
        Duration interval = s.string("interval", null) == null ? inherited.interval() : duration(s, "interval", null);
        Duration reconcile = s.string("reconcile-interval", null) == null
                ? inherited.reconcileInterval() : duration(s, "reconcile-interval", null);
        if (interval.isZero() || interval.isNegative()) {
            throw new ConfigException(s.key("interval"), "must be a positive duration such as 30s");
        }
        if (reconcile.compareTo(interval) < 0) {
            throw new ConfigException(blame, "must be at least the interval (" + Durations.format(interval)
                    + "); a reconciliation also reads the changes");
        }
        return new ServiceSettings.Schedule(interval, reconcile);
    }

    /**
     * @return the credential under {@code key}, or {@link #NOT_READ} when this loader leaves credentials unread
     * @throws ConfigException when it is not given, or its variable is not set
     */
    private Secret credential(Section s, String key) {
        if (readCredentials) {
            return new Secret(s.requiredString(key));
        }
        if (!s.hasUnresolved(key)) {
            throw new ConfigException(s.key(key), "is required");
        }
        return NOT_READ;
    }

    private static ClusterSettings cluster(Section s, StoreAddress store) {
        ClusterSettings defaults = ClusterSettings.ofDefaults();
        String node = s.string("node", null);
        if (node != null && !node.strip().matches(ClusterSettings.NODE_NAME)) {
            throw new ConfigException(s.key("node"), "'" + node + "' is not a node name: use 1 to 60 letters, digits, "
                    + "'.', '_' and '-', e.g. crmsync-1");
        }
        Duration takeOver = duration(s, "take-over-after", Durations.format(defaults.takeOverAfter()));
        if (takeOver.compareTo(ClusterSettings.SHORTEST_TAKE_OVER) < 0) {
            throw new ConfigException(s.key("take-over-after"), "must be at least 4s: the nodes' heartbeats come "
                    + "every quarter of it");
        }
        Duration poll = duration(s, "poll-interval", Durations.format(defaults.pollInterval()));
        if (poll.isZero() || poll.compareTo(takeOver) >= 0) {
            throw new ConfigException(s.key("poll-interval"), "must be longer than 0s and shorter than "
                    + "take-over-after (" + Durations.format(takeOver) + ")");
        }
        s.refuseUnknownKeys();
        return new ClusterSettings(node == null ? null : node.strip(), takeOver, poll, store);
    }

    private ServiceSettings server(Section s, Map<Flow, ServiceSettings.Schedule> schedules,
                                   ClusterSettings cluster) {
        ServiceSettings defaults = ServiceSettings.ofDefaults();
        String host = s.string("host", defaults.host()).strip();
        if (host.isEmpty()) {
            throw new ConfigException(s.key("host"), "must be an address to bind to, e.g. 127.0.0.1 or 0.0.0.0");
        }
        int port = s.integer("port", defaults.port(), 0, 65535);
        // Unread, server.token is left out: the service refuses to start without one rather than take a blank one.
        String token = readCredentials ? s.string("token", null) : null;
        if (!readCredentials) {
            s.hasUnresolved("token");
        }
        if (token != null && token.strip().length() < 16) {
            throw new ConfigException(s.key("token"), "is too short to guard the management API; use at least "
                    + "16 characters, e.g. the output of: openssl rand -hex 24");
        }
        URI publicUrl = s.has("public-url") ? url(s, "public-url") : null;
        s.refuseUnknownKeys();
        return new ServiceSettings(host, port, token == null ? null : new Secret(token.strip()), publicUrl, schedules,
                cluster);
    }

    /**
     * Reads {@code sync.flows.<flow>.webcrm-stamp-field}: the webCRM custom field a flow stamps the records it
     * creates with. It must be one of the entity's free text slots, since crmsync writes a link id into it.
     */
    private static Map<Flow, FlowMapping> stamps(Section flows, Map<Flow, FlowMapping> mappings) {
        Map<Flow, FlowMapping> out = new EnumMap<>(mappings);
        for (String name : flows.keys()) {
            Flow flow = Flow.fromConfigName(name);
            Section f = flows.section(name);
            String field = f.string(WEBCRM_STAMP_FIELD, null);
            if (field == null) {
                continue;
            }
            String entity = flow.webcrmEntity();
            if (!field.strip().matches(entity + "(Custom([1-9]|1[0-5])|Plus([1-9]|1[0-9]|20))"
                    + (flow == Flow.ORGANISATIONS ? "|OrganisationExtraCustom[1-8]" : ""))) {
                throw new ConfigException(f.key(WEBCRM_STAMP_FIELD), "'" + field + "' is not a free text field of a "
                        + "webCRM " + entity + "; use one of " + entity + "Custom1.." + entity + "Custom15");
            }
            try {
                out.put(flow, out.get(flow).withWebcrmStampProperty(field.strip()));
            } catch (IllegalArgumentException e) {
                throw new ConfigException(f.key(WEBCRM_STAMP_FIELD), e.getMessage());
            }
        }
        return out;
    }

    private static <T> T parse(Section s, String key, String fallback, java.util.function.Function<String, T> parser) {
        String text = s.string(key, fallback);
        try {
            return parser.apply(text);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(s.key(key), e.getMessage());
        }
    }

    private static Duration duration(Section s, String key, String fallback) {
        return Durations.parse(s.key(key), s.string(key, fallback));
    }

    private static URI url(Section s, String key) {
        String text = s.requiredString(key).strip();
        try {
            URI uri = new URI(text);
            if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
                throw new ConfigException(s.key(key), "'" + text + "' is not an http(s) URL");
            }
            return new URI(text.endsWith("/") ? text.substring(0, text.length() - 1) : text);
        } catch (URISyntaxException e) {
            throw new ConfigException(s.key(key), "'" + text + "' is not a URL");
        }
    }

    /**
     * Says where the YAML breaks and why, by line and column. The parser's own message quotes the offending line,
     * and that line may hold a token written into the file; an error message must not carry it to a terminal or
     * a log.
     */
    private static String syntaxError(JacksonException e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof MarkedYamlEngineException marked) {
                String where = marked.getProblemMark().map(ConfigLoader::position).orElse("");
                // "while parsing a flow mapping" names the structure left open; other contexts say nothing more.
                String structure = marked.getContext() == null || !marked.getContext().startsWith("while parsing a ")
                        ? null : marked.getContext().substring("while parsing a ".length())
                        .replace("flow ", "").replace("block ", "");
                String context = structure == null ? "" : " (in the " + structure
                        + marked.getContextMark().map(m -> " that opens on " + position(m)).orElse("") + ")";
                return (where.isEmpty() ? "" : where + ": ") + marked.getProblem() + context;
            }
        }
        var location = e.getLocation();
        return location == null || location.getLineNr() < 1 ? "it could not be read"
                : "line " + location.getLineNr() + ", column " + location.getColumnNr() + ": it could not be read";
    }

    private static String position(Mark mark) {
        return "line " + (mark.getLine() + 1) + ", column " + (mark.getColumn() + 1);
    }
}
