package dev.crmsync.app.cli;

/**
 * What both {@code simulate} commands do with their {@code --tenants} option: check it, and tell in their greeting
 * how the tenants are reached.
 */
final class TenantsOption {

    private TenantsOption() {
    }

    /**
     * @param tenants the option's value
     * @return the value, checked
     * @throws IllegalArgumentException naming the option when the value is below 1
     */
    static int check(int tenants) {
        if (tenants < 1) {
            throw new IllegalArgumentException("--tenants must be 1 or more: " + tenants);
        }
        return tenants;
    }

    /**
     * @param credential the token or key as given
     * @param tenants    how many tenants
     * @return the tenants' credentials as a range, e.g. {@code key-1 to key-3}
     */
    static String credentials(String credential, int tenants) {
        return tenants == 1 ? credential + "-1" : credential + "-1 to " + credential + "-" + tenants;
    }

    /**
     * @param baseUrl the simulator's base URL
     * @param tenants the option's value; null when not given
     * @return where the control routes for faults and traffic are
     */
    static String controlRoutes(String baseUrl, Integer tenants) {
        String all = baseUrl + "/_sim/faults, " + baseUrl + "/_sim/traffic";
        return tenants == null ? all
                : all + " for all tenants; " + baseUrl + "/_sim/tenants/1/faults, " + baseUrl
                        + "/_sim/tenants/1/traffic for tenant 1, and so on";
    }
}
