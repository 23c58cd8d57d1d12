package imps.server.transport;

import imps.server.limit.TokenBucket;

/**
 * What limits each connection, shared by every listener: its address's connection limits, its
 * request rate ({@code limit.requests}), the bytes it may have waiting to be written ({@code
 * output.max-bytes-per-connection}) and the output budget of all connections together.
 */
record ConnectionLimits(
    AddressLimits addresses, TokenBucket.Rate requests, long maxOutputBytes, OutputBudget output) {}
