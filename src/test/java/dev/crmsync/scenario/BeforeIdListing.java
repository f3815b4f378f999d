package dev.crmsync.scenario;

import dev.crmsync.model.Flow;
import dev.crmsync.model.Side;
import dev.crmsync.model.SideRecord;
import dev.crmsync.ports.Connector;
import dev.crmsync.ports.Write;
import dev.crmsync.ports.WriteOutcome;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * A connector that runs a hook, told the flow, before each complete id listing the engine asks for: to queue a
 * fault on its simulator exactly where a reconciliation is about to list ids. Everything else passes straight to
 * the connector it wraps.
 *
 * @param delegate the connector wrapped
 * @param hook     what to do before each id listing
 */
record BeforeIdListing(Connector delegate, Consumer<Flow> hook) implements Connector {

    @Override
    public Side side() {
        return delegate.side();
    }

    @Override
    public String readChanges(Flow flow, String cursor, Consumer<List<SideRecord>> sink) {
        return delegate.readChanges(flow, cursor, sink);
    }

    @Override
    public Optional<Set<String>> allIds(Flow flow) {
        hook.accept(flow);
        return delegate.allIds(flow);
    }

    @Override
    public Optional<SideRecord> findByStamp(Flow flow, String linkId) {
        return delegate.findByStamp(flow, linkId);
    }

    @Override
    public Map<String, SideRecord> findByStamps(Flow flow, Collection<String> linkIds) {
        return delegate.findByStamps(flow, linkIds);
    }

    @Override
    public boolean canDelete(Flow flow) {
        return delegate.canDelete(flow);
    }

    @Override
    public List<WriteOutcome> write(Flow flow, List<Write> writes) {
        return delegate.write(flow, writes);
    }

    @Override
    public void close() {
        delegate.close();
    }
}
