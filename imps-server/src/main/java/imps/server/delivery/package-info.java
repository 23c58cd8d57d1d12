/**
 * What the server pushes and how deliveries are recorded: {@link imps.server.delivery.Push} (a
 * frame and the stored item it carries, if any), {@link imps.server.delivery.DeliveryMark}, and the
 * {@link imps.server.delivery.DeliveryRecorder} that marks stored items delivered in batches. A
 * leaf: it depends on the protocol module only.
 */
package imps.server.delivery;
