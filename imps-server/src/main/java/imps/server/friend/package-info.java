/** Friends: requests that the other side must approve, mutual auto-accept, the friend list. */
package imps.server.friend;
