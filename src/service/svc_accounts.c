#include "service/svc_accounts.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "auth/password.h"
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

/* Checks role, scope target and the granter's right to grant it. */
static struct svc_result check_grant(db *d, const struct principal *who, const char *role,
                                     const char *place_code, int64_t grid_id, int64_t org_id)
{
    const struct role *r = role_find(role);
    if (!r) return svc_fail(E_BAD_INPUT, "role", "角色无效");
    int scopes = (place_code && *place_code) + (grid_id > 0) + (org_id > 0);
    if (scopes != 1) return svc_fail(E_BAD_INPUT, "place", "请指定一个范围：区划、网格或组织之一");
    if (who && r->rank >= who->top_rank && who->top_rank < 10)
        return svc_fail(E_FORBIDDEN, "role", "只能授予低于自己级别的角色");
    if (place_code && *place_code) {
        if (DBI(d, 0, "SELECT COUNT(*) FROM places WHERE code = ?", P_TEXT(place_code)) == 0)
            return svc_fail(E_BAD_INPUT, "place", "区划代码不存在");
        if (who && !store_place_in_scope(d, who->account_id, CAP_ACCOUNTS, place_code))
            return svc_fail(E_NOT_FOUND, "place", "该区划不在您的管辖范围内");
    }
    if (grid_id > 0) {
        arena *a = arena_new();
        db_rows *g = DBQ(d, a, "SELECT community_code FROM grids WHERE id = ?", P_INT(grid_id));
        bool ok = g && g->nrows;
        bool in =
            ok && (!who || store_place_in_scope(d, who->account_id, CAP_ACCOUNTS, db_get(g, 0, 0)));
        arena_free(a);
        if (!ok) return svc_fail(E_BAD_INPUT, "grid", "网格不存在");
        if (!in) return svc_fail(E_NOT_FOUND, "grid", "该网格不在您的管辖范围内");
    }
    if (org_id > 0) {
        arena *a = arena_new();
        db_rows *o = DBQ(d, a, "SELECT place_code FROM organisations WHERE id = ?", P_INT(org_id));
        bool ok = o && o->nrows;
        bool in = ok && (!who ||
                         (db_get(o, 0, 0) &&
                          store_place_in_scope(d, who->account_id, CAP_ACCOUNTS, db_get(o, 0, 0))));
        arena_free(a);
        if (!ok) return svc_fail(E_BAD_INPUT, "org", "组织不存在");
        if (!in) return svc_fail(E_NOT_FOUND, "org", "该组织不在您的管辖范围内");
    }
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
    struct svc_result chk = check_grant(d, who, role, place_code, grid_id, org_id);
    if (chk.err) return chk;
    char hash[PASSWORD_HASH_MAX];
    if (password_hash(password, hash) != 0) return svc_fail(E_INTERNAL, NULL, NULL);

    if (db_begin(d) < 0) return svc_fail(E_UNAVAILABLE, NULL, NULL);
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
    struct svc_result chk = check_grant(d, who, role, place_code, grid_id, org_id);
    if (chk.err) return chk;
    if (db_begin(d) < 0) return svc_fail(E_UNAVAILABLE, NULL, NULL);
    int64_t id = store_grant_add(d, account_id, role, place_code, grid_id, org_id);
    if (id < 0 ||
        audit_write(d, who, "grant", "account", arena_printf(a, "%lld", (long long)account_id),
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
    const struct role *r = role_find(role);
    if (who && r && r->rank >= who->top_rank && who->top_rank < 10)
        return svc_fail(E_FORBIDDEN, NULL, "只能撤销低于自己级别的角色");
    if (db_begin(d) < 0) return svc_fail(E_UNAVAILABLE, NULL, NULL);
    if (store_grant_delete(d, grant_id) < 0 ||
        audit_write(d, who, "revoke", "account", db_get(g, 0, 1),
                    db_get(g, 0, 3) ? db_get(g, 0, 3)
                                    : store_account_home_place(d, a, db_get_int(g, 0, 1)),
                    grant_json(a, role, db_get(g, 0, 3), db_get_int(g, 0, 4), db_get_int(g, 0, 5)),
                    NULL, NULL) < 0) {
        db_rollback(d);
        return svc_fail(E_INTERNAL, NULL, NULL);
    }
    if (db_commit(d) < 0) return svc_fail(E_UNAVAILABLE, NULL, NULL);
    return (struct svc_result){.id = grant_id};
}

struct svc_result svc_account_set_password(db *d, arena *a, const struct principal *who,
                                           int64_t account_id, const char *password)
{
    if (!store_account_by_id(d, a, account_id) ||
        (who && who->account_id != account_id &&
         !store_account_in_scope(d, who_id(who), account_id)))
        return svc_fail(E_NOT_FOUND, NULL, NULL);
    const char *weak = password_weakness(password);
    if (weak) return svc_fail(E_BAD_INPUT, "password", weak);
    char hash[PASSWORD_HASH_MAX];
    if (password_hash(password, hash) != 0) return svc_fail(E_INTERNAL, NULL, NULL);
    if (db_begin(d) < 0) return svc_fail(E_UNAVAILABLE, NULL, NULL);
    if (store_account_set_password(d, account_id, hash) < 0 ||
        DBX(d, "DELETE FROM sessions WHERE account_id = ?", P_INT(account_id)) < 0 ||
        audit_write(d, who, "password", "account", arena_printf(a, "%lld", (long long)account_id),
                    store_account_home_place(d, a, account_id), NULL, NULL, NULL) < 0) {
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
    if (db_begin(d) < 0) return svc_fail(E_UNAVAILABLE, NULL, NULL);
    if (store_account_set_disabled(d, account_id, disabled) < 0 ||
        audit_write(d, who, disabled ? "disable" : "enable", "account",
                    arena_printf(a, "%lld", (long long)account_id),
                    store_account_home_place(d, a, account_id), NULL, NULL, NULL) < 0) {
        db_rollback(d);
        return svc_fail(E_INTERNAL, NULL, NULL);
    }
    if (db_commit(d) < 0) return svc_fail(E_UNAVAILABLE, NULL, NULL);
    return (struct svc_result){.id = account_id};
}
