package dev.crmsync.app.simulate;

/**
 * One tenant of a simulator, as the control machinery both simulators share sees it: its number and the faults,
 * traffic counts and credential switch that belong to it alone. A simulator serves tenants 1 to N on one port and
 * tells them apart by the credentials a request carries ({@link SimulatorTenants}).
 */
public interface SimulatedTenant {

    /**
     * @return the tenant's number, from 1
     */
    int number();

    /**
     * @return the faults injected into this tenant's requests
     */
    FaultInjector faults();

    /**
     * @return the counts of this tenant's requests
     */
    TrafficLog traffic();

    /**
     * @return the switch that withdraws this tenant's credentials
     */
    CredentialRevocation revocation();
}
