package dev.crmsync.app.relink;

import dev.crmsync.mapping.RecordMapper;
import dev.crmsync.model.SideRecord;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Pairs the records of one flow by the link stamps crmsync wrote on them. A Customcrm record crmsync created,
 * updated, or made a webCRM record from carries its link id and its webCRM record's id in {@code external_ids},
 * so it names its pair; a webCRM record carries the link id alone, in its stamp field. A Customcrm record is
 * paired with the webCRM record it names, or, naming none that exists, with the one webCRM record that carries
 * its link id.
 *
 * <p>What cannot be paired is reported, never guessed: a record whose partner is gone (stamped on one side only),
 * and stamps that point two ways at once (a link id on two records of one side, as when a person copied a record
 * with its stamp field, or a webCRM record claimed under another link id).
 *
 * <p>This class is immutable and threadsafe.
 */
public final class StampPairing {

    /**
     * Two records the same link id pairs.
     *
     * @param linkId    the link id they carry
     * @param webcrm    the webCRM record
     * @param customcrm the Customcrm record
     */
    public record Pair(String linkId, SideRecord webcrm, SideRecord customcrm) {
    }

    /**
     * A stamped record whose partner was not found.
     *
     * @param linkId the link id it carries
     * @param record the record
     * @param names  for a Customcrm record, the webCRM id it names; null otherwise
     */
    public record Unpaired(String linkId, SideRecord record, String names) {
    }

    /**
     * What the stamps of one flow say.
     *
     * @param pairs         the records paired, in link id order
     * @param webcrmOnly    webCRM records whose link id no Customcrm record carries
     * @param customcrmOnly Customcrm records whose webCRM partner is not there
     * @param ambiguous     a sentence per stamp that points two ways, in link id order
     */
    public record Result(List<Pair> pairs, List<Unpaired> webcrmOnly, List<Unpaired> customcrmOnly,
                         List<String> ambiguous) {

        public Result {
            pairs = List.copyOf(pairs);
            webcrmOnly = List.copyOf(webcrmOnly);
            customcrmOnly = List.copyOf(customcrmOnly);
            ambiguous = List.copyOf(ambiguous);
        }
    }

    private final RecordMapper mapper;

    /**
     * @param mapper the flow's mapping, which knows where each side keeps its stamp
     */
    public StampPairing(RecordMapper mapper) {
        this.mapper = mapper;
    }

    /**
     * @param webcrm    the live webCRM records: at least every stamped one and every one a Customcrm record names
     * @param customcrm the live Customcrm records; unstamped ones are passed over
     * @return the pairs and what could not be paired
     */
    public Result pair(Collection<SideRecord> webcrm, Collection<SideRecord> customcrm) {
        Map<String, SideRecord> webcrmById = new LinkedHashMap<>();
        Map<String, List<SideRecord>> webcrmByStamp = new TreeMap<>();
        for (SideRecord record : webcrm) {
            webcrmById.put(record.id(), record);
            mapper.stampOf(record).ifPresent(stamp ->
                    webcrmByStamp.computeIfAbsent(stamp, s -> new ArrayList<>()).add(record));
        }
        Map<String, List<SideRecord>> customcrmByStamp = new TreeMap<>();
        for (SideRecord record : customcrm) {
            mapper.stampOf(record).ifPresent(stamp ->
                    customcrmByStamp.computeIfAbsent(stamp, s -> new ArrayList<>()).add(record));
        }

        List<Pair> pairs = new ArrayList<>();
        List<Unpaired> customcrmOnly = new ArrayList<>();
        List<String> ambiguous = new ArrayList<>();
        // Stamps reported as ambiguous, and stamps that made a pair: neither leaves a record "stamped on one side".
        Set<String> refusedStamps = new HashSet<>();
        Map<String, String> pairedStamps = new LinkedHashMap<>();
        Set<String> pairedWebcrm = new HashSet<>();
        for (Map.Entry<String, List<SideRecord>> entry : customcrmByStamp.entrySet()) {
            String linkId = entry.getKey();
            List<SideRecord> holders = entry.getValue();
            if (holders.size() > 1) {
                refusedStamps.add(linkId);
                ambiguous.add("link " + linkId + " is stamped on Customcrm " + ids(holders) + ": one of them is a "
                        + "copy; remove its stamp (external_ids." + stampKey() + ")");
                continue;
            }
            SideRecord customcrmRecord = holders.get(0);
            String names = mapper.partnerIdOf(customcrmRecord).orElse(null);
            List<SideRecord> stamped = webcrmByStamp.getOrDefault(linkId, List.of());
            SideRecord named = names == null ? null : webcrmById.get(names);
            Optional<SideRecord> partner;
            if (named != null) {
                String namedStamp = mapper.stampOf(named).orElse(null);
                if (namedStamp != null && !namedStamp.equals(linkId)) {
                    refusedStamps.add(linkId);
                    ambiguous.add("Customcrm " + customcrmRecord.id() + " names webCRM " + named.id() + " under link "
                            + linkId + ", but that record is stamped with link " + namedStamp);
                    continue;
                }
                partner = Optional.of(named);
            } else if (stamped.size() > 1) {
                refusedStamps.add(linkId);
                ambiguous.add("link " + linkId + " is stamped on webCRM " + ids(stamped) + ": one of them is a "
                        + "copy; clear its " + mapper.mapping().webcrmStampProperty());
                continue;
            } else {
                partner = stamped.stream().findFirst();
            }
            if (partner.isEmpty()) {
                customcrmOnly.add(new Unpaired(linkId, customcrmRecord, names));
                continue;
            }
            if (!pairedWebcrm.add(partner.get().id())) {
                ambiguous.add("webCRM " + partner.get().id() + " is named by more than one Customcrm record; link "
                        + linkId + " (Customcrm " + customcrmRecord.id() + ") was left out");
                continue;
            }
            pairedStamps.put(linkId, partner.get().id());
            pairs.add(new Pair(linkId, partner.get(), customcrmRecord));
        }

        List<Unpaired> webcrmOnly = new ArrayList<>();
        webcrmByStamp.forEach((linkId, records) -> {
            if (refusedStamps.contains(linkId)) {
                return;
            }
            for (SideRecord record : records) {
                if (pairedWebcrm.contains(record.id())) {
                    continue;
                }
                String pairedWith = pairedStamps.get(linkId);
                if (pairedWith != null) {
                    ambiguous.add("webCRM " + record.id() + " carries link " + linkId + ", which pairs webCRM "
                            + pairedWith + ": a copy; clear its " + mapper.mapping().webcrmStampProperty());
                } else {
                    webcrmOnly.add(new Unpaired(linkId, record, null));
                }
            }
        });
        return new Result(pairs, webcrmOnly, customcrmOnly, ambiguous);
    }

    private String stampKey() {
        return mapper.mapping().customcrmStampKey();
    }

    private static String ids(List<SideRecord> records) {
        return records.stream().map(SideRecord::id).toList().toString();
    }
}
