/** Operator endpoints: an optional HTTP health check for load balancers and monitoring. */
package imps.server.admin;
