package imps.server.store;

import imps.protocol.Gender;
import imps.protocol.Presence;

/**
 * An account.
 *
 * @param nameKey the case-folded form that makes names unique
 * @param statusPreference the status the user last chose: online or invisible
 * @param sharedTime time of the last location shared while visible, "" when none
 * @param sharedLocation the last location shared while visible, "" when none
 */
public record UserRecord(
    long id,
    String name,
    String nameKey,
    String passwordHash,
    Gender gender,
    String email,
    Presence statusPreference,
    String sharedTime,
    String sharedLocation) {}
