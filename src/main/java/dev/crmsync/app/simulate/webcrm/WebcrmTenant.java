package dev.crmsync.app.simulate.webcrm;

import dev.crmsync.app.simulate.FaultInjector;
import dev.crmsync.app.simulate.SimulatedTenant;
import dev.crmsync.app.simulate.SimulatorJson;
import dev.crmsync.app.simulate.TrafficLog;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * One tenant of a {@link WebcrmSimulator}: its data and hooks, the application tokens that reach them, and its own
 * faults, traffic counts and token revocation. A test reaches it by {@link WebcrmSimulator#tenant(int)}; the
 * {@code …AsUser} methods change its data the way a person in that tenant's webCRM user interface does.
 *
 * <p>This class is threadsafe.
 */
public final class WebcrmTenant extends SimulatedTenant {

    private final List<String> applicationTokens;
    private final WebcrmRecords records;
    private final WebcrmHooks hooks;
    private final String userName;

    /**
     * @param number            the tenant's number, from 1
     * @param applicationTokens the application tokens {@code /Auth/ApiLogin} takes for this tenant
     * @param records           the tenant's data, seeded
     * @param hooks             the tenant's hooks, told of every change to {@code records}
     * @param faults            the faults its requests meet
     * @param userName          who the {@code …AsUser} methods act as
     */
    WebcrmTenant(int number, List<String> applicationTokens, WebcrmRecords records, WebcrmHooks hooks,
                 FaultInjector faults, String userName) {
        super(number, faults, new TrafficLog());
        this.applicationTokens = List.copyOf(applicationTokens);
        this.records = records;
        this.hooks = hooks;
        this.userName = userName;
    }

    /**
     * @return the application tokens that log in to this tenant, and to no other
     */
    public List<String> applicationTokens() {
        return applicationTokens;
    }

    /**
     * Creates a record as a user in webCRM's interface would.
     *
     * @param entity the record kind
     * @param values property values; names and value forms as in the DTO
     * @return the new id
     * @throws WebcrmApiException when webCRM would refuse the values
     */
    public int createAsUser(WebcrmEntity entity, Map<String, ?> values) {
        return records.create(entity, SimulatorJson.mapper().valueToTree(values), userName);
    }

    /**
     * Changes some properties of a record as a user in webCRM's interface would: the others keep their values,
     * and the updated stamps move to now and the user.
     *
     * @param entity  the record kind
     * @param id      the record's id
     * @param changes the properties to change; a null value clears one
     * @throws WebcrmApiException a 404 for an unknown id, a 400 when webCRM would refuse the values
     */
    public void editAsUser(WebcrmEntity entity, int id, Map<String, ?> changes) {
        records.replace(entity, id, edited(entity, id, changes), userName);
    }

    /**
     * Changes some properties of a record behind the change feed's back, as a bulk import or a restore of webCRM's
     * data that keeps the old updated stamps would: no {@code UpdatedAt} query and no hook reports it; only a
     * full read finds it (a resync).
     *
     * @param entity  the record kind
     * @param id      the record's id
     * @param changes the properties to change; a null value clears one
     * @throws WebcrmApiException a 404 for an unknown id, a 400 when webCRM would refuse the values
     */
    public void editUnreported(WebcrmEntity entity, int id, Map<String, ?> changes) {
        records.replaceUnstamped(entity, id, edited(entity, id, changes));
    }

    /**
     * Deletes a record as a user in webCRM's interface would; the only way to delete organisations and persons.
     * An organisation takes its persons and products with it.
     *
     * @param entity the record kind
     * @param id     the record's id
     * @throws WebcrmApiException a 404 for an unknown id
     */
    public void deleteAsUser(WebcrmEntity entity, int id) {
        records.delete(entity, id, userName);
    }

    /**
     * @param entity the record kind
     * @param id     the record's id
     * @return the record as {@code GET /{Entity}/{id}} serves it, or empty
     */
    public Optional<JsonNode> record(WebcrmEntity entity, int id) {
        return records.find(entity, id).map(r -> WebcrmDtoWriter.toDto(entity, r));
    }

    /**
     * @param entity the record kind
     * @return how many records of that kind exist
     */
    public int count(WebcrmEntity entity) {
        return records.all(entity).size();
    }

    /**
     * @return the tenant's data, for the routes of a request admitted to it
     */
    WebcrmRecords records() {
        return records;
    }

    /**
     * @return the tenant's hooks, for the routes of a request admitted to it
     */
    WebcrmHooks hooks() {
        return hooks;
    }

    private ObjectNode edited(WebcrmEntity entity, int id, Map<String, ?> changes) {
        ObjectNode edited = record(entity, id).map(ObjectNode.class::cast)
                .orElseThrow(() -> WebcrmApiException.notFound(entity, id));
        edited.setAll((ObjectNode) SimulatorJson.mapper().valueToTree(changes));
        return edited;
    }
}
