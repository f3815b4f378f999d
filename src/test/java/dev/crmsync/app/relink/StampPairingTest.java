package dev.crmsync.app.relink;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crmsync.mapping.DefaultMappings;
import dev.crmsync.mapping.RecordMapper;
import dev.crmsync.model.Flow;
import dev.crmsync.model.Side;
import dev.crmsync.model.SideRecord;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * How the stamps of one flow pair its records: by the webCRM record a Customcrm record names, else by the link id
 * both carry; and what is reported instead of guessed when a stamp points two ways.
 */
class StampPairingTest {

    private static final String L1 = "0190a000-0000-7000-8000-000000000001";
    private static final String L2 = "0190a000-0000-7000-8000-000000000002";

    private final StampPairing pairing = new StampPairing(new RecordMapper(DefaultMappings.products()));

    private static SideRecord webcrm(String id, String stamp) {
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("ProductCustom1", "Forklift " + id);
        properties.put("ProductCustom5", stamp);
        return new SideRecord(Side.WEBCRM, Flow.PRODUCTS, id, properties, Instant.EPOCH, false);
    }

    private static SideRecord customcrm(String id, String stamp, String names) {
        Map<String, Object> externalIds = new LinkedHashMap<>();
        if (stamp != null) {
            externalIds.put("crmsync", stamp);
        }
        if (names != null) {
            externalIds.put("webcrm", names);
        }
        return new SideRecord(Side.CUSTOMCRM, Flow.PRODUCTS, id, Map.of("name", "Forklift " + id,
                "external_ids", externalIds), Instant.EPOCH, false);
    }

    private static List<String> pairs(StampPairing.Result result) {
        return result.pairs().stream().map(p -> p.linkId() + " " + p.webcrm().id() + " " + p.customcrm().id())
                .toList();
    }

    @Test
    void shouldPairACustomcrmRecordWithTheUnstampedWebcrmRecordItNames() {
        // (a Customcrm record crmsync created from webCRM record 7, which carries no stamp itself)
        StampPairing.Result result = pairing.pair(List.of(webcrm("7", null)), List.of(customcrm("prd_1", L1, "7")));

        assertThat(pairs(result)).containsExactly(L1 + " 7 prd_1");
        assertThat(result.webcrmOnly()).isEmpty();
        assertThat(result.customcrmOnly()).isEmpty();
        assertThat(result.ambiguous()).isEmpty();
    }

    @Test
    void shouldPairByTheLinkIdWhenTheCustomcrmRecordNamesNoWebcrmRecord() {
        StampPairing.Result result = pairing.pair(List.of(webcrm("8", L1)), List.of(customcrm("prd_2", L1, null)));

        assertThat(pairs(result)).containsExactly(L1 + " 8 prd_2");
    }

    @Test
    void shouldListRecordsWhosePartnerIsGoneWithoutPairingThem() {
        // (webCRM 9 lost its Customcrm partner; prd_3 names webCRM 10, which was deleted)
        StampPairing.Result result = pairing.pair(List.of(webcrm("9", L1)), List.of(customcrm("prd_3", L2, "10"),
                customcrm("prd_4", null, null)));

        assertThat(result.pairs()).isEmpty();
        assertThat(result.webcrmOnly()).singleElement().satisfies(u -> {
            assertThat(u.record().id()).isEqualTo("9");
            assertThat(u.linkId()).isEqualTo(L1);
        });
        assertThat(result.customcrmOnly()).singleElement().satisfies(u -> {
            assertThat(u.record().id()).isEqualTo("prd_3");
            assertThat(u.names()).isEqualTo("10");
        });
    }

    @Test
    void shouldLinkNothingForALinkIdStampedOnTwoCustomcrmRecords() {
        // (a user copied a Customcrm record with its external_ids)
        StampPairing.Result result = pairing.pair(List.of(webcrm("7", L1)),
                List.of(customcrm("prd_1", L1, "7"), customcrm("prd_9", L1, "7")));

        assertThat(result.pairs()).isEmpty();
        assertThat(result.webcrmOnly()).as("not 'partner gone': it is named twice").isEmpty();
        assertThat(result.ambiguous()).singleElement().asString()
                .contains("link " + L1 + " is stamped on Customcrm [prd_1, prd_9]").contains("external_ids.crmsync");
    }

    @Test
    void shouldPairTheNamedRecordAndReportAWebcrmCopyOfItsStamp() {
        // (a user copied webCRM record 7, stamp field and all, into record 11)
        StampPairing.Result result = pairing.pair(List.of(webcrm("7", L1), webcrm("11", L1)),
                List.of(customcrm("prd_1", L1, "7")));

        assertThat(pairs(result)).containsExactly(L1 + " 7 prd_1");
        assertThat(result.webcrmOnly()).isEmpty();
        assertThat(result.ambiguous()).singleElement().asString()
                .contains("webCRM 11 carries link " + L1 + ", which pairs webCRM 7").contains("ProductCustom5");
    }

    @Test
    void shouldLinkNothingWhenTwoWebcrmRecordsCarryTheLinkIdAndNoneIsNamed() {
        StampPairing.Result result = pairing.pair(List.of(webcrm("7", L1), webcrm("11", L1)),
                List.of(customcrm("prd_1", L1, null)));

        assertThat(result.pairs()).isEmpty();
        assertThat(result.ambiguous()).singleElement().asString().contains("is stamped on webCRM [7, 11]");
    }

    @Test
    void shouldLinkNothingWhenTheNamedWebcrmRecordCarriesAnotherLinkId() {
        StampPairing.Result result = pairing.pair(List.of(webcrm("7", L2)), List.of(customcrm("prd_1", L1, "7")));

        assertThat(result.pairs()).isEmpty();
        assertThat(result.ambiguous()).singleElement().asString()
                .contains("Customcrm prd_1 names webCRM 7 under link " + L1 + ", but that record is stamped with link "
                        + L2);
    }

    @Test
    void shouldPairAWebcrmRecordOnceWhenTwoCustomcrmRecordsNameIt() {
        StampPairing.Result result = pairing.pair(List.of(webcrm("7", null)),
                List.of(customcrm("prd_1", L1, "7"), customcrm("prd_2", L2, "7")));

        assertThat(pairs(result)).containsExactly(L1 + " 7 prd_1");
        assertThat(result.ambiguous()).singleElement().asString()
                .contains("webCRM 7 is named by more than one Customcrm record").contains("Customcrm prd_2");
    }
}
