/* See svc_volunteer_signup.h. */
#include "service/svc_volunteer_signup.h"

#include <string.h>

#include "auth/password.h"
#include "core/mask.h"
#include "service/svc_tx.h"
#include "store/store_accounts.h"
#include "store/store_places.h"
#include "util/clock.h"
#include "util/text.h"

static bool mobile_valid(const char *s)
{
    return s && strlen(s) == 11 && s[0] == '1' && phone_valid(s);
}

struct signup {
    const char *name, *phone, *hash, *community, *client_ip;
    struct principal *self; /* the new account, who the audit entry names */
};

static struct svc_result signup_tx(db *d, arena *a, void *ctx, struct svc_audit *au)
{
    struct signup *w = ctx;
    int64_t id = store_account_create(d, w->phone, w->name, w->hash, 0);
    if (id == DB_CONSTRAINT) return svc_fail(E_CONFLICT, "phone", "该手机号已注册，请直接登录");
    if (id < 0 || store_grant_add(d, id, "volunteer", w->community, 0, 0) < 0)
        return svc_store_failed();
    *w->self = (struct principal){.account_id = id, .username = w->phone};
    char masked[32];
    mask_phone(w->phone, masked, sizeof masked);
    *au = (struct svc_audit){
        .action = "signup",
        .entity = "account",
        .entity_id = arena_printf(a, "%lld", (long long)id),
        .place_code = w->community,
        .after_json = arena_printf(
            a, "{\"grant\":{\"place_code\":\"%s\",\"role\":\"volunteer\"},\"phone\":\"%s\"}",
            w->community, masked),
        .note = w->client_ip};
    return (struct svc_result){.id = id};
}

struct svc_result svc_volunteer_signup(db *d, arena *a, const char *client_ip,
                                       const struct volunteer_signup_input *in)
{
    const char *nm = text_trim(a, in->name);
    long nn = nm ? text_chars_printable(nm) : 0;
    if (nn < 2 || nn > 30) return svc_fail(E_BAD_INPUT, "name", "请填写2到30个字的姓名");
    const char *ph = text_trim(a, in->phone);
    if (!mobile_valid(ph)) return svc_fail(E_BAD_INPUT, "phone", "请填写11位手机号码");
    const char *weak = password_weakness(in->password);
    if (weak) return svc_fail(E_BAD_INPUT, "password", weak);
    const char *level = in->community ? store_place_level(d, a, in->community) : NULL;
    if (!level || strcmp(level, "community"))
        return svc_fail(E_BAD_INPUT, "community", "请选择所在的社区或村");
    int64_t now = clock_now();
    const char *key = arena_printf(a, "signup:%s", client_ip ? client_ip : "?");
    if (store_login_failures_since(d, key, now - SIGNUP_WINDOW) >= SIGNUP_MAX_IP)
        return svc_fail(E_RATE_LIMITED, NULL, "注册过于频繁，请一小时后再试");
    char hash[PASSWORD_HASH_MAX];
    if (password_hash(in->password, hash) != 0) return svc_fail(E_INTERNAL, NULL, NULL);
    /* the attempt counts even when the number is taken (probing for numbers) */
    if (store_login_failure_add(d, key, now) < 0) return svc_fail(E_UNAVAILABLE, NULL, NULL);
    struct principal self = {0};
    struct signup w = {nm, ph, hash, in->community, client_ip, &self};
    return svc_tx(d, a, &self, "volunteer signup", signup_tx, &w);
}
