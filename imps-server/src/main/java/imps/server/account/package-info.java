/**
 * Accounts: name and field rules, password hashing (Argon2id), registration, login and its
 * throttle.
 */
package imps.server.account;
