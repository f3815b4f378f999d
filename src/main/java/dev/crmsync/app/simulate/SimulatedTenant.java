package dev.crmsync.app.simulate;

/**
 * One tenant of a simulator, as the control machinery both simulators share sees it: its number and the faults,
 * traffic counts and credential switch that belong to it alone. A simulator serves tenants 1 to N on one port and
 * tells them apart by the credentials a request carries ({@link SimulatorTenants}); each simulator's own tenant type
 * adds the tenant's data.
 *
 * <p>This class is threadsafe.
 */
public abstract class SimulatedTenant {

    private final int number;
    private final FaultInjector faults;
    private final TrafficLog traffic;
    private final CredentialRevocation revocation = new CredentialRevocation();

    /**
     * @param number  the tenant's number, from 1
     * @param faults  the faults its requests meet
     * @param traffic where its requests are counted
     */
    protected SimulatedTenant(int number, FaultInjector faults, TrafficLog traffic) {
        this.number = number;
        this.faults = faults;
        this.traffic = traffic;
    }

    /**
     * @return the tenant's number, from 1
     */
    public final int number() {
        return number;
    }

    /**
     * @return the faults injected into this tenant's requests, to queue or switch faults from a test
     */
    public final FaultInjector faults() {
        return faults;
    }

    /**
     * @return the counts of this tenant's requests answered
     */
    public final TrafficLog traffic() {
        return traffic;
    }

    /**
     * @return the switch that withdraws this tenant's credentials, at once or after some writes; also
     *         {@code /_sim/revoke}
     */
    public final CredentialRevocation revocation() {
        return revocation;
    }
}
