package dev.crmsync.app.check;

import dev.crmsync.adapters.customcrm.CustomcrmConnector;
import dev.crmsync.adapters.customcrm.CustomcrmSettings;
import dev.crmsync.adapters.http.Sleeper;
import dev.crmsync.adapters.webcrm.WebcrmConnector;
import dev.crmsync.adapters.webcrm.WebcrmTenantFields;
import dev.crmsync.app.config.CrmsyncConfig;
import dev.crmsync.engine.DeletePolicy;
import dev.crmsync.engine.DeleteRules;
import dev.crmsync.mapping.FlowMapping;
import dev.crmsync.model.Flow;
import dev.crmsync.model.Side;
import dev.crmsync.model.SideRecord;
import dev.crmsync.ports.Connector;
import dev.crmsync.ports.PermanentCrmException;
import dev.crmsync.ports.TransientCrmException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * {@code crmsync check}: before the first sync, reaches both systems with the configured credentials, reads one
 * page of each record type on each side, webCRM's field metadata and Customcrm's contract, and holds every
 * mapping of every flow against what it found. Nothing is written anywhere, and no store is opened.
 *
 * <p>What it reports, as {@link Finding}s: a system that cannot be reached or refuses the credentials (with the
 * system's reason, never the credential); mapped properties a system does not have; values that do not read as
 * their mapping says or would not be taken by the other system; values a value map has no pair for; properties a
 * create requires that no mapping writes; and stamp fields that cannot safely hold link ids.
 *
 * <p>What it cannot report: whether the webCRM token may write each mapped field. webCRM's API offers no way to
 * read a token's permissions, and a test write would change a customer's data, so this is said as an
 * {@link Severity#INFO} finding rather than checked. A sample is one page: a problem only older records have
 * can pass unseen.
 *
 * <p>Not threadsafe: one preflight runs on one thread; make a new one for each run.
 *
 * @see PreflightReport
 */
public final class Preflight {

    /** Where a Customcrm publishes its contract, below its base URL (see the contract's own {@code /openapi.yaml}). */
    static final String CONTRACT_PATH = "/openapi.yaml";

    private final CrmsyncConfig config;
    private final InstantSource clock;
    private final Sleeper sleeper;

    /**
     * @param config  the configuration to check
     * @param clock   the time source of the connectors' pacing and token expiry
     * @param sleeper how the connectors wait between retries; a system that cannot be reached is only reported
     *                once their retries are spent
     */
    public Preflight(CrmsyncConfig config, InstantSource clock, Sleeper sleeper) {
        this.config = Objects.requireNonNull(config, "config");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
    }

    /**
     * @param config the configuration to check
     * @return a preflight on the system clock that really waits
     */
    public static Preflight of(CrmsyncConfig config) {
        return new Preflight(config, InstantSource.system(), Sleeper.SYSTEM);
    }

    /**
     * Runs the checks. A failing system becomes a finding, not an exception: the other system is still checked.
     *
     * @return what was found
     */
    public PreflightReport run() {
        FindingList out = new FindingList();
        Set<Side> unreachable = EnumSet.noneOf(Side.class);
        Set<Side> refused = EnumSet.noneOf(Side.class);
        Map<Side, Map<Flow, List<Map<String, Object>>>> samples = new EnumMap<>(Side.class);
        WebcrmTenantFields fields = null;
        CustomcrmContract contract = null;
        try (WebcrmConnector webcrm = new WebcrmConnector(config.webcrm(), stampProperties(), clock, sleeper);
             CustomcrmConnector customcrm = new CustomcrmConnector(config.customcrm(), stampKeys(), clock, sleeper)) {
            deletePolicies(Map.of(Side.WEBCRM, webcrm, Side.CUSTOMCRM, customcrm), out);
            samples.put(Side.WEBCRM, sample(webcrm, out, unreachable, refused));
            if (!unreachable.contains(Side.WEBCRM)) {
                fields = tenantFields(webcrm, out);
            }
            samples.put(Side.CUSTOMCRM, sample(customcrm, out, unreachable, refused));
            if (!unreachable.contains(Side.CUSTOMCRM)) {
                contract = contract(out);
            }
        }
        // "A webCRM field the token may not write" cannot be checked: webCRM's API has no endpoint that tells a
        // token's rights (nothing in swagger-v1.json reads permissions), and a probe write would change the
        // customer's data. So it is said on every run, lest a clean report be read as "the token may write all".
        out.add(Severity.INFO, Finding.Kind.UNCHECKED, null, Side.WEBCRM, null, "whether the token may write "
                + "each mapped field cannot be checked without writing: webCRM's API offers no permission read");
        Map<Flow, Map<Side, Integer>> sampled = new EnumMap<>(Flow.class);
        for (Flow flow : Flow.values()) {
            FlowMapping mapping = config.mappings().get(flow);
            Map<Side, List<Map<String, Object>>> flowSamples = new EnumMap<>(Side.class);
            samples.forEach((side, byFlow) -> {
                if (byFlow.containsKey(flow)) {
                    flowSamples.put(side, byFlow.get(flow));
                }
            });
            Map<Side, Integer> counts = new EnumMap<>(Side.class);
            flowSamples.forEach((side, rows) -> counts.put(side, rows.size()));
            sampled.put(flow, counts);
            if (mapping != null) {
                FlowInputs inputs = new FlowInputs(mapping, flowSamples, fields, contract, out);
                Set<String> known = new PropertyChecks(inputs).run();
                new ValueChecks(inputs, known).run();
                new StampChecks(inputs).run();
            }
        }
        return new PreflightReport(out.sorted(), unreachable, refused, sampled);
    }

    /**
     * Says where {@code propagate} cannot be carried out: webCRM's API deletes no organisations and persons, so a
     * delete seen in Customcrm retires their link instead and leaves the webCRM record as it is.
     */
    private void deletePolicies(Map<Side, Connector> connectors, FindingList out) {
        for (Flow flow : Flow.values()) {
            DeleteRules rules = config.sync().deleteRules().get(flow);
            for (Side seen : Side.values()) {
                Side other = seen.other();
                if (rules.onDeleteSeenOn(seen) == DeletePolicy.PROPAGATE && !connectors.get(other).canDelete(flow)) {
                    out.add(Severity.INFO, Finding.Kind.DELETE_POLICY, flow, other, null, "propagate: "
                            + other.label() + " cannot delete " + flow.webcrmCollection() + " through its API, "
                            + "so a delete seen in " + seen.label() + " retires the link and leaves the "
                            + other.label() + " record as it is (set delete-on-" + seen.configName()
                            + ": mark to mark it instead)");
                }
            }
        }
    }

    // ---------------------------------------------------------------- reading the systems

    /**
     * Reads the first page of each flow. The first read is also the login: when it fails, the system is taken
     * as unreachable and not asked again, and as refused when it answered with a refusal rather than not at all;
     * a later failure concerns that flow's read only.
     */
    private static Map<Flow, List<Map<String, Object>>> sample(Connector connector, FindingList out,
                                                               Set<Side> unreachable, Set<Side> refused) {
        Side side = connector.side();
        Map<Flow, List<Map<String, Object>>> samples = new EnumMap<>(Flow.class);
        for (Flow flow : Flow.values()) {
            try {
                samples.put(flow, firstPage(connector, flow));
            } catch (TransientCrmException | PermanentCrmException e) {
                if (samples.isEmpty()) {
                    unreachable.add(side);
                    if (e instanceof PermanentCrmException) {
                        refused.add(side);
                    }
                    out.add(Severity.ERROR, Finding.Kind.CONNECTION, null, side, null, e.getMessage());
                    return samples;
                }
                out.add(Severity.ERROR, Finding.Kind.READ, flow, side, null, "could not read the first page of "
                        + flow.entityOn(side) + " records: " + e.getMessage());
            }
        }
        return samples;
    }

    /**
     * One page through the connector's own read, so the preflight reads exactly as a sync would: the sink stops
     * the read after the first page by throwing, which the port allows ("the read stops if it throws").
     */
    private static List<Map<String, Object>> firstPage(Connector connector, Flow flow) {
        List<SideRecord> page = new ArrayList<>();
        try {
            connector.readChanges(flow, null, records -> {
                page.addAll(records);
                throw FirstPageRead.INSTANCE;
            });
        } catch (FirstPageRead enough) {
            // The one page wanted has been read.
        }
        return page.stream().filter(r -> !r.deleted()).map(SideRecord::properties).toList();
    }

    private static WebcrmTenantFields tenantFields(WebcrmConnector webcrm, FindingList out) {
        try {
            return WebcrmTenantFields.read(webcrm);
        } catch (TransientCrmException | PermanentCrmException e) {
            out.add(Severity.WARNING, Finding.Kind.READ, null, Side.WEBCRM, null, "could not read webCRM's field "
                    + "metadata (" + e.getMessage() + "); checks of custom fields rest on the sampled records alone");
            return null;
        }
    }

    /**
     * Reads the contract the Customcrm publishes. It is optional for a Customcrm to serve it, so its absence is a
     * warning: the checks of Customcrm property names, types and required fields are then skipped.
     */
    private CustomcrmContract contract(FindingList out) {
        CustomcrmSettings settings = config.customcrm();
        String base = settings.url().toString().replaceAll("/+$", "");
        URI uri = URI.create(base + CONTRACT_PATH);
        String problem;
        try (HttpClient http = HttpClient.newBuilder().connectTimeout(settings.timeout())
                .followRedirects(HttpClient.Redirect.NEVER).build()) {
            // The key goes along for a server that guards its contract; it is the server the key is meant for.
            HttpRequest request = HttpRequest.newBuilder(uri).timeout(settings.timeout()).GET()
                    .header("Accept", "application/yaml, application/openapi+yaml, text/yaml, application/json")
                    .header("Authorization", "Bearer " + settings.apiKey().reveal()).build();
            HttpResponse<String> answer = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (answer.statusCode() == 200) {
                return CustomcrmContract.parse(answer.body());
            }
            problem = "it answered " + answer.statusCode();
        } catch (IOException e) {
            problem = "no answer (" + e.getClass().getSimpleName() + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            problem = "interrupted";
        } catch (IllegalArgumentException e) {
            problem = "it is not a contract crmsync can read: " + e.getMessage();
        }
        out.add(Severity.WARNING, Finding.Kind.CONTRACT, null, Side.CUSTOMCRM, null, "could not read the contract at "
                + uri + " (" + problem + "); Customcrm property names, types and required fields were not checked");
        return null;
    }

    /**
     * The connector wants a usable stamp property per flow, but the preflight never writes or looks records up
     * by stamp, so a missing or unusable one is replaced here and reported by {@link StampChecks} instead of
     * failing the whole check.
     */
    private Map<Flow, String> stampProperties() {
        Map<Flow, String> stamps = new EnumMap<>(Flow.class);
        for (Flow flow : Flow.values()) {
            FlowMapping mapping = config.mappings().get(flow);
            String stamp = mapping == null ? "" : mapping.webcrmStampProperty();
            stamps.put(flow, stamp.matches("[A-Za-z][A-Za-z0-9_]*") && stamp.startsWith(flow.webcrmEntity())
                    ? stamp : flow.webcrmEntity() + "Custom5");
        }
        return stamps;
    }

    private Map<Flow, String> stampKeys() {
        Map<Flow, String> keys = new EnumMap<>(Flow.class);
        config.mappings().forEach((flow, mapping) -> keys.put(flow, mapping.customcrmStampKey()));
        return keys;
    }

    /** Stops a read after its first page; carries no stack, since it is no error. */
    private static final class FirstPageRead extends RuntimeException {
        static final FirstPageRead INSTANCE = new FirstPageRead();

        private FirstPageRead() {
            super("first page read", null, false, false);
        }
    }
}
