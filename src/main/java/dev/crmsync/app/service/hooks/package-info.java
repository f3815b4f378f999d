/**
 * Change hooks for {@code crmsync run}: webCRM hooks ({@code /Organisations/Hooks} etc.) and Customcrm's signed
 * webhooks, registered when the service starts and removed when it stops, received on the service's own HTTP
 * server, and turned into hints that start a flow's cycle early. A hook is only a prompt to read, never the data;
 * polling still finds whatever a hook missed.
 *
 * <p>The one public type is {@link dev.crmsync.app.service.hooks.ChangeHooks}; {@code CustomcrmSignature} checks
 * a delivery's signature and {@code WebcrmHookPayload} reads webCRM's undocumented payload leniently.
 */
package dev.crmsync.app.service.hooks;
