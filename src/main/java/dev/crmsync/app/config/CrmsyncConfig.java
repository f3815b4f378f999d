package dev.crmsync.app.config;

import dev.crmsync.adapters.customcrm.CustomcrmSettings;
import dev.crmsync.adapters.store.StoreAddress;
import dev.crmsync.adapters.webcrm.WebcrmSettings;
import dev.crmsync.engine.SyncSettings;
import dev.crmsync.mapping.FlowMapping;
import dev.crmsync.model.Flow;
import java.util.Map;

/**
 * A whole, validated configuration.
 *
 * @param webcrm    how to reach webCRM
 * @param customcrm how to reach Customcrm
 * @param store     where the store lives
 * @param sync      the engine's policies
 * @param mappings  the property table of each flow
 * @param service   how {@code run} serves and schedules
 * @param notifications where {@code run} sends an event when a flow starts failing and so on; null without a
 *                      {@code notify:} section
 * @param connection    the connection's name: {@value #DEFAULT_CONNECTION} for a file that holds one
 */
public record CrmsyncConfig(WebcrmSettings webcrm, CustomcrmSettings customcrm, StoreAddress store, SyncSettings sync,
                            Map<Flow, FlowMapping> mappings, ServiceSettings service, NotifySettings notifications,
                            String connection) {

    /** The name of the one connection of a file without {@code connections:}. */
    public static final String DEFAULT_CONNECTION = "default";

    public CrmsyncConfig {
        mappings = Map.copyOf(mappings);
        java.util.Objects.requireNonNull(store, "store");
        java.util.Objects.requireNonNull(service, "service");
        java.util.Objects.requireNonNull(connection, "connection");
    }

    /**
     * The one connection of a file without {@code connections:}.
     */
    public CrmsyncConfig(WebcrmSettings webcrm, CustomcrmSettings customcrm, StoreAddress store, SyncSettings sync,
                         Map<Flow, FlowMapping> mappings, ServiceSettings service, NotifySettings notifications) {
        this(webcrm, customcrm, store, sync, mappings, service, notifications, DEFAULT_CONNECTION);
    }

    /**
     * @return where the nodes of a cluster keep their shared tables: the file's store, before this connection's own
     *         part of it; this connection's store where the settings come from no file
     */
    public StoreAddress clusterStore() {
        StoreAddress shared = service.cluster().store();
        return shared != null ? shared : store;
    }

    /**
     * @return the store's JDBC URL
     */
    public String storeUrl() {
        return store.url();
    }

    /**
     * A configuration that notifies no one.
     */
    public CrmsyncConfig(WebcrmSettings webcrm, CustomcrmSettings customcrm, StoreAddress store, SyncSettings sync,
                         Map<Flow, FlowMapping> mappings, ServiceSettings service) {
        this(webcrm, customcrm, store, sync, mappings, service, null);
    }

    /**
     * A configuration with the default service settings.
     */
    public CrmsyncConfig(WebcrmSettings webcrm, CustomcrmSettings customcrm, StoreAddress store, SyncSettings sync,
                         Map<Flow, FlowMapping> mappings) {
        this(webcrm, customcrm, store, sync, mappings, ServiceSettings.ofDefaults());
    }

    /**
     * @return a copy with other mappings
     */
    public CrmsyncConfig withMappings(Map<Flow, FlowMapping> newMappings) {
        return new CrmsyncConfig(webcrm, customcrm, store, sync, newMappings, service, notifications, connection);
    }

    /**
     * @return a copy with other service settings
     */
    public CrmsyncConfig withService(ServiceSettings newService) {
        return new CrmsyncConfig(webcrm, customcrm, store, sync, mappings, newService, notifications, connection);
    }
}
