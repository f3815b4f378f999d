package dev.crmsync.app.check;

import dev.crmsync.model.Flow;
import dev.crmsync.model.Side;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What a {@link Preflight} found: its findings in order, which systems could not be reached, and how many records
 * of each flow it sampled on each side.
 *
 * <p>This record is threadsafe: it is immutable.
 *
 * @param findings    every finding, connection-wide ones first, then per flow in dependency order
 * @param unreachable the systems that could not be reached or refused the credentials
 * @param refused     those of them that answered, but with a refusal (a wrong or revoked token or key, a URL that
 *                    leads to no such API): unlike a system that does not answer yet, they will not come right by
 *                    waiting
 * @param sampled     per flow and side, how many live records the preflight read; a side left out was not read
 */
public record PreflightReport(List<Finding> findings, Set<Side> unreachable, Set<Side> refused,
                              Map<Flow, Map<Side, Integer>> sampled) {

    public PreflightReport {
        findings = List.copyOf(findings);
        unreachable = unreachable.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(unreachable));
        refused = refused.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(refused));
        Map<Flow, Map<Side, Integer>> copy = new EnumMap<>(Flow.class);
        sampled.forEach((flow, counts) -> copy.put(flow, Map.copyOf(counts)));
        sampled = Collections.unmodifiableMap(copy);
    }

    /**
     * @param severity a severity
     * @return how many findings have it
     */
    public long count(Severity severity) {
        return findings.stream().filter(f -> f.severity() == severity).count();
    }

    /**
     * @return whether any finding is an error
     */
    public boolean hasErrors() {
        return count(Severity.ERROR) > 0;
    }

    /**
     * @return whether a system could not be reached or refused the credentials
     */
    public boolean isUnreachable() {
        return !unreachable.isEmpty();
    }

    /**
     * @return whether a system answered the first request with a refusal, such as a wrong or revoked token
     */
    public boolean isRefused() {
        return !refused.isEmpty();
    }

    /**
     * @param flow a flow, or null for the findings about the whole connection
     * @return the findings about it, in order
     */
    public List<Finding> findings(Flow flow) {
        return findings.stream().filter(f -> Objects.equals(f.flow(), flow)).toList();
    }

    /**
     * @param flow a flow
     * @param side a system
     * @return how many live records were sampled there, or -1 when that side was not read
     */
    public int sampled(Flow flow, Side side) {
        return sampled.getOrDefault(flow, Map.of()).getOrDefault(side, -1);
    }
}
