/**
 * One immutable record per IMPS command, all under the sealed {@link
 * imps.protocol.message.ImpsMessage}.
 *
 * <p>Records hold field values exactly as they travel; they do not validate business rules (a
 * gender of 7 is representable so that the server can answer it with error 8). String fields are
 * never {@code null} unless the record's documentation says an absent trailing field is {@code
 * null}.
 */
package imps.protocol.message;
