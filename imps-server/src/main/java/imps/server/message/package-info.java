/**
 * Text messages and voice clips: checked, stored durably, then pushed or kept for the next login.
 */
package imps.server.message;
