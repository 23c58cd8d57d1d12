/** The server's wire time format ({@code yyyy-MM-dd HH:mm:ss} in the configured zone). */
package imps.server.time;
