package dev.crmsync.adapters.customcrm;

import dev.crmsync.adapters.http.CrmHttpClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * An error answer of Customcrm, or the problem of one item of a batch, read as far as the connector branches on
 * it: the status, the problem type's name (the part after {@code customcrm/} of
 * {@code tag:crmsync.dev,2025:customcrm/<name>}), the detail for people, the offending fields of a
 * {@code validation-failed} problem and the {@code existing_id} of an {@code external-id-taken} one. A body that is
 * not problem JSON (a proxy's HTML page) still gives a status and a shortened text, so a reason is never empty.
 *
 * @param status     the HTTP status, or the batch item's
 * @param type       the problem type's name, or an empty string when the body named none
 * @param detail     the detail, or a shortened body, or the status alone
 * @param errors     {@code field: message} per offending field; empty when none were listed
 * @param existingId the record holding an external id, or null
 */
record ProblemAnswer(int status, String type, String detail, List<String> errors, String existingId) {

    private static final String TYPE_PREFIX = "customcrm/";
    private static final int MAX_TEXT = 200;

    ProblemAnswer {
        errors = List.copyOf(errors);
    }

    /**
     * @param response a non-2xx answer
     * @return what it says
     */
    static ProblemAnswer of(CrmHttpClient.Response response) {
        Map<String, Object> body;
        try {
            body = RecordJson.object(response.body());
        } catch (RecordJson.MalformedAnswer e) {
            return new ProblemAnswer(response.status(), "", shortened(response.body()), List.of(), null);
        }
        return of(response.status(), body);
    }

    /**
     * @param status the status of the answer, or of a batch item's result
     * @param body   the problem document, parsed; empty when there was none
     * @return what it says
     */
    static ProblemAnswer of(int status, Map<String, Object> body) {
        String typeUri = text(body.get("type"));
        String type = typeUri.contains(TYPE_PREFIX) ? typeUri.substring(typeUri.lastIndexOf(TYPE_PREFIX)
                + TYPE_PREFIX.length()) : "";
        String detail = text(body.get("detail"));
        if (detail.isEmpty()) {
            detail = text(body.get("title"));
        }
        List<String> errors = new ArrayList<>();
        if (body.get("errors") instanceof List<?> list) {
            for (Object item : list) {
                if (item instanceof Map<?, ?> error) {
                    errors.add(text(error.get("field")) + ": " + text(error.get("message")));
                }
            }
        }
        Object existing = body.get("existing_id");
        return new ProblemAnswer(status, type, detail, errors, existing == null ? null : existing.toString());
    }

    /**
     * @param name a problem type's name, e.g. {@code validation-failed}
     * @return whether this is that problem
     */
    boolean is(String name) {
        return type.equals(name);
    }

    /**
     * @return the reason for a {@code Rejected} outcome: the detail and every offending field for a 422, the
     *         status and the detail otherwise
     */
    String reason() {
        if (status == 422) {
            return errors.isEmpty() ? detail : detail + " (" + String.join("; ", errors) + ")";
        }
        return detail.isEmpty() ? Integer.toString(status) : status + " " + detail;
    }

    private static String text(Object value) {
        return value == null ? "" : value.toString().strip();
    }

    private static String shortened(String body) {
        String text = body == null ? "" : body.strip().replaceAll("\\s+", " ");
        return text.length() <= MAX_TEXT ? text : text.substring(0, MAX_TEXT) + "…";
    }
}
