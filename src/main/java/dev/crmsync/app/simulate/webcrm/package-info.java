/**
 * The webCRM simulator: a webCRM REST API v1 tenant behind a real HTTP server, faithful to
 * {@code docs/webcrm/API-NOTES.md} quirks included, for tests and for trying the connector by hand.
 *
 * <p>Start with {@link dev.crmsync.app.simulate.webcrm.WebcrmSimulator}; {@code docs/simulators/webcrm.md}
 * lists every endpoint and convention with curl examples. The parts, each small:
 * <ul>
 *   <li>{@link dev.crmsync.app.simulate.webcrm.WebcrmFieldCatalogue}: every DTO property with type and limits,
 *       held to the Swagger document by a test;</li>
 *   <li>{@code WebcrmValidator}, {@code WebcrmRecords}: checking and storing writes;</li>
 *   <li>{@link dev.crmsync.app.simulate.webcrm.QueryScript}: the {@code /Queries} dialect;</li>
 *   <li>{@code WebcrmAuth}, {@code WebcrmAccessControl}: tokens and the rate limit per application token;</li>
 *   <li>{@code WebcrmEntityRoutes}, {@code WebcrmReadRoutes}: the HTTP endpoints;</li>
 *   <li>{@code WebcrmHooks}, {@code WebcrmHookRoutes}: {@code /{Entity}/Hooks} and the asynchronous delivery of
 *       changes to them;</li>
 *   <li>{@link dev.crmsync.app.simulate.webcrm.WebcrmFieldsMetadata}, {@code WebcrmSeeder}: the seeded tenant;</li>
 *   <li>{@link dev.crmsync.app.simulate.webcrm.WebcrmTenant}: one tenant's data, hooks, faults and traffic, of the
 *       many one simulator can serve, told apart by application token.</li>
 * </ul>
 *
 * <p><b>Conventions where webCRM documents nothing.</b>
 * <ul>
 *   <li>Timestamps ({@link dev.crmsync.app.simulate.webcrm.WebcrmTimestamps}): served as
 *       {@code yyyy-MM-ddTHH:mm:ss}, whole seconds, no offset, meant as Europe/Copenhagen local time (API-NOTES
 *       §12). Input may carry {@code Z} or an offset and is then converted to Copenhagen time. Local time is not
 *       monotonic: in the autumn hour that is repeated, a later write can carry an earlier stamp, which is what
 *       a connector's overlap window is for.</li>
 *   <li>Errors: status plus {@code {"Message": "...", "Type": "ValidationException"}} (404:
 *       {@code NotFoundException}; 429: {@code TooManyRequestsException} with {@code RetryAfterSeconds} and a
 *       {@code Retry-After} header). A 401 for a bad bearer token has no body, as ASP.NET sends it.</li>
 *   <li>Paging: {@code Size} defaults to 50; {@code Size} over 1000 or {@code Page} out of 1..1,000,000 is a 400.</li>
 *   <li>PUT replaces the whole record; PATCH answers one string per item: the id, or the error message.</li>
 *   <li>Hook deliveries: {@code POST <TargetUrl>} with {@code {"EventType":"Update","Entity":"Organisation",
 *       "Id":123}}, once, asynchronously; a failed one is logged and dropped.</li>
 * </ul>
 *
 * <p>All types are threadsafe unless their Javadoc says otherwise.
 */
package dev.crmsync.app.simulate.webcrm;
