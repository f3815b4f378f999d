package dev.crmsync.adapters.customcrm;

import dev.crmsync.adapters.http.CrmHttpClient.Response;
import java.util.List;
import java.util.Map;

/**
 * What Customcrm answered one write, whether the write went on its own route or as an item of a batch: the
 * contract makes both answer the same status, record and problem, so the connector reads both into this and decides
 * the outcome in one place.
 *
 * @param status  the status, of the answer or of the item's result
 * @param record  the record a successful create or patch answered, as parsed JSON; null after a delete, or when
 *                the record could not be read
 * @param problem what went wrong; null on success
 */
record WriteAnswer(int status, Map<String, Object> record, ProblemAnswer problem) {

    /**
     * @param response an answer of a single route, other than 401
     * @return what it says
     */
    static WriteAnswer of(Response response) {
        if (!response.isSuccess()) {
            return new WriteAnswer(response.status(), null, ProblemAnswer.of(response));
        }
        Map<String, Object> record;
        try {
            record = response.body() == null || response.body().isBlank() ? null : RecordJson.object(response.body());
        } catch (RecordJson.MalformedAnswer e) {
            record = null;
        }
        return new WriteAnswer(response.status(), record, null);
    }

    /**
     * @param body the body of a batch's {@code 200} answer
     * @param sent how many items the batch held
     * @return one answer per item, in the order sent
     * @throws RecordJson.MalformedAnswer when the body is not a batch answer with one result per item
     */
    static List<WriteAnswer> ofBatch(String body, int sent) {
        if (!(RecordJson.object(body).get("items") instanceof List<?> items)) {
            throw new RecordJson.MalformedAnswer("the batch answer has no items array", null);
        }
        if (items.size() != sent) {
            throw new RecordJson.MalformedAnswer("the batch answer has " + items.size() + " results for " + sent
                    + " items", null);
        }
        return items.stream().map(WriteAnswer::ofItem).toList();
    }

    @SuppressWarnings("unchecked")
    private static WriteAnswer ofItem(Object item) {
        if (!(item instanceof Map<?, ?> result) || !(result.get("status") instanceof Number number)) {
            throw new RecordJson.MalformedAnswer("a batch result has no status", null);
        }
        int status = number.intValue();
        if (status >= 200 && status < 300) {
            return new WriteAnswer(status, result.get("record") instanceof Map<?, ?> record
                    ? (Map<String, Object>) record : null, null);
        }
        Map<String, Object> problem = result.get("problem") instanceof Map<?, ?> map
                ? (Map<String, Object>) map : Map.of();
        return new WriteAnswer(status, null, ProblemAnswer.of(status, problem));
    }

    /**
     * @return whether the write was carried out
     */
    boolean isSuccess() {
        return status >= 200 && status < 300;
    }
}
