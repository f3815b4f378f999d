/**
 * What both connectors share on the wire: a paced, retrying HTTP client and the sliding-window limiter it paces
 * with.
 */
package dev.crmsync.adapters.http;
