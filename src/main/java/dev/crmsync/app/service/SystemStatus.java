package dev.crmsync.app.service;

import dev.crmsync.model.Side;

/**
 * How one system is doing, as the API and dashboard show it.
 *
 * @param side          the system
 * @param health        whether it answered its last call
 * @param budgetUsed    requests in the current rate-limit window
 * @param budgetLimit   requests the window allows
 * @param calls         requests since start
 * @param throttled     429 answers since start
 * @param hooksReceived change hooks received from it since start
 */
public record SystemStatus(Side side, SystemHealth.State health, long budgetUsed, long budgetLimit, long calls,
                           long throttled, long hooksReceived) {
}
