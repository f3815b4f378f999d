package dev.crmsync.app.service.hooks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crmsync.model.Flow;
import org.junit.jupiter.api.Test;

class WebcrmHookPayloadTest {

    @Test
    void shouldReadTheSimulatorsConvention() {
        WebcrmHookPayload payload = WebcrmHookPayload.read("{\"EventType\":\"Update\",\"Entity\":\"Organisation\","
                + "\"Id\":123}");

        assertThat(payload.flows()).containsExactly(Flow.ORGANISATIONS);
        assertThat(payload.delete()).isFalse();
    }

    @Test
    void shouldTellADelete() {
        WebcrmHookPayload payload = WebcrmHookPayload.read("{\"eventType\":\"Delete\",\"entity\":\"product\"}");

        assertThat(payload.flows()).containsExactly(Flow.PRODUCTS);
        assertThat(payload.delete()).isTrue();
    }

    @Test
    void shouldReadOtherShapesWebcrmMightSend() {
        // Plural names, other member names, a whole DTO, and a batch
        assertThat(WebcrmHookPayload.read("{\"EntityType\":\"Persons\",\"Action\":\"Create\"}").flows())
                .containsExactly(Flow.PERSONS);
        assertThat(WebcrmHookPayload.read("{\"PersonId\":3,\"PersonOrganisationId\":1,\"PersonLastName\":\"Holm\"}")
                .flows()).containsExactly(Flow.PERSONS);
        assertThat(WebcrmHookPayload.read("[{\"Entity\":\"Organisation\",\"Id\":1},{\"Entity\":\"Product\",\"Id\":2}]")
                .flows()).containsExactlyInAnyOrder(Flow.ORGANISATIONS, Flow.PRODUCTS);
    }

    @Test
    void shouldNameNoFlowWhenThePayloadSaysNothingItKnows() {
        // The caller then hints every flow
        assertThat(WebcrmHookPayload.read("not json").flows()).isEmpty();
        assertThat(WebcrmHookPayload.read("").flows()).isEmpty();
        assertThat(WebcrmHookPayload.read(null).flows()).isEmpty();
        assertThat(WebcrmHookPayload.read("{\"Entity\":\"Activity\",\"Id\":9}").flows()).isEmpty();
        assertThat(WebcrmHookPayload.read("42").flows()).isEmpty();
    }
}
