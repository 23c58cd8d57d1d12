/**
 * Presence: what friends see of a user (online, or offline for an invisible user) and telling them
 * when it changes.
 */
package imps.server.presence;
