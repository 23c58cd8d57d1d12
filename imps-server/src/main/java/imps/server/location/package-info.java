/** Locations: validating and normalising fixes, recording heartbeats' fixes, purging history. */
package imps.server.location;
