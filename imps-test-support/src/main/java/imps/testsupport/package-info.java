/**
 * Shared test fixtures: a blocking frame-level TCP client, a clock tests move by hand, checks for
 * optional services and a private Redis server per test.
 */
package imps.testsupport;
