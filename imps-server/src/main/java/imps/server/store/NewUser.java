package imps.server.store;

/** The fields of an account to create; all validated already. */
public record NewUser(String name, String nameKey, String passwordHash, int gender, String email) {}
