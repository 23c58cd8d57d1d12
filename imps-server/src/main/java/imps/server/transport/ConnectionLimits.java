package imps.server.transport;

import imps.server.limit.TokenBucket;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What limits each connection, shared by every listener: its address's connection limits, its
 * request rate ({@code limit.requests}; replaced on reload, each connection takes a full bucket at
 * the new rate with its next request), the bytes it may have waiting to be written ({@code
 * output.max-bytes-per-connection}) and the output budget of all connections together.
 */
record ConnectionLimits(
    AddressLimits addresses,
    AtomicReference<TokenBucket.Rate> requests,
    long maxOutputBytes,
    OutputBudget output) {}
