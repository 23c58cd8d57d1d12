package imps.server.store;

/** What answering a friend request did. */
public sealed interface AnswerResult {
  /** No such pending request. */
  record NoRequest() implements AnswerResult {}

  /** Accepting would pass the friend limit of either side; the request stays pending. */
  record LimitReached() implements AnswerResult {}

  /** Answered; the outcome is stored for the requester. */
  record Answered(PendingRequest request, Outcome outcomeForRequester) implements AnswerResult {}
}
