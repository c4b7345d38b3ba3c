/* Who is asking: the account behind a request or a command. Store queries take
 * the account id and a capability and check scope themselves (store/scope.h). */
#ifndef LINLI_PRINCIPAL_H
#define LINLI_PRINCIPAL_H
#include <stdbool.h>
#include <stdint.h>

struct principal {
    int64_t account_id; /* 0: the command line (trusted, unscoped) */
    const char *username;
    const char *display_name;
    int64_t person_id;    /* the person this account is, if any */
    const char *csrf;     /* the session's CSRF token (cookie sessions) */
    bool via_cookie;      /* authenticated by the session cookie, not a bearer token */
    int top_rank;         /* highest role rank among the grants */
    const char *caps[32]; /* capabilities held somewhere (for menus and route gates) */
    int ncaps;
};

bool principal_has_cap(const struct principal *p, const char *cap);

/* The account id the store scopes by: 0 (unscoped) for the command line. */
static inline int64_t principal_viewer(const struct principal *who)
{
    return who ? who->account_id : 0;
}

#endif
