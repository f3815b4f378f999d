package dev.crmsync.app.config;

import dev.crmsync.adapters.customcrm.CustomcrmSettings;
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
 * @param storeUrl  the JDBC URL of the store
 * @param sync      the engine's policies
 * @param mappings  the property table of each flow
 */
public record CrmsyncConfig(WebcrmSettings webcrm, CustomcrmSettings customcrm, String storeUrl, SyncSettings sync,
                            Map<Flow, FlowMapping> mappings) {

    public CrmsyncConfig {
        mappings = Map.copyOf(mappings);
    }
}
