package dev.crmsync.app.simulate;

import io.javalin.http.Context;
import java.util.List;
import java.util.Optional;

/**
 * The tenants of one simulator, numbered from 1, and which of them a request belongs to.
 *
 * <p>A simulator built for a number of tenants gives tenant {@code k} the credentials {@code <credential>-k}
 * ({@link #credential}); one built without keeps its single tenant's credentials as given, so that everything that
 * ran against it before runs unchanged. The simulator's credential check {@link #attach attaches} a request to the
 * tenant whose credentials it carries, before faults are injected, so that each tenant meets only its own faults
 * and counts only its own traffic. A request that carries no tenant's credentials is counted only in the total and
 * meets no faults, except in a simulator with a single tenant, which takes every request as its own, as it always
 * did.
 *
 * <p>This class is threadsafe: the tenants are fixed when it is made, and each is threadsafe.
 *
 * @param <T> the simulator's own tenant type
 */
public final class SimulatorTenants<T extends SimulatedTenant> {

    private static final String ATTRIBUTE = "crmsync.sim.tenant";

    private final List<T> tenants;
    private final boolean numbered;
    /** Requests that carried no tenant's credentials, which count in the total only. */
    private final TrafficLog unattributed = new TrafficLog();

    /**
     * @param tenants  the tenants, numbered 1 to N in this order
     * @param numbered whether the simulator was built for a number of tenants, whose credentials carry their number
     * @throws IllegalArgumentException when there is no tenant or the numbers are not 1 to N in order
     */
    public SimulatorTenants(List<T> tenants, boolean numbered) {
        if (tenants.isEmpty()) {
            throw new IllegalArgumentException("a simulator needs at least one tenant");
        }
        for (int i = 0; i < tenants.size(); i++) {
            if (tenants.get(i).number() != i + 1) {
                throw new IllegalArgumentException("tenant " + (i + 1) + " has number " + tenants.get(i).number());
            }
        }
        this.tenants = List.copyOf(tenants);
        this.numbered = numbered;
    }

    /**
     * @param given    a credential as the simulator was given it (an application token, an API key)
     * @param number   the tenant's number
     * @param numbered whether the simulator was built for a number of tenants
     * @return tenant {@code number}'s credential: {@code <given>-<number>}, or {@code given} itself when not numbered
     */
    public static String credential(String given, int number, boolean numbered) {
        return numbered ? given + "-" + number : given;
    }

    /**
     * Both simulators seed tenant {@code k} alike, so that webCRM's tenant {@code k} and Customcrm's hold the same
     * seed world's companies, as two simulators of one tenant with the same seed do.
     *
     * @param given  the simulator's seed
     * @param number a tenant's number
     * @return the seed of that tenant's data and random faults: {@code given + number - 1}, so that tenants hold
     *         different data and tenant 1 that of a simulator of one tenant
     */
    public static long seed(long given, int number) {
        return given + number - 1;
    }

    /**
     * @param tenants how many tenants a simulator is asked for
     * @return the count, checked
     * @throws IllegalArgumentException when it is below 1
     */
    public static int checkCount(int tenants) {
        if (tenants < 1) {
            throw new IllegalArgumentException("tenants must be 1 or more: " + tenants);
        }
        return tenants;
    }

    /**
     * @return every tenant, in number order
     */
    public List<T> all() {
        return tenants;
    }

    /**
     * @return true when the simulator was built for a number of tenants, so that credentials carry the number and
     *         the control routes for all tenants answer tenant by tenant
     */
    public boolean numbered() {
        return numbered;
    }

    /**
     * @param number a tenant's number
     * @return that tenant
     * @throws IllegalArgumentException when the simulator has no such tenant
     */
    public T get(int number) {
        if (number < 1 || number > tenants.size()) {
            throw new IllegalArgumentException("no tenant " + number + ": " + range());
        }
        return tenants.get(number - 1);
    }

    /**
     * @return the only tenant, for the methods that act on "the" tenant of a single-tenant simulator
     * @throws IllegalStateException when there are several, since picking one silently would hide a test's mistake
     */
    public T only() {
        if (tenants.size() > 1) {
            throw new IllegalStateException(range() + "; pick one with tenant(k)");
        }
        return tenants.getFirst();
    }

    /**
     * Marks a request as carrying {@code tenant}'s credentials; called by the simulator's credential check.
     *
     * @param ctx    the request
     * @param tenant the tenant whose credentials it carries
     */
    public void attach(Context ctx, T tenant) {
        ctx.attribute(ATTRIBUTE, tenant);
    }

    /**
     * @param ctx a request
     * @return the tenant whose credentials it carries, when it was attached to one
     */
    public Optional<T> credentialed(Context ctx) {
        return Optional.ofNullable(ctx.attribute(ATTRIBUTE));
    }

    /**
     * @param ctx a request the credential check has admitted
     * @return the tenant whose data it reaches
     * @throws IllegalStateException when it was attached to none, which the credential check should have refused
     */
    public T of(Context ctx) {
        return credentialed(ctx).orElseThrow(
                () -> new IllegalStateException("the request was not admitted by the credential check"));
    }

    /**
     * @param ctx a request
     * @return the tenant whose faults it meets and whose traffic it counts in: the one whose credentials it carries,
     *         or, in a single-tenant simulator, that tenant whatever it carries
     */
    public Optional<T> attributed(Context ctx) {
        Optional<T> credentialed = credentialed(ctx);
        return credentialed.isPresent() || tenants.size() > 1 ? credentialed : Optional.of(tenants.getFirst());
    }

    /**
     * @return the requests that carried no tenant's credentials
     */
    TrafficLog unattributed() {
        return unattributed;
    }

    /**
     * @return the counts of all requests answered, every tenant's and those that carried no tenant's credentials
     */
    public TrafficLog.Snapshot totalTraffic() {
        TrafficLog.Snapshot total = unattributed.snapshot();
        for (T tenant : tenants) {
            total = total.plus(tenant.traffic().snapshot());
        }
        return total;
    }

    /**
     * @return which tenants there are, in words, for a message about a tenant the simulator does not have
     */
    String range() {
        return tenants.size() == 1 ? "this simulator has only tenant 1"
                : "this simulator has tenants 1 to " + tenants.size();
    }
}
