#include "service/svc_accounts.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "auth/password.h"
#include "core/login_rule.h"
#include "core/roles.h"
#include "store/store_accounts.h"
#include "store/store_audit.h"

static bool username_ok(const char *u)
{
    size_t n = u ? strlen(u) : 0;
    if (n < 2 || n > 64) return false;
    for (const unsigned char *p = (const unsigned char *)u; *p; p++)
        if (!(isalnum(*p) || *p == '_' || *p == '-' || *p == '.' || *p >= 0x80)) return false;
    return true;
}

static int64_t who_id(const struct principal *who)
{
    return who ? who->account_id : 0;
}

/* Writes a refused attempt to the audit log in a transaction of its own (the
 * attempt itself was rolled back), and returns the refusal. */
static struct svc_result refused(db *d, arena *a, const struct principal *who, const char *action,
                                 const char *entity_id, const char *place, const char *attempt_json,
                                 struct svc_result res)
{
    if (db_begin(d) < 0) return res;
    if (audit_write(d, who, arena_printf(a, "%s_denied", action), "account", entity_id, place, NULL,
                    attempt_json, res.message) < 0) {
        fprintf(stderr, "linli: audit of a refusal: %s\n", db_errmsg(d));
        db_rollback(d);
        return res;
    }
    db_commit(d);
    return res;
}

/* Checks role, scope target and the granter's right to grant it: the role
 * below the granter's rank, and every place the grant would confer (a
 * subtree, a grid's places, an organisation's places and the places of its
 * 共建协议) inside the granter's own scope. *place is set to where the
 * attempt is filed. A target the granter cannot see is not found (404);
 * a visible one that would reach further is forbidden (403). */
static struct svc_result check_grant(db *d, arena *a, const struct principal *who, const char *role,
                                     const char *place_code, int64_t grid_id, int64_t org_id,
                                     const char **place)
{
    *place = place_code && *place_code ? place_code : NULL;
    const struct role *r = role_find(role);
    if (!r) return svc_fail(E_BAD_INPUT, "role", "角色无效");
    int scopes = (place_code && *place_code) + (grid_id > 0) + (org_id > 0);
    if (scopes != 1) return svc_fail(E_BAD_INPUT, "place", "请指定一个范围：区划、网格或组织之一");
    if (place_code && *place_code) {
        if (DBI(d, 0, "SELECT COUNT(*) FROM places WHERE code = ?", P_TEXT(place_code)) == 0)
            return svc_fail(E_BAD_INPUT, "place", "区划代码不存在");
        if (who && !store_place_in_scope(d, who->account_id, CAP_ACCOUNTS, place_code))
            return svc_fail(E_NOT_FOUND, "place", "该区划不在您的管辖范围内");
    }
    if (grid_id > 0) {
        db_rows *g = DBQ(d, a, "SELECT community_code FROM grids WHERE id = ?", P_INT(grid_id));
        if (!g || !g->nrows) return svc_fail(E_BAD_INPUT, "grid", "网格不存在");
        *place = db_get(g, 0, 0);
        if (who && !store_place_in_scope(d, who->account_id, CAP_ACCOUNTS, *place))
            return svc_fail(E_NOT_FOUND, "grid", "该网格不在您的管辖范围内");
    }
    if (org_id > 0) {
        db_rows *o = DBQ(d, a, "SELECT place_code FROM organisations WHERE id = ?", P_INT(org_id));
        if (!o || !o->nrows) return svc_fail(E_BAD_INPUT, "org", "组织不存在");
        *place = db_get(o, 0, 0);
        if (who && (!*place || !store_place_in_scope(d, who->account_id, CAP_ACCOUNTS, *place)))
            return svc_fail(E_NOT_FOUND, "org", "该组织不在您的管辖范围内");
    }
    if (!who) return (struct svc_result){0};
    if (!role_outranked_by(role, who->top_rank))
        return svc_fail(E_FORBIDDEN, "role", "只能授予低于自己级别的角色");
    int64_t out =
        store_new_grant_outside(d, who->account_id, CAP_ACCOUNTS, place_code, grid_id, org_id);
    if (out < 0) return svc_fail(E_INTERNAL, NULL, NULL);
    if (out > 0)
        return svc_fail(E_FORBIDDEN,
                        grid_id > 0  ? "grid"
                        : org_id > 0 ? "org"
                                     : "place",
                        grid_id > 0 ? "该网格包含您管辖范围以外的地方，不能授权"
                                    : "该组织（含其共建协议）覆盖您管辖范围以外的地方，不能授权");
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
    if (out < 0) return svc_fail(E_INTERNAL, NULL, NULL);
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
    db_rows *g = store_grants_of(d, a, account_id);
    if (!g) return svc_fail(E_INTERNAL, NULL, NULL);
    for (int i = 0; i < g->nrows; i++)
        if (!role_outranked_by(db_get(g, i, 2), who->top_rank))
            return svc_fail(E_FORBIDDEN, NULL, "该账号拥有不低于您级别的角色，您不能管理它");
    int64_t out = store_account_grants_outside(d, who->account_id, CAP_ACCOUNTS, account_id);
    if (out < 0) return svc_fail(E_INTERNAL, NULL, NULL);
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

struct svc_result svc_account_create(db *d, arena *a, const struct principal *who,
                                     const char *username, const char *display_name,
                                     const char *password, const char *role, const char *place_code,
                                     int64_t grid_id, int64_t org_id)
{
    if (!username_ok(username))
        return svc_fail(E_BAD_INPUT, "username", "用户名应为2到64个字母、数字、汉字或 _-.");
    const char *weak = password_weakness(password);
    if (weak) return svc_fail(E_BAD_INPUT, "password", weak);
    if (display_name && strlen(display_name) > 100)
        return svc_fail(E_BAD_INPUT, "display_name", "姓名过长");
    char hash[PASSWORD_HASH_MAX];
    if (password_hash(password, hash) != 0) return svc_fail(E_INTERNAL, NULL, NULL);

    if (db_begin(d) < 0) return svc_fail(E_UNAVAILABLE, NULL, NULL);
    /* checked inside the write transaction: nothing it reads changes before the grant */
    const char *place;
    struct svc_result chk = check_grant(d, a, who, role, place_code, grid_id, org_id, &place);
    if (chk.err) {
        db_rollback(d);
        if (chk.err != E_FORBIDDEN) return chk;
        return refused(d, a, who, "create", NULL, place,
                       arena_printf(a, "{\"username\":\"%s\",\"grant\":%s}", username,
                                    grant_json(a, role, place_code, grid_id, org_id)),
                       chk);
    }
    int64_t id = store_account_create(d, username, display_name, hash, 0);
    if (id == DB_CONSTRAINT) {
        db_rollback(d);
        return svc_fail(E_CONFLICT, "username", "用户名已存在");
    }
    if (id < 0) goto internal;
    if (store_grant_add(d, id, role, place_code, grid_id, org_id) < 0) goto internal;
    const char *sid = arena_printf(a, "%lld", (long long)id);
    const char *after = arena_printf(a, "{\"username\":\"%s\",\"grant\":%s}", username,
                                     grant_json(a, role, place_code, grid_id, org_id));
    if (audit_write(d, who, "create", "account", sid, store_account_home_place(d, a, id), NULL,
                    after, NULL) < 0)
        goto internal;
    if (db_commit(d) < 0) return svc_fail(E_UNAVAILABLE, NULL, NULL);
    return (struct svc_result){.id = id};
internal:
    fprintf(stderr, "linli: account create: %s\n", db_errmsg(d));
    db_rollback(d);
    return svc_fail(E_INTERNAL, NULL, NULL);
}

struct svc_result svc_grant_add(db *d, arena *a, const struct principal *who, int64_t account_id,
                                const char *role, const char *place_code, int64_t grid_id,
                                int64_t org_id)
{
    if (!store_account_by_id(d, a, account_id) ||
        (who && !store_account_in_scope(d, who_id(who), account_id)))
        return svc_fail(E_NOT_FOUND, NULL, NULL);
    const char *sid = arena_printf(a, "%lld", (long long)account_id);
    if (db_begin(d) < 0) return svc_fail(E_UNAVAILABLE, NULL, NULL);
    const char *place;
    struct svc_result chk = check_grant(d, a, who, role, place_code, grid_id, org_id, &place);
    if (chk.err) {
        db_rollback(d);
        if (chk.err != E_FORBIDDEN) return chk;
        return refused(d, a, who, "grant", sid, place,
                       grant_json(a, role, place_code, grid_id, org_id), chk);
    }
    int64_t id = store_grant_add(d, account_id, role, place_code, grid_id, org_id);
    if (id < 0 ||
        audit_write(d, who, "grant", "account", sid,
                    place_code && *place_code ? place_code
                                              : store_account_home_place(d, a, account_id),
                    NULL, grant_json(a, role, place_code, grid_id, org_id), NULL) < 0) {
        db_rollback(d);
        return svc_fail(E_INTERNAL, NULL, NULL);
    }
    if (db_commit(d) < 0) return svc_fail(E_UNAVAILABLE, NULL, NULL);
    return (struct svc_result){.id = id};
}

struct svc_result svc_grant_remove(db *d, arena *a, const struct principal *who, int64_t grant_id)
{
    db_rows *g = store_grant_by_id(d, a, grant_id);
    if (!g || (who && !store_account_in_scope(d, who_id(who), db_get_int(g, 0, 1))))
        return svc_fail(E_NOT_FOUND, NULL, NULL);
    const char *role = db_get(g, 0, 2);
    const char *account = db_get(g, 0, 1);
    const char *place =
        db_get(g, 0, 3) ? db_get(g, 0, 3) : store_account_home_place(d, a, db_get_int(g, 0, 1));
    const char *what =
        grant_json(a, role, db_get(g, 0, 3), db_get_int(g, 0, 4), db_get_int(g, 0, 5));
    if (db_begin(d) < 0) return svc_fail(E_UNAVAILABLE, NULL, NULL);
    struct svc_result chk = check_revoke(d, who, grant_id, role);
    if (chk.err) {
        db_rollback(d);
        if (chk.err != E_FORBIDDEN) return chk;
        return refused(d, a, who, "revoke", account, place, what, chk);
    }
    if (store_grant_delete(d, grant_id) < 0 ||
        audit_write(d, who, "revoke", "account", account, place, what, NULL, NULL) < 0) {
        db_rollback(d);
        return svc_fail(E_INTERNAL, NULL, NULL);
    }
    if (db_commit(d) < 0) return svc_fail(E_UNAVAILABLE, NULL, NULL);
    return (struct svc_result){.id = grant_id};
}

struct svc_result svc_account_set_password(db *d, arena *a, const struct principal *who,
                                           int64_t account_id, const char *password)
{
    bool self = who && who->account_id == account_id;
    if (!store_account_by_id(d, a, account_id) ||
        (who && !self && !store_account_in_scope(d, who_id(who), account_id)))
        return svc_fail(E_NOT_FOUND, NULL, NULL);
    const char *weak = password_weakness(password);
    if (weak) return svc_fail(E_BAD_INPUT, "password", weak);
    char hash[PASSWORD_HASH_MAX];
    if (password_hash(password, hash) != 0) return svc_fail(E_INTERNAL, NULL, NULL);
    const char *sid = arena_printf(a, "%lld", (long long)account_id);
    if (db_begin(d) < 0) return svc_fail(E_UNAVAILABLE, NULL, NULL);
    struct svc_result chk =
        self ? (struct svc_result){0} : check_account_admin(d, a, who, account_id);
    if (chk.err) {
        db_rollback(d);
        if (chk.err != E_FORBIDDEN) return chk;
        return refused(d, a, who, "password", sid, store_account_home_place(d, a, account_id), NULL,
                       chk);
    }
    if (store_account_set_password(d, account_id, hash) < 0 ||
        DBX(d, "DELETE FROM sessions WHERE account_id = ?", P_INT(account_id)) < 0 ||
        audit_write(d, who, "password", "account", sid, store_account_home_place(d, a, account_id),
                    NULL, NULL, NULL) < 0) {
        db_rollback(d);
        return svc_fail(E_INTERNAL, NULL, NULL);
    }
    if (db_commit(d) < 0) return svc_fail(E_UNAVAILABLE, NULL, NULL);
    return (struct svc_result){.id = account_id};
}

struct svc_result svc_account_set_disabled(db *d, arena *a, const struct principal *who,
                                           int64_t account_id, int disabled)
{
    if (!store_account_by_id(d, a, account_id) ||
        (who && !store_account_in_scope(d, who_id(who), account_id)))
        return svc_fail(E_NOT_FOUND, NULL, NULL);
    if (who && who->account_id == account_id)
        return svc_fail(E_FORBIDDEN, NULL, "不能停用自己的账号");
    const char *sid = arena_printf(a, "%lld", (long long)account_id);
    const char *action = disabled ? "disable" : "enable";
    if (db_begin(d) < 0) return svc_fail(E_UNAVAILABLE, NULL, NULL);
    struct svc_result chk = check_account_admin(d, a, who, account_id);
    if (chk.err) {
        db_rollback(d);
        if (chk.err != E_FORBIDDEN) return chk;
        return refused(d, a, who, action, sid, store_account_home_place(d, a, account_id), NULL,
                       chk);
    }
    if (store_account_set_disabled(d, account_id, disabled) < 0 ||
        audit_write(d, who, action, "account", sid, store_account_home_place(d, a, account_id),
                    NULL, NULL, NULL) < 0) {
        db_rollback(d);
        return svc_fail(E_INTERNAL, NULL, NULL);
    }
    if (db_commit(d) < 0) return svc_fail(E_UNAVAILABLE, NULL, NULL);
    return (struct svc_result){.id = account_id};
}

void login_keys(arena *a, const char *client_ip, const char *username, const char *keys[LOGIN_KEYS])
{
    keys[0] = arena_printf(a, "ip:%s", client_ip);
    keys[1] = arena_printf(a, "up:%s %s", client_ip, username);
    keys[2] = arena_printf(a, "u:%s", username);
}

struct svc_result svc_login_reserve(db *d, arena *a, const char *const keys[LOGIN_KEYS],
                                    int64_t now, int64_t *wait)
{
    *wait = 0;
    if (db_begin(d) < 0) return svc_fail(E_UNAVAILABLE, NULL, NULL);
    for (int i = 0; i < LOGIN_KEYS; i++) {
        struct login_counter c;
        if (store_login_counter_lock(d, keys[i], &c) < 0) goto fail;
        int64_t w = i == 0   ? login_take_hard(&c, now, LOGIN_MAX_ADDRESS)
                    : i == 1 ? login_take_hard(&c, now, LOGIN_MAX_PAIR)
                             : login_take_delayed(&c, now);
        if (w > 0) {
            *wait = w;
            db_rollback(d);
            return svc_fail(
                E_RATE_LIMITED, NULL,
                w >= 60 ? arena_printf(a, "登录失败次数过多，请%lld分钟后再试",
                                       (long long)((w + 59) / 60))
                        : arena_printf(a, "登录尝试过于频繁，请%lld秒后再试", (long long)w));
        }
        if (store_login_counter_put(d, keys[i], &c) < 0) goto fail;
    }
    if (db_commit(d) < 0) return svc_fail(E_UNAVAILABLE, NULL, NULL);
    return (struct svc_result){0};
fail:
    fprintf(stderr, "linli: login counters: %s\n", db_errmsg(d));
    db_rollback(d);
    return svc_fail(E_UNAVAILABLE, NULL, NULL);
}

int svc_login_succeeded(db *d, const char *const keys[LOGIN_KEYS])
{
    if (db_begin(d) < 0) return -1;
    if (store_login_counter_release(d, keys[0]) < 0 || store_login_counter_clear(d, keys[1]) < 0 ||
        store_login_counter_clear(d, keys[2]) < 0) {
        db_rollback(d);
        return -1;
    }
    return db_commit(d) < 0 ? -1 : 0;
}

bool svc_account_may_administer(db *d, arena *a, const struct principal *who, int64_t account_id)
{
    return check_account_admin(d, a, who, account_id).err == E_OK;
}

bool svc_grant_may_revoke(db *d, const struct principal *who, int64_t grant_id, const char *role)
{
    return check_revoke(d, who, grant_id, role).err == E_OK;
}
