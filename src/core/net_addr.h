/* Which addresses a webhook may be delivered to. A webhook is registered by a
 * community's account administrator, but the POST is made by the server, from
 * inside the county's network: without this rule anyone who may register a
 * webhook could make the server knock on its own loopback services, the cloud
 * metadata address (169.254.169.254) or the intranet. Pure: C library and
 * inet_pton/inet_aton only; addresses are raw network-order bytes.
 *
 * Not public (refused unless the administrator allows private targets):
 *   IPv4  0/8 "this network", 10/8, 100.64/10 (carrier NAT), 127/8 loopback,
 *         169.254/16 link-local, 172.16/12, 192.0.0/24, 192.0.2/24,
 *         192.168/16, 198.18/15, 198.51.100/24, 203.0.113/24, 224/4
 *         multicast, 240/4 reserved and broadcast;
 *   IPv6  :: and ::1, fc00::/7 unique-local, fe80::/10 link-local, fec0::/10
 *         site-local, ff00::/8 multicast, 2001:db8::/32 documentation, and the
 *         forms that carry an IPv4 address, judged by that address:
 *         ::ffff:a.b.c.d (mapped), ::a.b.c.d (compatible), 64:ff9b::/96
 *         (NAT64) and 2002::/16 (6to4). */
#ifndef LINLI_NET_ADDR_H
#define LINLI_NET_ADDR_H
#include <stdbool.h>

bool net_addr_private_v4(const unsigned char a[4]);
bool net_addr_private_v6(const unsigned char a[16]);

/* For an address given as text (an URL's host, without brackets): 1 when it
 * is an IP literal that is not public, 0 when a public IP literal, -1 when it
 * is no IP literal (a name). Names "localhost" and "*.localhost" (any case,
 * trailing dot or not) count as not public: they are loopback by RFC 6761. */
int net_host_private(const char *host);

#endif
