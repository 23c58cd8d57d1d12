/**
 * Limits, in general form: token buckets, a bounded keyed limiter, client-address keys (IPv6 by
 * /64) and heap shares. A leaf: it knows no other server package, so any layer may use it.
 */
package imps.server.limit;
