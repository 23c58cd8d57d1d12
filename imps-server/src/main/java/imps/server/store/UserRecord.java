package imps.server.store;

/**
 * An account.
 *
 * @param nameKey the case-folded form that makes names unique
 * @param statusPreference the status the user last chose: 2 online or 1 invisible
 * @param sharedTime time of the last location shared while visible, "" when none
 * @param sharedLocation the last location shared while visible, "" when none
 */
public record UserRecord(
    long id,
    String name,
    String nameKey,
    String passwordHash,
    int gender,
    String email,
    int statusPreference,
    String sharedTime,
    String sharedLocation) {}
