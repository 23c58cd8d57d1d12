/** {@link imps.server.error.RequestException}: a request refused with a protocol error code. */
package imps.server.error;
