/* Who is on the other end: the trusted reverse proxies (linli serve
 * --trusted-proxy CIDR), the client address of a request (X-Forwarded-For
 * believed only from them), whether it came over TLS (X-Forwarded-Proto,
 * likewise), and the count of open connections per address, which never
 * counts a trusted proxy. */
#ifndef LINLI_PEERS_H
#define LINLI_PEERS_H
#include <stdbool.h>
#include <stddef.h>

#include "util/arena.h"

struct sockaddr;

/* Trusts "10.0.0.0/8", "192.168.1.7", "fd00::/8" …; -1 when it is not a CIDR. */
int peers_trust(const char *cidr);
/* Forgets every trusted proxy (tests, a second server_run). */
void peers_trust_none(void);
bool peers_trusted(const struct sockaddr *sa);

/* The textual address of sa ("?" when neither IPv4 nor IPv6). */
const char *peers_format(arena *a, const struct sockaddr *sa);

/* The request's client and scheme. xff is every X-Forwarded-For header of the
 * request joined by ", " (NULL: none), proto the last X-Forwarded-Proto. */
const char *peers_client_ip(arena *a, const struct sockaddr *peer, const char *xff);
bool peers_forwarded_https(const struct sockaddr *peer, const char *proto);

/* At most limit connections open from one address at once (0: no limit).
 * peers_conn_allowed() is asked before a connection is accepted, open/close
 * count it; a few connections accepted at the same instant by different
 * threads may pass the limit together. */
void peers_conn_limit(unsigned limit);
bool peers_conn_allowed(const struct sockaddr *sa);
void peers_conn_open(const struct sockaddr *sa);
void peers_conn_close(const struct sockaddr *sa);

#endif
