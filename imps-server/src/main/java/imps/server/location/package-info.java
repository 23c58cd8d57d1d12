/**
 * Locations: parsing and normalising times and fixes, recording heartbeats' fixes, purging old
 * history.
 */
package imps.server.location;
