/* Public or not, for webhook targets; see net_addr.h. */
#include "core/net_addr.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>
#include <strings.h>

bool net_addr_private_v4(const unsigned char a[4])
{
    unsigned b0 = a[0], b1 = a[1], b2 = a[2];
    return b0 == 0 || b0 == 10 || b0 == 127 || b0 >= 224 || (b0 == 100 && (b1 & 0xC0) == 64) ||
           (b0 == 169 && b1 == 254) || (b0 == 172 && (b1 & 0xF0) == 16) ||
           (b0 == 192 && b1 == 0 && (b2 == 0 || b2 == 2)) || (b0 == 192 && b1 == 168) ||
           (b0 == 198 && (b1 & 0xFE) == 18) || (b0 == 198 && b1 == 51 && b2 == 100) ||
           (b0 == 203 && b1 == 0 && b2 == 113);
}

static bool zero(const unsigned char *p, int n)
{
    for (int i = 0; i < n; i++)
        if (p[i]) return false;
    return true;
}

bool net_addr_private_v6(const unsigned char a[16])
{
    if (zero(a, 10) && a[10] == 0xFF && a[11] == 0xFF) return net_addr_private_v4(a + 12);
    if (zero(a, 12)) return true; /* ::, ::1 and the deprecated ::a.b.c.d */
    if (a[0] == 0x00 && a[1] == 0x64 && a[2] == 0xFF && a[3] == 0x9B && zero(a + 4, 8))
        return net_addr_private_v4(a + 12);
    if (a[0] == 0x20 && a[1] == 0x02) return net_addr_private_v4(a + 2);
    if ((a[0] & 0xFE) == 0xFC) return true;                 /* fc00::/7 */
    if (a[0] == 0xFE && (a[1] & 0x80) == 0x80) return true; /* fe80::/10, fec0::/10 */
    if (a[0] == 0xFF) return true;                          /* multicast */
    if (a[0] == 0x20 && a[1] == 0x01 && a[2] == 0x0D && a[3] == 0xB8) return true;
    return false;
}

int net_host_private(const char *host)
{
    if (!host || !*host) return 1;
    unsigned char a[16];
    if (inet_pton(AF_INET, host, a) == 1) return net_addr_private_v4(a);
    if (inet_pton(AF_INET6, host, a) == 1) return net_addr_private_v6(a);
    /* the legacy forms the resolver also takes: "127.1", "0x7f.1", "2130706433" */
    struct in_addr legacy;
    if (inet_aton(host, &legacy)) return net_addr_private_v4((const unsigned char *)&legacy);
    size_t n = strlen(host);
    if (host[n - 1] == '.') n--;
    static const char lh[] = "localhost";
    size_t k = sizeof lh - 1;
    if (n == k && strncasecmp(host, lh, k) == 0) return 1;
    if (n > k && host[n - k - 1] == '.' && strncasecmp(host + n - k, lh, k) == 0) return 1;
    return -1;
}
