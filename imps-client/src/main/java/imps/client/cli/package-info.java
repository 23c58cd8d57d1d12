/** The terminal client: {@code ./imps chat} and the one-shot script commands, on the SDK. */
package imps.client.cli;
