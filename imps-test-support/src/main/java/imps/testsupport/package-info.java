/**
 * Shared test fixtures: a blocking frame-level TCP client, a clock tests move by hand, and checks
 * for optional services.
 */
package imps.testsupport;
