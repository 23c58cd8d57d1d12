package imps.server.store;

/**
 * A validated, normalised location fix: time {@code yyyy-MM-dd HH:mm:ss}, location {@code lat,lon}.
 */
public record Fix(String time, String location) {}
