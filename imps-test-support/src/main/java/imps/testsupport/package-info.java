/**
 * Shared test fixtures: a blocking frame-level TCP client, checks for optional services and a
 * private Redis server per test.
 */
package imps.testsupport;
