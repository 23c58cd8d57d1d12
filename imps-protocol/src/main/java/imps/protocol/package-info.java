/**
 * The IMPS wire protocol: command numbers, error codes, status and gender values, and the limits of
 * section 6 of the specification. No server logic lives here.
 */
package imps.protocol;
