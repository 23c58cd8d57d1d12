package imps.client;

import java.time.Instant;

/**
 * One fix of a {@link Track}.
 *
 * @param time when the fix was taken (to the second)
 * @param position where
 */
public record TrackPoint(Instant time, Position position) {}
