package dev.crmsync.app.simulate.webcrm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.crmsync.app.simulate.SimulatorJson;
import dev.crmsync.testing.HookReceiver;
import dev.crmsync.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Which hooks a change is delivered to, and what they receive. The records and hooks are driven directly, so each
 * test knows how many deliveries to wait for: it waits until all of them have completed, then checks exactly what
 * arrived.
 */
class WebcrmHooksTest {

    private static final String OWNER = "hooks-test-token";
    private static final Duration WAIT = Duration.ofSeconds(10);

    private final MutableClock clock = new MutableClock(Instant.parse("2025-06-15T10:00:00Z"));
    private final WebcrmRecords records = new WebcrmRecords(clock);
    private final WebcrmHooks hooks = new WebcrmHooks(clock);
    private HookReceiver receiver;

    @BeforeEach
    void start() {
        receiver = new HookReceiver();
        records.onChange(hooks::changed);
    }

    @AfterEach
    void stop() {
        hooks.close();
        receiver.close();
    }

    @Test
    void shouldDeliverAChangeOnlyToEnabledHooksOfItsEntityAndEvent() {
        // Given hooks for every combination that must not match, and one that must
        int organisation = records.create(WebcrmEntity.ORGANISATION, json("{'OrganisationName':'Fjord A/S'}"), "API");
        hook(WebcrmEntity.ORGANISATION, "/match", "Update", true, "All");
        hook(WebcrmEntity.ORGANISATION, "/disabled", "Update", false, "All");
        hook(WebcrmEntity.ORGANISATION, "/create-only", "Create", true, "All");
        hook(WebcrmEntity.PERSON, "/persons", "Update", true, "All");
        hook(WebcrmEntity.ORGANISATION, "/owner-only", "Update", true, "Owner");

        // When the organisation is edited
        records.replace(WebcrmEntity.ORGANISATION, organisation, json("{'OrganisationName':'Fjord Holding A/S'}"),
                "API");

        // Then exactly the matching hook is told, in the simulator's payload convention
        awaitAttempts(1);
        assertThat(receiver.deliveries()).singleElement().satisfies(d -> {
            assertThat(d.path()).isEqualTo("/match");
            assertThat(d.header("Content-Type")).startsWith("application/json");
            assertThat(json(d.body())).isEqualTo(json("{'EventType':'Update','Entity':'Organisation','Id':"
                    + organisation + "}"));
        });
    }

    @Test
    void shouldTellOfCreatesAndOfEveryRecordACascadingDeleteRemoves() {
        // Given an organisation with a person and a product, and hooks for creates and deletes
        hook(WebcrmEntity.PERSON, "/person-created", "Create", true, "All");
        hook(WebcrmEntity.ORGANISATION, "/organisation-deleted", "Delete", true, "All");
        hook(WebcrmEntity.PERSON, "/person-deleted", "Delete", true, "All");
        hook(WebcrmEntity.PRODUCT, "/product-deleted", "Delete", true, "All");
        int organisation = records.create(WebcrmEntity.ORGANISATION, json("{'OrganisationName':'Fjord A/S'}"), "API");
        int person = records.create(WebcrmEntity.PERSON, json("{'PersonOrganisationId':" + organisation
                + ",'PersonLastName':'Holm'}"), "API");
        int product = records.create(WebcrmEntity.PRODUCT, json("{'ProductOrganisationId':" + organisation + "}"),
                "API");

        // When a user deletes the organisation, which takes its person and product with it
        records.delete(WebcrmEntity.ORGANISATION, organisation, "Anna");

        // Then
        awaitAttempts(4);
        assertThat(receiver.deliveries("/person-created")).extracting(d -> json(d.body()).path("Id").asInt())
                .containsExactly(person);
        assertThat(receiver.deliveries("/organisation-deleted")).extracting(d -> json(d.body()).path("Id").asInt())
                .containsExactly(organisation);
        assertThat(receiver.deliveries("/person-deleted")).extracting(d -> json(d.body()).path("EventType").asString())
                .containsExactly("Delete");
        assertThat(receiver.deliveries("/product-deleted")).extracting(d -> json(d.body()).path("Id").asInt())
                .containsExactly(product);
    }

    @Test
    void shouldDropAFailedDeliveryAndGoOnDeliveringLaterChanges() {
        // Given a receiver that fails
        int organisation = records.create(WebcrmEntity.ORGANISATION, json("{'OrganisationName':'Fjord A/S'}"), "API");
        hook(WebcrmEntity.ORGANISATION, "/flaky", "Update", true, "All");
        receiver.answerWith(500);

        // When one change meets the failure and the next a receiver that works again
        records.replace(WebcrmEntity.ORGANISATION, organisation, json("{'OrganisationName':'A'}"), "API");
        await().atMost(WAIT).until(() -> hooks.failed() == 1);
        receiver.answerWith(204);
        records.replace(WebcrmEntity.ORGANISATION, organisation, json("{'OrganisationName':'B'}"), "API");

        // Then the failure was not retried, and the next change was delivered
        awaitAttempts(2);
        assertThat(hooks.delivered()).isEqualTo(1);
        assertThat(receiver.deliveries("/flaky")).hasSize(2);
    }

    @Test
    void shouldNotDeliverToADeletedHook() {
        // Given
        int organisation = records.create(WebcrmEntity.ORGANISATION, json("{'OrganisationName':'Fjord A/S'}"), "API");
        long gone = hook(WebcrmEntity.ORGANISATION, "/gone", "Update", true, "All");
        hook(WebcrmEntity.ORGANISATION, "/kept", "Update", true, "All");

        // When
        hooks.delete(OWNER, WebcrmEntity.ORGANISATION, gone);
        records.replace(WebcrmEntity.ORGANISATION, organisation, json("{'OrganisationName':'A'}"), "API");

        // Then
        awaitAttempts(1);
        assertThat(receiver.deliveries()).extracting(HookReceiver.Delivery::path).containsExactly("/kept");
    }

    private long hook(WebcrmEntity entity, String path, String event, boolean enabled, String filter) {
        return hooks.create(OWNER, entity, SimulatorJson.mapper().valueToTree(Map.of("Id", 0,
                "TargetUrl", receiver.url(path), "IsEnabled", enabled, "Filter", List.of(filter),
                "EventType", event)));
    }

    /** Checks how many deliveries were sent off in all, then waits until every one has succeeded or failed. */
    private void awaitAttempts(int attempts) {
        assertThat(hooks.dispatched()).isEqualTo(attempts);
        await().atMost(WAIT).until(() -> hooks.delivered() + hooks.failed() == attempts);
    }

    private static JsonNode json(String text) {
        return SimulatorJson.mapper().readTree(text.replace('\'', '"'));
    }
}
