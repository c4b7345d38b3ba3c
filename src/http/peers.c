#include "http/peers.h"
#include "util/hash.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

enum { MAX_TRUSTED = 64, BUCKETS = 1024 };

/* An address as 16 bytes: IPv4 as the IPv4-mapped IPv6 address, so one
 * comparison serves both. */
struct addr {
    unsigned char b[16];
};

struct cidr {
    struct addr net;
    int bits; /* of the 128 */
};

static struct cidr trusted[MAX_TRUSTED];
static int ntrusted;

static void map4(struct addr *a, const void *in4)
{
    memset(a->b, 0, 10);
    a->b[10] = a->b[11] = 0xff;
    memcpy(a->b + 12, in4, 4);
}

static bool from_sockaddr(const struct sockaddr *sa, struct addr *out)
{
    if (!sa) return false;
    if (sa->sa_family == AF_INET) {
        map4(out, &((const struct sockaddr_in *)(const void *)sa)->sin_addr);
        return true;
    }
    if (sa->sa_family == AF_INET6) {
        memcpy(out->b, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, 16);
        return true;
    }
    return false;
}

/* "1.2.3.4" or "::1"; 4 or 6 in *family; false when neither. */
static bool parse(const char *s, struct addr *out, int *family)
{
    unsigned char buf[16];
    if (inet_pton(AF_INET, s, buf) == 1) {
        map4(out, buf);
        *family = 4;
        return true;
    }
    if (inet_pton(AF_INET6, s, buf) == 1) {
        memcpy(out->b, buf, 16);
        *family = 6;
        return true;
    }
    return false;
}

static bool in_cidr(const struct cidr *c, const struct addr *a)
{
    int full = c->bits / 8, rest = c->bits % 8;
    if (memcmp(c->net.b, a->b, (size_t)full) != 0) return false;
    if (!rest) return true;
    unsigned char mask = (unsigned char)(0xff << (8 - rest));
    return (c->net.b[full] & mask) == (a->b[full] & mask);
}

int peers_trust(const char *cidr)
{
    if (!cidr || ntrusted >= MAX_TRUSTED) return -1;
    char host[64];
    const char *slash = strchr(cidr, '/');
    size_t n = slash ? (size_t)(slash - cidr) : strlen(cidr);
    if (n == 0 || n >= sizeof host) return -1;
    memcpy(host, cidr, n);
    host[n] = 0;
    struct cidr c;
    int family;
    if (!parse(host, &c.net, &family)) return -1;
    int max = family == 4 ? 32 : 128, bits = max;
    if (slash) {
        const char *p = slash + 1;
        if (!*p || strlen(p) > 3 || strspn(p, "0123456789") != strlen(p)) return -1;
        bits = atoi(p);
        if (bits > max) return -1;
    }
    c.bits = family == 4 ? bits + 96 : bits;
    trusted[ntrusted++] = c;
    return 0;
}

void peers_trust_none(void)
{
    ntrusted = 0;
}

static bool addr_trusted(const struct addr *a)
{
    for (int i = 0; i < ntrusted; i++)
        if (in_cidr(&trusted[i], a)) return true;
    return false;
}

bool peers_trusted(const struct sockaddr *sa)
{
    struct addr a;
    return ntrusted && from_sockaddr(sa, &a) && addr_trusted(&a);
}

const char *peers_format(arena *a, const struct sockaddr *sa)
{
    char ip[INET6_ADDRSTRLEN] = "?";
    if (sa && sa->sa_family == AF_INET)
        inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, ip,
                  sizeof ip);
    else if (sa && sa->sa_family == AF_INET6)
        inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, ip,
                  sizeof ip);
    return arena_strdup(a, ip);
}

/* The textual form of a: dotted for IPv4 (mapped), else IPv6. */
static const char *addr_format(arena *ar, const struct addr *a)
{
    static const unsigned char mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    char ip[INET6_ADDRSTRLEN];
    if (!memcmp(a->b, mapped, 12))
        inet_ntop(AF_INET, a->b + 12, ip, sizeof ip);
    else
        inet_ntop(AF_INET6, a->b, ip, sizeof ip);
    return arena_strdup(ar, ip);
}

const char *peers_client_ip(arena *a, const struct sockaddr *peer, const char *xff)
{
    if (!xff || !peers_trusted(peer)) return peers_format(a, peer);
    /* From the right: each trusted proxy appended the address it was called
     * from; the first address that is not a trusted proxy is the client. What
     * lies left of it was written by the client and proves nothing. */
    const char *end = xff + strlen(xff);
    struct addr last;
    bool have = false;
    while (end > xff) {
        const char *start = end;
        while (start > xff && start[-1] != ',') start--;
        const char *s = start, *e = end;
        while (s < e && (*s == ' ' || *s == '\t')) s++;
        while (e > s && (e[-1] == ' ' || e[-1] == '\t')) e--;
        char tok[INET6_ADDRSTRLEN + 8];
        size_t n = (size_t)(e - s);
        struct addr ad;
        int family;
        if (n == 0 || n >= sizeof tok) break;
        memcpy(tok, s, n);
        tok[n] = 0;
        if (!parse(tok, &ad, &family)) break; /* not an address: stop believing */
        if (!addr_trusted(&ad)) return addr_format(a, &ad);
        last = ad;
        have = true;
        end = start > xff ? start - 1 : start;
    }
    /* only proxies (or nothing usable) in the header: the last proxy seen, or the peer */
    return have ? addr_format(a, &last) : peers_format(a, peer);
}

bool peers_forwarded_https(const struct sockaddr *peer, const char *proto)
{
    if (!proto || !peers_trusted(peer)) return false;
    /* the value the nearest proxy set: the last of a list */
    const char *v = strrchr(proto, ',');
    v = v ? v + 1 : proto;
    while (*v == ' ' || *v == '\t') v++;
    return strncasecmp(v, "https", 5) == 0 && (v[5] == 0 || v[5] == ' ' || v[5] == '\t');
}

/* Open connections per address: a chained hash table under one mutex,
 * touched only when a connection opens or closes. */
struct conn_count {
    struct conn_count *next;
    struct addr a;
    unsigned n;
};

static pthread_mutex_t conn_mu = PTHREAD_MUTEX_INITIALIZER;
static struct conn_count *buckets[BUCKETS];
static unsigned conn_max;

void peers_conn_limit(unsigned limit)
{
    conn_max = limit;
}

static unsigned bucket_of(const struct addr *a)
{
    return (unsigned)(fnv1a64(FNV64_OFFSET, a->b, 16) % BUCKETS);
}

static struct conn_count **find(const struct addr *a)
{
    struct conn_count **p = &buckets[bucket_of(a)];
    while (*p && memcmp((*p)->a.b, a->b, 16) != 0) p = &(*p)->next;
    return p;
}

bool peers_conn_allowed(const struct sockaddr *sa)
{
    struct addr a;
    if (!conn_max || !from_sockaddr(sa, &a) || addr_trusted(&a)) return true;
    pthread_mutex_lock(&conn_mu);
    struct conn_count *c = *find(&a);
    bool ok = !c || c->n < conn_max;
    pthread_mutex_unlock(&conn_mu);
    return ok;
}

void peers_conn_open(const struct sockaddr *sa)
{
    struct addr a;
    if (!conn_max || !from_sockaddr(sa, &a) || addr_trusted(&a)) return;
    pthread_mutex_lock(&conn_mu);
    struct conn_count **p = find(&a);
    if (!*p) {
        *p = calloc(1, sizeof **p);
        if (*p) (*p)->a = a;
    }
    if (*p) (*p)->n++;
    pthread_mutex_unlock(&conn_mu);
}

void peers_conn_close(const struct sockaddr *sa)
{
    struct addr a;
    if (!conn_max || !from_sockaddr(sa, &a) || addr_trusted(&a)) return;
    pthread_mutex_lock(&conn_mu);
    struct conn_count **p = find(&a);
    if (*p && --(*p)->n == 0) {
        struct conn_count *dead = *p;
        *p = dead->next;
        free(dead);
    }
    pthread_mutex_unlock(&conn_mu);
}
