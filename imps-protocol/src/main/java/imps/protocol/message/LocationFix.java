package imps.protocol.message;

/** One (Time, Location) pair of a heartbeat, as sent. */
public record LocationFix(String time, String location) {}
