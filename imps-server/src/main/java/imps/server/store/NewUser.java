package imps.server.store;

import imps.protocol.Gender;

/** The fields of an account to create; all validated already. */
public record NewUser(
    String name, String nameKey, String passwordHash, Gender gender, String email) {}
