/** Small helpers for running work off the event loops (a leaf: no other server package). */
package imps.server.concurrent;
