/**
 * The HTTP side of {@code crmsync run}: the management API under {@code /api/} (its contract is
 * {@code contracts/crmsync-management-openapi.yaml}), the dashboard at {@code /}, {@code /metrics} and
 * {@code /health}. {@link dev.crmsync.app.api.ManagementApi} wires them onto one Javalin server.
 */
package dev.crmsync.app.api;
