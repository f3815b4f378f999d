package dev.crmsync.app.simulate.customcrm;

import dev.crmsync.app.simulate.FaultInjector;
import dev.crmsync.app.simulate.SimulatedTenant;
import dev.crmsync.app.simulate.TrafficLog;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Supplier;
import tools.jackson.databind.JsonNode;

/**
 * One tenant of a {@link CustomcrmSimulator}: one customer's Customcrm, with its own database, its own API key and
 * its own faults, traffic counts and key revocation. A test reaches it by {@link CustomcrmSimulator#tenant(int)};
 * the {@code …AsUser} methods change its data as one of that customer's own users would, in the CRM's own screens:
 * they skip HTTP but obey the same rules and show in the change feed like any other change.
 *
 * <p>Its faults, counts and revocation last as long as the simulator; its data is reachable while the simulator
 * runs.
 *
 * <p>This class is threadsafe.
 */
public final class CustomcrmTenant extends SimulatedTenant {

    private final String apiKey;
    private final Path databaseFile;
    private volatile TenantStore store;

    /**
     * @param number       the tenant's number, from 1
     * @param apiKey       the API key that reaches this tenant and no other
     * @param databaseFile the SQLite file that keeps its data, or null for a private database
     * @param faults       the faults its requests meet
     */
    CustomcrmTenant(int number, String apiKey, Path databaseFile, FaultInjector faults) {
        super(number, faults, new TrafficLog());
        this.apiKey = apiKey;
        this.databaseFile = databaseFile;
    }

    /**
     * @return the API key clients send to reach this tenant
     */
    public String apiKey() {
        return apiKey;
    }

    /**
     * @return the SQLite file that keeps the tenant's data across restarts; empty for a private database, deleted
     *         on stop
     */
    public Optional<Path> databaseFile() {
        return Optional.ofNullable(databaseFile);
    }

    /**
     * Creates a record as one of the customer's own users would, in the CRM's own screens.
     *
     * @param type   the record type
     * @param fields the client fields, as in a {@code POST} body
     * @return the record as the API would show it
     * @throws IllegalArgumentException when the contract's rules refuse it; the message says why
     * @throws IllegalStateException    when the simulator is not running
     */
    public JsonNode createAsUser(RecordType type, Map<String, ?> fields) {
        return asUser(() -> records().create(type, CustomcrmJson.MAPPER.valueToTree(fields), null));
    }

    /**
     * Changes a record as one of the customer's own users would, whatever its version.
     *
     * @param type    the record type
     * @param id      the record's id
     * @param changes the fields to change, as in a merge patch: a null value removes the field
     * @return the record after the change
     * @throws IllegalArgumentException when there is no such live record or the rules refuse the change
     * @throws IllegalStateException    when the simulator is not running
     */
    public JsonNode editAsUser(RecordType type, String id, Map<String, ?> changes) {
        return asUser(() -> records().patch(type, id, CustomcrmJson.MAPPER.valueToTree(changes),
                OptionalLong.empty()));
    }

    /**
     * Deletes a record as one of the customer's own users would.
     *
     * @param type the record type
     * @param id   the record's id
     * @throws IllegalArgumentException when there is no such live record, or live records still refer to it
     * @throws IllegalStateException    when the simulator is not running
     */
    public void deleteAsUser(RecordType type, String id) {
        asUser(() -> {
            records().delete(type, id, OptionalLong.empty());
            return null;
        });
    }

    /**
     * Reads a record without going through HTTP, so that a check does not count as traffic.
     *
     * @param type the record type
     * @param id   the record's id
     * @return the record as the API shows it, a tombstone when deleted; empty when there never was one
     * @throws IllegalStateException when the simulator is not running
     */
    public Optional<JsonNode> record(RecordType type, String id) {
        return records().find(type, id).map(JsonNode.class::cast);
    }

    /**
     * Counts records without going through HTTP.
     *
     * @param type the record type
     * @return how many records of the type exist, deleted ones left out
     * @throws IllegalStateException when the simulator is not running
     */
    public int count(RecordType type) {
        return records().count(type);
    }

    /**
     * @param running the tenant's data, open while the server runs
     */
    void attachStore(TenantStore running) {
        this.store = running;
    }

    /**
     * @return the tenant's data, for the stopping server to close, if it was opened
     */
    Optional<TenantStore> detachStore() {
        TenantStore running = store;
        store = null;
        return Optional.ofNullable(running);
    }

    /**
     * @return the tenant's data
     * @throws IllegalStateException when the simulator is not running
     */
    TenantStore store() {
        TenantStore running = store;
        if (running == null) {
            throw new IllegalStateException("the simulator is not running");
        }
        return running;
    }

    private CustomcrmRecords records() {
        return store().records();
    }

    private static <T> T asUser(Supplier<T> change) {
        try {
            return change.get();
        } catch (ProblemException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }
}
