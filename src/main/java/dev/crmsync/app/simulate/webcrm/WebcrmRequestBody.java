package dev.crmsync.app.simulate.webcrm;

import dev.crmsync.app.simulate.SimulatorJson;
import io.javalin.http.Context;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * The JSON body of a webCRM write, or the 400 webCRM answers when there is none or it is not JSON.
 */
final class WebcrmRequestBody {

    private WebcrmRequestBody() {
    }

    /**
     * @param ctx the request
     * @return its body as JSON
     * @throws WebcrmApiException 400 when the body is missing or not JSON
     */
    static JsonNode of(Context ctx) {
        String text = ctx.body();
        if (text.isBlank()) {
            throw WebcrmApiException.invalid("The request body is missing");
        }
        try {
            return SimulatorJson.mapper().readTree(text);
        } catch (JacksonException e) {
            throw WebcrmApiException.invalid("The request body is not valid JSON: " + e.getOriginalMessage());
        }
    }
}
