/**
 * Shared test fixtures: a blocking frame-level TCP client and its WebSocket twin, a clock tests
 * move by hand, checks for optional services and a private Redis server per test.
 */
package imps.testsupport;
