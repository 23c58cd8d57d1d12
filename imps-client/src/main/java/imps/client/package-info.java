/** The asynchronous Java client SDK: {@link imps.client.ImpsClient} and its types. */
package imps.client;
