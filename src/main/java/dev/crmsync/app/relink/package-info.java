/**
 * {@code crmsync relink}: rebuilds the links of a lost or outdated store from the link stamps both systems hold.
 * {@link dev.crmsync.app.relink.StampPairing} pairs the records of one flow by their stamps (a Customcrm record's
 * {@code external_ids} name its link id and its webCRM record; a webCRM record's stamp field names the link id);
 * {@link dev.crmsync.app.relink.Relinker} reads both systems, adds the pairs the store does not hold and keeps the
 * ones it does, and reports per flow in a {@link dev.crmsync.app.relink.FlowRelink}.
 */
package dev.crmsync.app.relink;
