#include "service/svc_accounts.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "auth/password.h"
#include "core/login_rule.h"
#include "core/roles.h"
#include "store/store_accounts.h"
#include "service/svc_tx.h"
#include "store/store_places.h"

static bool username_ok(const char *u)
{
    size_t n = u ? strlen(u) : 0;
    if (n < 2 || n > ACCOUNT_USERNAME_MAX) return false;
    for (const unsigned char *p = (const unsigned char *)u; *p; p++)
        if (!(isalnum(*p) || *p == '_' || *p == '-' || *p == '.' || *p >= 0x80)) return false;
    return true;
}

static int64_t who_id(const struct principal *who)
{
    return who ? who->account_id : 0;
}

/* One account operation: what it is, where it is filed, what was asked, and
 * its inputs; the context of its transaction. */
struct acct_op {
    const struct principal *who;
    const char *action;  /* create, grant, revoke, password, disable, enable */
    const char *sid;     /* the account's id as text (NULL: not made yet) */
    const char *place;   /* where the entry, and a refusal, is filed */
    const char *attempt; /* what was asked as JSON (a refusal's after_json), or NULL */
    const char *username, *display_name, *hash, *role, *place_code;
    int64_t account_id, grant_id, grid_id, org_id;
    int disabled;
};

static struct svc_result audit_only_tx(db *d, arena *a, void *ctx, struct svc_audit *au)
{
    (void)d, (void)a;
    *au = *(const struct svc_audit *)ctx;
    return (struct svc_result){0};
}

/* Runs the operation's transaction; a refusal (403) changes nothing and is
 * written to the audit log as <action>_denied in a transaction of its own. */
static struct svc_result run(db *d, arena *a, struct acct_op *op, svc_tx_fn fn)
{
    struct svc_result res =
        svc_tx(d, a, op->who, arena_printf(a, "account %s", op->action), fn, op);
    if (res.err != E_FORBIDDEN) return res;
    struct svc_audit au = {.action = arena_printf(a, "%s_denied", op->action),
                           .entity = "account",
                           .entity_id = op->sid,
                           .place_code = op->place,
                           .after_json = op->attempt,
                           .note = res.message};
    svc_tx(d, a, op->who, "audit of a refusal", audit_only_tx, &au);
    return res;
}

/* Checks role, scope target and the granter's right to grant it: the role
 * below the granter's rank, and every place the grant would confer (a
 * subtree, a grid's places, an organisation's places and the places of its
 * 共建协议) inside the granter's own scope. op->place is set to where the
 * attempt is filed. A target the granter cannot see is not found (404);
 * a visible one that would reach further is forbidden (403). */
static struct svc_result check_grant(db *d, arena *a, struct acct_op *op)
{
    const struct principal *who = op->who;
    const char *code = op->place_code && *op->place_code ? op->place_code : NULL;
    op->place = code;
    if (!role_find(op->role)) return svc_fail(E_BAD_INPUT, "role", "角色无效");
    int scopes = (code != NULL) + (op->grid_id > 0) + (op->org_id > 0);
    if (scopes != 1) return svc_fail(E_BAD_INPUT, "place", "请指定一个范围：区划、网格或组织之一");
    if (code && !store_place_visible(d, a, who_id(who), CAP_ACCOUNTS, code))
        return who && store_place_level(d, a, code)
                   ? svc_fail(E_NOT_FOUND, "place", "该区划不在您的管辖范围内")
                   : svc_fail(E_BAD_INPUT, "place", "区划代码不存在");
    if (op->grid_id > 0 || op->org_id > 0) {
        bool grid = op->grid_id > 0;
        if (!store_grant_anchor(d, a, op->grid_id, op->org_id, &op->place))
            return grid ? svc_fail(E_BAD_INPUT, "grid", "网格不存在")
                        : svc_fail(E_BAD_INPUT, "org", "组织不存在");
        if (who &&
            (!op->place || !store_place_in_scope(d, who->account_id, CAP_ACCOUNTS, op->place)))
            return grid ? svc_fail(E_NOT_FOUND, "grid", "该网格不在您的管辖范围内")
                        : svc_fail(E_NOT_FOUND, "org", "该组织不在您的管辖范围内");
    }
    if (!who) return (struct svc_result){0};
    if (!role_outranked_by(op->role, who->top_rank))
        return svc_fail(E_FORBIDDEN, "role", "只能授予低于自己级别的角色");
    int64_t out = store_new_grant_outside(d, who->account_id, CAP_ACCOUNTS, op->place_code,
                                          op->grid_id, op->org_id);
    if (out < 0) return svc_store_failed();
    if (out > 0)
        return op->grid_id > 0
                   ? svc_fail(E_FORBIDDEN, "grid", "该网格包含您管辖范围以外的地方，不能授权")
                   : svc_fail(E_FORBIDDEN, op->org_id > 0 ? "org" : "place",
                              "该组织（含其共建协议）覆盖您管辖范围以外的地方，不能授权");
    return (struct svc_result){0};
}

/* Revoking one grant needs of that grant what granting it needs: a lower
 * rank, and every place it covers inside the revoker's scope. */
static struct svc_result check_revoke(db *d, const struct principal *who, int64_t grant_id,
                                      const char *role)
{
    if (!who) return (struct svc_result){0};
    if (!role_outranked_by(role, who->top_rank))
        return svc_fail(E_FORBIDDEN, NULL, "只能撤销低于自己级别的角色");
    int64_t out = store_grant_outside(d, who->account_id, CAP_ACCOUNTS, grant_id);
    if (out < 0) return svc_store_failed();
    if (out > 0) return svc_fail(E_FORBIDDEN, NULL, "该授权覆盖您管辖范围以外的地方，不能撤销");
    return (struct svc_result){0};
}

/* May who reset the password of, disable or enable the account? A password
 * and an account are account-wide: who must outrank every role it holds and
 * every grant of it must lie inside who's scope. */
static struct svc_result check_account_admin(db *d, arena *a, const struct principal *who,
                                             int64_t account_id)
{
    if (!who) return (struct svc_result){0};
    struct grant_row *g;
    int n = store_grants_list(d, a, account_id, &g);
    if (n < 0) return svc_store_failed();
    for (int i = 0; i < n; i++)
        if (!role_outranked_by(g[i].role, who->top_rank))
            return svc_fail(E_FORBIDDEN, NULL, "该账号拥有不低于您级别的角色，您不能管理它");
    int64_t out = store_account_grants_outside(d, who->account_id, CAP_ACCOUNTS, account_id);
    if (out < 0) return svc_store_failed();
    if (out > 0) return svc_fail(E_FORBIDDEN, NULL, "该账号有授权超出您的管辖范围，您不能管理它");
    return (struct svc_result){0};
}

static const char *grant_json(arena *a, const char *role, const char *place_code, int64_t grid_id,
                              int64_t org_id)
{
    if (place_code && *place_code)
        return arena_printf(a, "{\"role\":\"%s\",\"place_code\":\"%s\"}", role, place_code);
    if (grid_id > 0)
        return arena_printf(a, "{\"role\":\"%s\",\"grid_id\":%lld}", role, (long long)grid_id);
    return arena_printf(a, "{\"role\":\"%s\",\"org_id\":%lld}", role, (long long)org_id);
}

/* The account's id as text and its home place, for filing its entries. */
static void file_under(db *d, arena *a, struct acct_op *op)
{
    op->sid = arena_printf(a, "%lld", (long long)op->account_id);
    op->place = store_account_home_place(d, a, op->account_id);
}

/* The account exists and who may administer it (who NULL: the command line). */
static bool account_visible(db *d, arena *a, const struct principal *who, int64_t account_id)
{
    struct account_row acct;
    return store_account_get(d, a, account_id, &acct) &&
           (!who || store_account_in_scope(d, who_id(who), account_id));
}

/* Checked inside the write transaction: nothing it reads changes before the grant. */
static struct svc_result create_tx(db *d, arena *a, void *ctx, struct svc_audit *au)
{
    struct acct_op *op = ctx;
    struct svc_result chk = check_grant(d, a, op);
    if (chk.err) return chk;
    int64_t id = store_account_create(d, op->username, op->display_name, op->hash, 0);
    if (id == DB_CONSTRAINT) return svc_fail(E_CONFLICT, "username", "用户名已存在");
    if (id < 0 || store_grant_add(d, id, op->role, op->place_code, op->grid_id, op->org_id) < 0)
        return svc_store_failed();
    *au = (struct svc_audit){.action = "create",
                             .entity = "account",
                             .entity_id = arena_printf(a, "%lld", (long long)id),
                             .place_code = store_account_home_place(d, a, id),
                             .after_json = op->attempt};
    return (struct svc_result){.id = id};
}

struct svc_result svc_account_create(db *d, arena *a, const struct principal *who,
                                     const char *username, const char *display_name,
                                     const char *password, const char *role, const char *place_code,
                                     int64_t grid_id, int64_t org_id)
{
    if (!username_ok(username))
        return svc_fail(E_BAD_INPUT, "username", "用户名应为2到64个字母、数字、汉字或 _-.");
    const char *weak = password_weakness(password);
    if (weak) return svc_fail(E_BAD_INPUT, "password", weak);
    if (display_name && strlen(display_name) > ACCOUNT_DISPLAY_NAME_MAX)
        return svc_fail(E_BAD_INPUT, "display_name", "姓名过长");
    char hash[PASSWORD_HASH_MAX];
    if (password_hash(password, hash) != 0) return svc_fail(E_INTERNAL, NULL, NULL);
    struct acct_op op = {.who = who,
                         .action = "create",
                         .username = username,
                         .display_name = display_name,
                         .hash = hash,
                         .role = role,
                         .place_code = place_code,
                         .grid_id = grid_id,
                         .org_id = org_id};
    op.attempt = arena_printf(a, "{\"username\":\"%s\",\"grant\":%s}", username,
                              grant_json(a, role, place_code, grid_id, org_id));
    return run(d, a, &op, create_tx);
}

static struct svc_result grant_tx(db *d, arena *a, void *ctx, struct svc_audit *au)
{
    struct acct_op *op = ctx;
    struct svc_result chk = check_grant(d, a, op);
    if (chk.err) return chk;
    int64_t id =
        store_grant_add(d, op->account_id, op->role, op->place_code, op->grid_id, op->org_id);
    if (id < 0) return svc_store_failed();
    *au = (struct svc_audit){.action = "grant",
                             .entity = "account",
                             .entity_id = op->sid,
                             .place_code = op->place_code && *op->place_code
                                               ? op->place_code
                                               : store_account_home_place(d, a, op->account_id),
                             .after_json = op->attempt};
    return (struct svc_result){.id = id};
}

struct svc_result svc_grant_add(db *d, arena *a, const struct principal *who, int64_t account_id,
                                const char *role, const char *place_code, int64_t grid_id,
                                int64_t org_id)
{
    if (!account_visible(d, a, who, account_id)) return svc_fail(E_NOT_FOUND, NULL, NULL);
    struct acct_op op = {.who = who,
                         .action = "grant",
                         .sid = arena_printf(a, "%lld", (long long)account_id),
                         .attempt = grant_json(a, role, place_code, grid_id, org_id),
                         .role = role,
                         .place_code = place_code,
                         .account_id = account_id,
                         .grid_id = grid_id,
                         .org_id = org_id};
    return run(d, a, &op, grant_tx);
}

static struct svc_result revoke_tx(db *d, arena *a, void *ctx, struct svc_audit *au)
{
    (void)a;
    struct acct_op *op = ctx;
    struct svc_result chk = check_revoke(d, op->who, op->grant_id, op->role);
    if (chk.err) return chk;
    if (store_grant_delete(d, op->grant_id) < 0) return svc_store_failed();
    *au = (struct svc_audit){.action = "revoke",
                             .entity = "account",
                             .entity_id = op->sid,
                             .place_code = op->place,
                             .before_json = op->attempt};
    return (struct svc_result){.id = op->grant_id};
}

struct svc_result svc_grant_remove(db *d, arena *a, const struct principal *who, int64_t grant_id)
{
    struct grant_row g;
    if (!store_grant_get(d, a, grant_id, &g) ||
        (who && !store_account_in_scope(d, who_id(who), g.account_id)))
        return svc_fail(E_NOT_FOUND, NULL, NULL);
    struct acct_op op = {.who = who,
                         .action = "revoke",
                         .sid = arena_printf(a, "%lld", (long long)g.account_id),
                         .place = g.place_code ? g.place_code
                                               : store_account_home_place(d, a, g.account_id),
                         .attempt = grant_json(a, g.role, g.place_code, g.grid_id, g.org_id),
                         .role = g.role,
                         .account_id = g.account_id,
                         .grant_id = grant_id};
    return run(d, a, &op, revoke_tx);
}

/* A password reset, or an account disabled or enabled: account-wide (see
 * check_account_admin); one's own password needs no more than one's session. */
static struct svc_result admin_tx(db *d, arena *a, void *ctx, struct svc_audit *au)
{
    struct acct_op *op = ctx;
    bool password = op->hash != NULL;
    bool self = op->who && op->who->account_id == op->account_id;
    struct svc_result chk = password && self ? (struct svc_result){0}
                                             : check_account_admin(d, a, op->who, op->account_id);
    if (chk.err) return chk;
    int rc = password ? store_account_set_password(d, op->account_id, op->hash)
                      : store_account_set_disabled(d, op->account_id, op->disabled);
    if (rc >= 0 && password) rc = store_account_sessions_delete(d, op->account_id);
    if (rc < 0) return svc_store_failed();
    *au = (struct svc_audit){
        .action = op->action, .entity = "account", .entity_id = op->sid, .place_code = op->place};
    return (struct svc_result){.id = op->account_id};
}

struct svc_result svc_account_set_password(db *d, arena *a, const struct principal *who,
                                           int64_t account_id, const char *password)
{
    bool self = who && who->account_id == account_id;
    if (!account_visible(d, a, self ? NULL : who, account_id))
        return svc_fail(E_NOT_FOUND, NULL, NULL);
    const char *weak = password_weakness(password);
    if (weak) return svc_fail(E_BAD_INPUT, "password", weak);
    char hash[PASSWORD_HASH_MAX];
    if (password_hash(password, hash) != 0) return svc_fail(E_INTERNAL, NULL, NULL);
    struct acct_op op = {.who = who, .action = "password", .hash = hash, .account_id = account_id};
    file_under(d, a, &op);
    return run(d, a, &op, admin_tx);
}

struct svc_result svc_account_set_disabled(db *d, arena *a, const struct principal *who,
                                           int64_t account_id, int disabled)
{
    if (!account_visible(d, a, who, account_id)) return svc_fail(E_NOT_FOUND, NULL, NULL);
    if (who && who->account_id == account_id)
        return svc_fail(E_FORBIDDEN, NULL, "不能停用自己的账号");
    struct acct_op op = {.who = who,
                         .action = disabled ? "disable" : "enable",
                         .account_id = account_id,
                         .disabled = disabled};
    file_under(d, a, &op);
    return run(d, a, &op, admin_tx);
}

void login_keys(arena *a, const char *client_ip, const char *username, const char *keys[LOGIN_KEYS])
{
    keys[0] = arena_printf(a, "ip:%s", client_ip);
    keys[1] = arena_printf(a, "up:%s %s", client_ip, username);
    keys[2] = arena_printf(a, "u:%s", username);
}

struct reserve_ctx {
    const char *const *keys;
    int64_t now, *wait;
};

static struct svc_result reserve_tx(db *d, arena *a, void *ctx, struct svc_audit *au)
{
    (void)au;
    struct reserve_ctx *c = ctx;
    for (int i = 0; i < LOGIN_KEYS; i++) {
        struct login_counter lc;
        if (store_login_counter_lock(d, c->keys[i], &lc) < 0) goto fail;
        int64_t w = i == 0   ? login_take_hard(&lc, c->now, LOGIN_MAX_ADDRESS)
                    : i == 1 ? login_take_hard(&lc, c->now, LOGIN_MAX_PAIR)
                             : login_take_delayed(&lc, c->now);
        if (w > 0) {
            *c->wait = w;
            return svc_fail(
                E_RATE_LIMITED, NULL,
                w >= 60 ? arena_printf(a, "登录失败次数过多，请%lld分钟后再试",
                                       (long long)((w + 59) / 60))
                        : arena_printf(a, "登录尝试过于频繁，请%lld秒后再试", (long long)w));
        }
        if (store_login_counter_put(d, c->keys[i], &lc) < 0) goto fail;
    }
    return (struct svc_result){0};
fail:
    fprintf(stderr, "linli: login counters: %s\n", db_errmsg(d));
    return svc_fail(E_UNAVAILABLE, NULL, NULL);
}

struct svc_result svc_login_reserve(db *d, arena *a, const char *const keys[LOGIN_KEYS],
                                    int64_t now, int64_t *wait)
{
    *wait = 0;
    struct reserve_ctx c = {keys, now, wait};
    return svc_tx(d, a, NULL, "login counters", reserve_tx, &c);
}

static struct svc_result succeeded_tx(db *d, arena *a, void *ctx, struct svc_audit *au)
{
    (void)a, (void)au;
    const char *const *keys = ((struct reserve_ctx *)ctx)->keys;
    if (store_login_counter_release(d, keys[0]) < 0 || store_login_counter_clear(d, keys[1]) < 0 ||
        store_login_counter_clear(d, keys[2]) < 0)
        return svc_store_failed();
    return (struct svc_result){0};
}

int svc_login_succeeded(db *d, const char *const keys[LOGIN_KEYS])
{
    struct reserve_ctx c = {.keys = keys};
    return svc_tx(d, NULL, NULL, "login counters", succeeded_tx, &c).err ? -1 : 0;
}

bool svc_account_may_administer(db *d, arena *a, const struct principal *who, int64_t account_id)
{
    return check_account_admin(d, a, who, account_id).err == E_OK;
}

bool svc_grant_may_revoke(db *d, const struct principal *who, int64_t grant_id, const char *role)
{
    return check_revoke(d, who, grant_id, role).err == E_OK;
}
