package dev.crmsync.app.check;

import dev.crmsync.model.Flow;
import dev.crmsync.model.Side;
import java.util.ArrayList;
import java.util.List;

/**
 * Collects findings in the order the checks make them.
 *
 * <p>Not threadsafe: one preflight fills it from one thread.
 */
final class FindingList {

    private final List<Finding> findings = new ArrayList<>();

    void add(Severity severity, Finding.Kind kind, Flow flow, Side side, String property, String message) {
        findings.add(new Finding(severity, kind, flow, side, property, message));
    }

    /**
     * @return the findings so far, connection-wide ones first, then per flow in dependency order
     */
    List<Finding> sorted() {
        List<Finding> out = new ArrayList<>(findings.stream().filter(f -> f.flow() == null).toList());
        for (Flow flow : Flow.values()) {
            out.addAll(findings.stream().filter(f -> f.flow() == flow).toList());
        }
        return out;
    }
}
