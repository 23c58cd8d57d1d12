-- Client addresses an operator banned (admin `bans add`, docs/OPERATIONS.md): CIDR blocks in their
-- canonical text (`203.0.113.0/24`, `2001:db8::/32`, a single address as /32 or /128). Every node
-- reads the whole table at start and every few seconds, refuses new connections from these blocks
-- and closes the open ones.
CREATE TABLE address_bans (
  cidr       TEXT   NOT NULL PRIMARY KEY,
  created_at BIGINT NOT NULL
);
