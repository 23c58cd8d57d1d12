/**
 * Shared test fixtures: blocking frame-level TCP and WebSocket clients and checks for optional
 * services.
 */
package imps.testsupport;
