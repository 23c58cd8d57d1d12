package imps.server.store.jdbc;

/**
 * Which engine's SQL the JDBC stores may use where the two differ, given by the backend that opens
 * the database. The rules stay in one place (the stores); only the statement that carries them out
 * is chosen by the dialect, never by looking at the connection.
 */
public enum Dialect {
  /**
   * SQLite: one statement at a time. A message is stored in three (the quota's count, the sequence
   * number, the row); over an embedded database a statement costs no round trip.
   */
  SQLITE,

  /**
   * PostgreSQL: data-modifying {@code WITH}, so that a message is stored in one statement (the
   * quota's count, the sequence number and the row; {@link AppendStatement}): one round trip to the
   * server instead of three; and arrays, so that a batch of delivery marks is one statement.
   */
  POSTGRESQL;

  /**
   * Whether a statement takes an array parameter ({@code = ANY (?)}), so that a batch of delivery
   * marks is one statement ({@link Messages#markDeliveredAtOnce}).
   */
  boolean hasArrays() {
    return this == POSTGRESQL;
  }

  /**
   * Whether conversations are indexed in the table {@code conversations}, which the only writer
   * fills itself, each conversation about once a second ({@link ConversationIndex}, SQLite
   * migration V13), rather than by the index {@code messages_conversation} on every insert. Only a
   * sole writer can: its message ids are given out in commit order, so everything up to the mark is
   * filled in; with several writers (PostgreSQL) a lower id may commit after a higher one.
   */
  boolean indexesConversationsInBatches() {
    return this == SQLITE;
  }

  /**
   * Whether acknowledgements are recorded by {@link AcknowledgeStatement}: a statement per user and
   * one per receipt, sent together ({@link Pipelined}), where a database over the network would
   * otherwise cost a round trip per statement.
   */
  boolean recordsAcknowledgementsTogether() {
    return this == POSTGRESQL;
  }

  /** Whether a message is stored by {@link AppendStatement}'s one statement. */
  boolean storesAMessageInOneStatement() {
    return this == POSTGRESQL;
  }
}
