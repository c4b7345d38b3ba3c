/* See svc_volunteer_signup.h. */
#include "service/svc_volunteer_signup.h"

#include <stdio.h>
#include <string.h>

#include "auth/password.h"
#include "core/mask.h"
#include "store/store_accounts.h"
#include "store/store_audit.h"
#include "util/clock.h"
#include "util/text.h"

static bool mobile_valid(const char *s)
{
    return s && strlen(s) == 11 && s[0] == '1' && phone_valid(s);
}

struct svc_result svc_volunteer_signup(db *d, arena *a, const char *client_ip, const char *name,
                                       const char *phone, const char *password,
                                       const char *community)
{
    const char *nm = text_trim(a, name);
    long nn = nm ? text_chars_printable(nm) : 0;
    if (nn < 2 || nn > 30) return svc_fail(E_BAD_INPUT, "name", "请填写2到30个字的姓名");
    const char *ph = text_trim(a, phone);
    if (!mobile_valid(ph)) return svc_fail(E_BAD_INPUT, "phone", "请填写11位手机号码");
    const char *weak = password_weakness(password);
    if (weak) return svc_fail(E_BAD_INPUT, "password", weak);
    if (!community ||
        DBI(d, 0, "SELECT COUNT(*) FROM places WHERE code = ? AND level = 'community'",
            P_TEXT(community)) == 0)
        return svc_fail(E_BAD_INPUT, "community", "请选择所在的社区或村");
    int64_t now = clock_now();
    const char *key = arena_printf(a, "signup:%s", client_ip ? client_ip : "?");
    if (store_login_failures_since(d, key, now - SIGNUP_WINDOW) >= SIGNUP_MAX_IP)
        return svc_fail(E_RATE_LIMITED, NULL, "注册过于频繁，请一小时后再试");
    char hash[PASSWORD_HASH_MAX];
    if (password_hash(password, hash) != 0) return svc_fail(E_INTERNAL, NULL, NULL);
    /* the attempt counts even when the number is taken (probing for numbers) */
    if (store_login_failure_add(d, key, now) < 0) return svc_fail(E_UNAVAILABLE, NULL, NULL);
    if (db_begin(d) < 0) return svc_fail(E_UNAVAILABLE, NULL, NULL);
    int64_t id = store_account_create(d, ph, nm, hash, 0);
    if (id == DB_CONSTRAINT) {
        db_rollback(d);
        return svc_fail(E_CONFLICT, "phone", "该手机号已注册，请直接登录");
    }
    struct principal self = {.account_id = id, .username = ph};
    char masked[32];
    mask_phone(ph, masked, sizeof masked);
    const char *after = arena_printf(
        a, "{\"grant\":{\"place_code\":\"%s\",\"role\":\"volunteer\"},\"phone\":\"%s\"}", community,
        masked);
    if (id < 0 || store_grant_add(d, id, "volunteer", community, 0, 0) < 0 ||
        audit_write(d, &self, "signup", "account", arena_printf(a, "%lld", (long long)id),
                    community, NULL, after, client_ip) < 0) {
        fprintf(stderr, "linli: volunteer signup: %s\n", db_errmsg(d));
        db_rollback(d);
        return svc_fail(E_INTERNAL, NULL, NULL);
    }
    if (db_commit(d) < 0) return svc_fail(E_UNAVAILABLE, NULL, NULL);
    return (struct svc_result){.id = id};
}
