/** Shared test fixtures: a blocking frame-level TCP client and checks for optional services. */
package imps.testsupport;
