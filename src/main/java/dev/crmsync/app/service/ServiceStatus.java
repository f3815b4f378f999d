package dev.crmsync.app.service;

import java.time.Instant;
import java.util.List;

/**
 * The whole service at a glance.
 *
 * @param startedAt when it started
 * @param ready     whether the store is reachable and both systems answered their last call
 * @param flows     each flow, parents first
 * @param systems   each system
 */
public record ServiceStatus(Instant startedAt, boolean ready, List<FlowStatus> flows, List<SystemStatus> systems) {

    public ServiceStatus {
        flows = List.copyOf(flows);
        systems = List.copyOf(systems);
    }
}
