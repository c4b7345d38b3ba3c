/* Points: awards by rule, reversals, the supermarket (svc_points.h). Every
 * write validates, opens a transaction, moves balances with guarded UPDATEs,
 * writes its audit entry and commits. Locks are taken in one order — the
 * person's ledger account first, then goods, then community accounts — so that
 * concurrent movements on PostgreSQL queue instead of deadlocking. */
#include "service/svc_points.h"

#include "store/store_accounts.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/points_rule.h"
#include "core/redeem_confirm.h"
#include "core/roles.h"
#include "store/store_audit.h"
#include "store/store_points.h"
#include "util/buf.h"
#include "util/clock.h"
#include "util/text.h"

#define REASON_MAX POINTS_REASON_MAX
#define NAME_MAX_C POINTS_NAME_MAX
#define DONOR_MAX  POINTS_DONOR_MAX
#define QTY_MAX    POINTS_QTY_MAX

static const char replayed_msg[] = "该来源已发放过积分，未重复发放";
static const char person_unknown_msg[] = "居民不存在或不在管辖范围内";
/* One answer for a wrong confirmation and a balance short of the price, so
 * that the counter learns nothing of a balance without the resident. */
static const char counter_refused_msg[] = "未能兑换：兑换码或手机号不符，或积分不足";
static const char phone_known_msg[] = "您查看或登记过该居民的完整信息，手机号不能作为本人确认："
                                      "请居民出示本人手机上的兑换码，或由其他工作人员办理";

/* Text → integer in [lo, hi]; NULL or "" gives dflt. */
static bool num(const char *s, int64_t lo, int64_t hi, int64_t dflt, int64_t *out)
{
    if (!s || !*s) {
        *out = dflt;
        return true;
    }
    char *end;
    long long v = strtoll(s, &end, 10);
    if (*end || end == s || v < lo || v > hi) return false;
    *out = v;
    return true;
}

static struct svc_result store_failed(db *d, const char *what)
{
    fprintf(stderr, "linli: points %s: %s\n", what, db_errmsg(d));
    db_rollback(d);
    return svc_fail(E_INTERNAL, NULL, NULL);
}

static const char *id_text(arena *a, int64_t id)
{
    return arena_printf(a, "%lld", (long long)id);
}

static int64_t by_of(const struct principal *who)
{
    return who ? who->account_id : 0;
}

/* ---------------------------------------------------------------- awards */

static bool savepoint(db *d, const char *sql)
{
    return db_exec_script(d, sql) == DB_OK;
}

/* A refusal before anything was written: ends our level of the transaction
 * (nothing is left to commit), which stays usable for the caller. */
static struct svc_result refuse_early(db *d, struct svc_result r)
{
    db_commit(d);
    return r;
}

/* A refusal after the savepoint: undo what it wrote, keep the caller's transaction. */
static struct svc_result refuse(db *d, struct svc_result r)
{
    if (!savepoint(d, "ROLLBACK TO SAVEPOINT points_award") ||
        !savepoint(d, "RELEASE SAVEPOINT points_award"))
        return store_failed(d, "award");
    return refuse_early(d, r);
}

struct svc_result svc_points_award(db *d, arena *a, const struct principal *who,
                                   const struct points_award *aw)
{
    if (!aw || aw->person_id <= 0) return svc_fail(E_BAD_INPUT, "person_id", "请指定获得积分的人");
    if (!points_source_type_valid(aw->source_type))
        return svc_fail(E_BAD_INPUT, "source_type", "积分来源类型不正确（小写字母、数字和下划线）");
    if (aw->source_id <= 0) return svc_fail(E_BAD_INPUT, "source_id", "积分来源编号不正确");
    if (aw->points < 0 || aw->points > POINTS_MAX)
        return svc_fail(E_BAD_INPUT, "points", "积分应为 1–100000 的整数（0 表示按规则）");
    if (aw->reason && text_chars(aw->reason) > REASON_MAX)
        return svc_fail(E_BAD_INPUT, "reason", "说明不能超过200字");
    /* The reads run inside the transaction: on SQLite that is the writer
     * connection, whose pages stay cached, where a thread's own connection
     * reads every page afresh after any commit. */
    if (db_begin(d) < 0) return svc_fail(E_INTERNAL, NULL, NULL);
    const char *community = store_points_community_of(d, a, aw->place_code);
    if (!community || strcmp(community, aw->place_code) != 0)
        return refuse_early(d, svc_fail(E_UNPROCESSABLE, "place_code", "请指定发放积分的社区"));
    if (DBI(d, 0, "SELECT 1 FROM people WHERE id = ?", P_INT(aw->person_id)) != 1)
        return refuse_early(d, svc_fail(E_UNPROCESSABLE, "person_id", "人员不存在"));

    db_rows *rr = store_points_rules_for(d, a, community, aw->source_type);
    if (!rr) return store_failed(d, "rules");
    struct points_rule *rules = arena_alloc(a, sizeof *rules * (size_t)(rr->nrows + 1));
    for (int i = 0; i < rr->nrows; i++) {
        enum points_period p = PP_MONTH;
        points_period_parse(db_get(rr, i, PR_PERIOD), &p);
        rules[i] = (struct points_rule){db_get(rr, i, PR_PLACE),
                                        db_get(rr, i, PR_SOURCE_TYPE),
                                        db_get_int(rr, i, PR_POINTS),
                                        db_get_int(rr, i, PR_CAP),
                                        p,
                                        db_get_int(rr, i, PR_ACTIVE) != 0};
    }
    int ri = points_rule_pick(rules, rr->nrows, community, aw->source_type);
    int64_t points = aw->points ? aw->points : (ri >= 0 ? rules[ri].points : 0);
    if (points <= 0)
        return refuse_early(
            d, svc_fail(E_UNPROCESSABLE, "source_type",
                        arena_printf(a, "本社区没有“%s”的积分规则，请填写积分", aw->source_type)));
    const char *reason = aw->reason && *aw->reason ? aw->reason
                         : ri >= 0                 ? db_get(rr, ri, PR_NAME)
                                                   : NULL;

    if (!savepoint(d, "SAVEPOINT points_award")) return store_failed(d, "award");
    int64_t person_acc = store_points_account(d, "person", NULL, aw->person_id);
    int64_t issue_acc = store_points_account(d, "issue", community, 0);
    if (person_acc < 0 || issue_acc < 0 || store_points_lock(d, person_acc) < 0)
        return store_failed(d, "award");
    /* after the lock: every award to this person committed before is visible */
    int64_t prior = store_points_award_of(d, aw->source_type, aw->source_id, aw->person_id);
    if (prior > 0) {
        struct svc_result r = refuse(d, (struct svc_result){.err = E_OK, .id = prior});
        if (!r.err) r.message = replayed_msg;
        return r;
    }
    if (ri >= 0 && rules[ri].cap > 0) {
        int64_t from, to;
        points_period_bounds(rules[ri].period, clock_now(), &from, &to);
        int64_t used = store_points_awarded(d, aw->person_id, community, aw->source_type, from, to);
        if (!points_fits(rules[ri].cap, used, points))
            return refuse(
                d, svc_fail(
                       E_UNPROCESSABLE, "points",
                       arena_printf(a, "超过“%s”%s上限：上限%lld分，本期已得%lld分，本次%lld分",
                                    db_get(rr, ri, PR_NAME), points_period_zh(rules[ri].period),
                                    (long long)rules[ri].cap, (long long)used, (long long)points)));
    }
    struct points_movement_row m = {
        .kind = "award",
        .place_code = community,
        .source_type = aw->source_type,
        .reason = reason,
        .person_id = aw->person_id,
        .points = points,
        .source_id = aw->source_id,
        .created_by = by_of(who),
    };
    struct points_entry e[2] = {{issue_acc, -points}, {person_acc, points}};
    int64_t id = store_points_post(d, &m, e, 2);
    if (id == DB_CONSTRAINT) { /* a replay that raced past the lock (cannot on one person) */
        struct svc_result r = refuse(d, (struct svc_result){.err = E_OK});
        r.id = store_points_award_of(d, aw->source_type, aw->source_id, aw->person_id);
        if (!r.err) r.message = replayed_msg;
        return r;
    }
    if (id <= 0) return store_failed(d, "award");
    buf j = {0};
    buf_printf(&j, "{\"person_id\":%lld,\"points\":%lld,\"source_type\":", (long long)aw->person_id,
               (long long)points);
    buf_json_str(&j, aw->source_type);
    buf_printf(&j, ",\"source_id\":%lld}", (long long)aw->source_id);
    int rc = audit_write(d, who, "award", "points_movement", id_text(a, id), community, NULL,
                         buf_cstr(&j), reason);
    buf_free(&j);
    if (rc < 0 || !savepoint(d, "RELEASE SAVEPOINT points_award")) return store_failed(d, "award");
    if (db_commit(d) < 0) return svc_fail(E_INTERNAL, NULL, NULL);
    return (struct svc_result){.id = id};
}

struct svc_result svc_points_award_manual(db *d, arena *a, const struct principal *who,
                                          const struct points_award *aw)
{
    if (!aw || !aw->place_code || !*aw->place_code)
        return svc_fail(E_BAD_INPUT, "place_code", "请指定发放积分的社区");
    if (aw->person_id <= 0) return svc_fail(E_BAD_INPUT, "person_id", "请指定获得积分的人");
    /* the answer names the person and shows her balance: only for people in scope */
    if (!store_points_person_place(d, a, by_of(who), CAP_POINTS_MANAGE, aw->person_id))
        return svc_fail(E_NOT_FOUND, "person_id", person_unknown_msg);
    if (!store_points_covers(d, by_of(who), CAP_POINTS_MANAGE, aw->place_code))
        return svc_fail(E_NOT_FOUND, "place_code", "区划不存在或不在管辖范围内");
    return svc_points_award(d, a, who, aw);
}

/* ---------------------------------------------------------------- reversal */

struct svc_result svc_points_reverse(db *d, arena *a, const struct principal *who,
                                     int64_t movement_id, const char *reason)
{
    db_rows *m = store_points_movement(d, a, by_of(who), CAP_POINTS_MANAGE, 0, movement_id);
    if (!m || !m->nrows) return svc_fail(E_NOT_FOUND, NULL, "积分记录不存在");
    reason = text_trim(a, reason);
    if (!reason || !*reason) return svc_fail(E_BAD_INPUT, "reason", "请填写冲正原因");
    if (text_chars(reason) > REASON_MAX)
        return svc_fail(E_BAD_INPUT, "reason", "原因不能超过200字");
    const char *kind = db_get(m, 0, PM_KIND);
    if (strcmp(kind, "reverse") == 0) return svc_fail(E_UNPROCESSABLE, NULL, "冲正记录不能再冲正");
    if (db_get(m, 0, PM_REVERSED_BY)) return svc_fail(E_CONFLICT, NULL, "该记录已冲正");
    int64_t person = db_get_int(m, 0, PM_PERSON), points = db_get_int(m, 0, PM_POINTS);
    const char *place = db_get(m, 0, PM_PLACE);

    if (db_begin(d) < 0) return svc_fail(E_INTERNAL, NULL, NULL);
    int64_t person_acc = store_points_account(d, "person", NULL, person);
    if (person_acc < 0 || store_points_lock(d, person_acc) < 0) return store_failed(d, "reverse");
    if (strcmp(kind, "redeem") == 0) { /* the goods go back on the shelf (goods before
                                        * the market account: the lock order) */
        db_rows *red = store_points_redemption(d, a, db_get_int(m, 0, PM_SOURCE_ID));
        if (!red || !red->nrows) return store_failed(d, "reverse");
        int64_t goods = db_get_int(red, 0, 0), qty = db_get_int(red, 0, 1);
        if (store_points_stock(d, goods, qty) != 1 ||
            store_points_stock_move(d, goods, "return_in", qty, NULL, reason,
                                    db_get_int(m, 0, PM_SOURCE_ID), by_of(who), clock_now()) < 0)
            return store_failed(d, "reverse");
    }
    db_rows *es = store_points_entries(d, a, movement_id);
    if (!es || es->nrows < 2) return store_failed(d, "reverse");
    struct points_entry *e = arena_alloc(a, sizeof *e * (size_t)es->nrows);
    for (int i = 0; i < es->nrows; i++)
        e[i] = (struct points_entry){db_get_int(es, i, 0), -db_get_int(es, i, 1)};
    struct points_movement_row rev = {
        .kind = "reverse",
        .place_code = place,
        .source_type = "reversal",
        .reason = reason,
        .person_id = person,
        .points = -points,
        .source_id = movement_id,
        .created_by = by_of(who),
        .reverses_id = movement_id,
    };
    int64_t id = store_points_post(d, &rev, e, es->nrows);
    if (id == DB_CONSTRAINT) {
        db_rollback(d);
        return svc_fail(E_CONFLICT, NULL, "该记录已冲正");
    }
    if (id == 0) {
        db_rollback(d);
        return svc_fail(E_UNPROCESSABLE, NULL, "余额不足，无法冲正（这笔积分已被使用）");
    }
    if (id < 0) return store_failed(d, "reverse");
    const char *after = arena_printf(a, "{\"reverses_id\":%lld,\"person_id\":%lld,\"points\":%lld}",
                                     (long long)movement_id, (long long)person, (long long)-points);
    if (audit_write(d, who, "reverse", "points_movement", id_text(a, id), place, NULL, after,
                    reason) < 0)
        return store_failed(d, "reverse");
    if (db_commit(d) < 0) return svc_fail(E_INTERNAL, NULL, NULL);
    return (struct svc_result){.id = id};
}

/* ---------------------------------------------------------------- rules */

struct svc_result svc_points_rule_put(db *d, arena *a, const struct principal *who,
                                      const struct points_rule_input *in)
{
    const char *place = in->place_code;
    if (!place || !*place) return svc_fail(E_BAD_INPUT, "place_code", "请选择社区");
    db_rows *pl = DBQ(d, a, "SELECT level FROM places WHERE code = ?", P_TEXT(place));
    if (!pl || !pl->nrows || !store_points_covers(d, by_of(who), CAP_POINTS_MANAGE, place))
        return svc_fail(E_NOT_FOUND, "place_code", "区划不存在或不在管辖范围内");
    static const char *const levels[] = {"province", "city", "county", "street", "community"};
    bool ok = false;
    for (int i = 0; i < 5; i++) ok |= strcmp(db_get(pl, 0, 0), levels[i]) == 0;
    if (!ok) return svc_fail(E_UNPROCESSABLE, "place_code", "积分规则按社区（或街道、县）设置");
    if (!points_source_type_valid(in->source_type))
        return svc_fail(E_BAD_INPUT, "source_type", "积分来源类型不正确（小写字母、数字和下划线）");
    const char *name = text_trim(a, in->name);
    if (!name || !*name || text_chars(name) > NAME_MAX_C)
        return svc_fail(E_BAD_INPUT, "name", "请填写规则名称（不超过50字）");
    int64_t points, cap;
    if (!num(in->points, 1, POINTS_MAX, 0, &points) || points < 1)
        return svc_fail(E_BAD_INPUT, "points", "积分应为 1–100000 的整数");
    if (!num(in->cap, 0, POINTS_MAX, 0, &cap))
        return svc_fail(E_BAD_INPUT, "cap", "上限应为 0–100000 的整数（0 表示不设上限）");
    enum points_period period = PP_MONTH;
    if (in->period && *in->period && !points_period_parse(in->period, &period))
        return svc_fail(E_BAD_INPUT, "period", "周期应为 day、week、month 或 year");
    bool active = !(in->active && strcmp(in->active, "0") == 0);
    if (db_begin(d) < 0) return svc_fail(E_INTERNAL, NULL, NULL);
    int64_t id = store_points_rule_put(d, place, in->source_type, name, points, cap,
                                       points_period_id(period), active);
    if (id < 0) return store_failed(d, "rule");
    buf j = {0};
    buf_puts(&j, "{\"source_type\":");
    buf_json_str(&j, in->source_type);
    buf_puts(&j, ",\"name\":");
    buf_json_str(&j, name);
    buf_printf(&j, ",\"points\":%lld,\"cap\":%lld,\"period\":\"%s\",\"active\":%s}",
               (long long)points, (long long)cap, points_period_id(period),
               active ? "true" : "false");
    int rc =
        audit_write(d, who, "set", "points_rule", id_text(a, id), place, NULL, buf_cstr(&j), NULL);
    buf_free(&j);
    if (rc < 0) return store_failed(d, "rule");
    if (db_commit(d) < 0) return svc_fail(E_INTERNAL, NULL, NULL);
    return (struct svc_result){.id = id};
}

/* ---------------------------------------------------------------- goods */

static struct svc_result stock_source(arena *a, const struct points_goods_input *in,
                                      const char **kind, const char **donor)
{
    *donor = text_trim(a, in->donor);
    if (in->source && strcmp(in->source, "donation") == 0) {
        if (!*donor || !**donor || text_chars(*donor) > DONOR_MAX)
            return svc_fail(E_BAD_INPUT, "donor", "爱心捐赠请填写捐赠人（不超过100字）");
        *kind = "donation_in";
    } else if (in->source && strcmp(in->source, "purchase") == 0) {
        *kind = "purchase_in";
        *donor = NULL;
    } else
        return svc_fail(E_BAD_INPUT, "source",
                        "来源应为爱心捐赠（donation）或社区自筹（purchase）");
    if (in->note && text_chars(in->note) > REASON_MAX)
        return svc_fail(E_BAD_INPUT, "note", "备注不能超过200字");
    return (struct svc_result){0};
}

struct svc_result svc_points_goods_create(db *d, arena *a, const struct principal *who,
                                          const struct points_goods_input *in)
{
    const char *community = store_points_community_of(d, a, in->place_code);
    if (!community || strcmp(community, in->place_code) != 0)
        return svc_fail(E_BAD_INPUT, "place_code", "积分超市按社区设立，请选择社区");
    if (!store_points_covers(d, by_of(who), CAP_POINTS_MANAGE, community))
        return svc_fail(E_NOT_FOUND, "place_code", "区划不存在或不在管辖范围内");
    const char *name = text_trim(a, in->name);
    if (!name || !*name || text_chars(name) > NAME_MAX_C)
        return svc_fail(E_BAD_INPUT, "name", "请填写商品名称（不超过50字）");
    int64_t price, stock;
    if (!num(in->price, 1, POINTS_MAX, 0, &price) || price < 1)
        return svc_fail(E_BAD_INPUT, "price", "兑换积分应为 1–100000 的整数");
    if (!num(in->stock, 0, POINTS_MAX, 0, &stock))
        return svc_fail(E_BAD_INPUT, "stock", "库存应为 0–100000 的整数");
    const char *kind, *donor;
    struct svc_result bad = stock_source(a, in, &kind, &donor);
    if (bad.err) return bad;
    int64_t now = clock_now();
    if (db_begin(d) < 0) return svc_fail(E_INTERNAL, NULL, NULL);
    int64_t id = store_points_good_insert(d, community, name, price, in->source, donor, now);
    if (id <= 0) return store_failed(d, "goods");
    if (stock > 0 &&
        (store_points_stock(d, id, stock) != 1 ||
         store_points_stock_move(d, id, kind, stock, donor, in->note, 0, by_of(who), now) < 0))
        return store_failed(d, "goods");
    buf j = {0};
    buf_puts(&j, "{\"name\":");
    buf_json_str(&j, name);
    buf_printf(&j, ",\"price\":%lld,\"stock\":%lld,\"source\":", (long long)price,
               (long long)stock);
    buf_json_str(&j, in->source);
    buf_puts(&j, ",\"donor\":");
    buf_json_str(&j, donor);
    buf_puts(&j, "}");
    int rc = audit_write(d, who, "create", "points_goods", id_text(a, id), community, NULL,
                         buf_cstr(&j), NULL);
    buf_free(&j);
    if (rc < 0) return store_failed(d, "goods");
    if (db_commit(d) < 0) return svc_fail(E_INTERNAL, NULL, NULL);
    return (struct svc_result){.id = id};
}

struct svc_result svc_points_stock_in(db *d, arena *a, const struct principal *who, int64_t goods,
                                      const struct points_goods_input *in)
{
    db_rows *g = store_points_good(d, a, by_of(who), CAP_POINTS_MANAGE, NULL, goods);
    if (!g || !g->nrows) return svc_fail(E_NOT_FOUND, NULL, "商品不存在");
    int64_t qty;
    if (!num(in->stock, 1, POINTS_MAX, 0, &qty) || qty < 1)
        return svc_fail(E_BAD_INPUT, "stock", "入库数量应为 1–100000 的整数");
    const char *kind, *donor;
    struct svc_result bad = stock_source(a, in, &kind, &donor);
    if (bad.err) return bad;
    if (db_begin(d) < 0) return svc_fail(E_INTERNAL, NULL, NULL);
    if (store_points_stock(d, goods, qty) != 1 ||
        store_points_stock_move(d, goods, kind, qty, donor, in->note, 0, by_of(who), clock_now()) <
            0)
        return store_failed(d, "stock");
    buf j = {0};
    buf_printf(&j, "{\"kind\":\"%s\",\"qty\":%lld,\"donor\":", kind, (long long)qty);
    buf_json_str(&j, donor);
    buf_puts(&j, "}");
    int rc = audit_write(d, who, "stock_in", "points_goods", id_text(a, goods),
                         db_get(g, 0, PG_PLACE), NULL, buf_cstr(&j), in->note);
    buf_free(&j);
    if (rc < 0) return store_failed(d, "stock");
    if (db_commit(d) < 0) return svc_fail(E_INTERNAL, NULL, NULL);
    return (struct svc_result){.id = goods};
}

struct svc_result svc_points_goods_update(db *d, arena *a, const struct principal *who,
                                          int64_t goods, const struct points_goods_update *in)
{
    db_rows *g = store_points_good(d, a, by_of(who), CAP_POINTS_MANAGE, NULL, goods);
    if (!g || !g->nrows) return svc_fail(E_NOT_FOUND, NULL, "商品不存在");
    int64_t p;
    if (!num(in->price, 1, POINTS_MAX, db_get_int(g, 0, PG_PRICE), &p) || p < 1)
        return svc_fail(E_BAD_INPUT, "price", "兑换积分应为 1–100000 的整数");
    int64_t on = in->active_set ? in->active : db_get_int(g, 0, PG_ACTIVE) != 0;
    if (db_begin(d) < 0) return svc_fail(E_INTERNAL, NULL, NULL);
    if (store_points_good_set(d, goods, p, on != 0) != 1) return store_failed(d, "goods");
    const char *before = arena_printf(a, "{\"price\":%s,\"active\":%s}", db_get(g, 0, PG_PRICE),
                                      db_get_int(g, 0, PG_ACTIVE) ? "true" : "false");
    const char *after =
        arena_printf(a, "{\"price\":%lld,\"active\":%s}", (long long)p, on ? "true" : "false");
    if (audit_write(d, who, "update", "points_goods", id_text(a, goods), db_get(g, 0, PG_PLACE),
                    before, after, NULL) < 0)
        return store_failed(d, "goods");
    if (db_commit(d) < 0) return svc_fail(E_INTERNAL, NULL, NULL);
    return (struct svc_result){.id = goods};
}

/* ---------------------------------------------------------------- redemption */

/* Ends a redemption that wrote nothing. */
static struct svc_result redeem_refuse(db *d, struct svc_result r)
{
    db_rollback(d);
    return r;
}

/* Records a refused counter confirmation (a wrong one, or one past the limit)
 * with its audit entry, and commits: the refusal answers, the record stays. */
static struct svc_result confirm_refused(db *d, arena *a, const struct principal *who,
                                         int64_t person, const char *place, int64_t goods,
                                         bool locked, int64_t now, struct svc_result r)
{
    if ((!locked && store_points_try_add(d, person, by_of(who), false, now) < 0) ||
        audit_write(d, who, locked ? "confirm_locked" : "confirm_failed", "points_confirm",
                    id_text(a, person), place, NULL,
                    arena_printf(a, "{\"person_id\":%lld,\"goods_id\":%lld}", (long long)person,
                                 (long long)goods),
                    locked ? "柜台兑换确认错误次数过多，已拒绝" : "柜台兑换确认不符") < 0)
        return store_failed(d, "confirm");
    if (db_commit(d) < 0) return svc_fail(E_INTERNAL, NULL, NULL);
    return r;
}

struct svc_result svc_points_redeem(db *d, arena *a, const struct principal *who,
                                    const struct points_redeem *in)
{
    int64_t qty;
    if (!num(in->qty, 1, QTY_MAX, 1, &qty)) return svc_fail(E_BAD_INPUT, "qty", "数量应为 1–100");
    if (in->goods_id <= 0) return svc_fail(E_BAD_INPUT, "goods_id", "请选择商品");
    if (in->person_id < 0) return svc_fail(E_BAD_INPUT, "person_id", "兑换人不正确");
    int64_t self = who ? who->person_id : 0;
    bool counter = in->person_id > 0 && in->person_id != self;
    int64_t person = counter ? in->person_id : self;
    const char *key = redeem_key_valid(in->request_key) && by_of(who) > 0 ? in->request_key : NULL;
    db_rows *g;
    const char *person_place = NULL;
    if (!counter) {
        if (!who || !principal_has_cap(who, CAP_SELF) || self <= 0)
            return svc_fail(E_FORBIDDEN, NULL, "本账号未关联居民，不能兑换");
        /* a resident shops in the supermarket of their own community */
        const char *home = store_points_community_of(
            d, a, store_points_person_place(d, a, 0, CAP_POINTS_READ, self));
        g = home ? store_points_good(d, a, 0, CAP_POINTS_MANAGE, NULL, in->goods_id) : NULL;
        if (g && g->nrows && strcmp(db_get(g, 0, PG_PLACE), home) != 0) g = NULL;
    } else {
        if (!who || !principal_has_cap(who, CAP_POINTS_MANAGE))
            return svc_fail(E_FORBIDDEN, "person_id", "只能为自己兑换");
        g = store_points_good(d, a, by_of(who), CAP_POINTS_MANAGE, NULL, in->goods_id);
    }
    if (!g || !g->nrows || !db_get_int(g, 0, PG_ACTIVE))
        return svc_fail(E_NOT_FOUND, "goods_id", "商品不存在或已下架");
    int64_t price = db_get_int(g, 0, PG_PRICE), total = price * qty;
    const char *community = db_get(g, 0, PG_PLACE);
    if (counter) {
        /* neither the person's name nor her balance for anyone out of scope */
        person_place = store_points_person_place(d, a, by_of(who), CAP_POINTS_MANAGE, person);
        if (!person_place) return svc_fail(E_NOT_FOUND, "person_id", person_unknown_msg);
        const char *home = store_points_community_of(d, a, person_place);
        if (!home || strcmp(home, community) != 0)
            return svc_fail(E_UNPROCESSABLE, "person_id", "只能在居民所在社区的积分超市兑换");
    }
    int64_t now = clock_now();

    if (db_begin(d) < 0) return svc_fail(E_INTERNAL, NULL, NULL);
    int64_t person_acc = store_points_account(d, "person", NULL, person);
    if (person_acc < 0 || store_points_lock(d, person_acc) < 0) return store_failed(d, "redeem");
    /* after the lock: what this form redeemed before is visible */
    int64_t prior = key ? store_points_redemption_by_key(d, by_of(who), key) : 0;
    if (prior > 0)
        return redeem_refuse(
            d, (struct svc_result){.id = prior, .message = "该兑换已提交，未重复兑换"});
    const char *confirmed = "self";
    bool used_code = false;
    if (counter) {
        /* the person's lock serialises her tries, from every process */
        int64_t since = now - REDEEM_TRIES_WINDOW_S;
        if (store_points_wrong_tries(d, person, since) >= REDEEM_TRIES_MAX)
            return confirm_refused(
                d, a, who, person, person_place, in->goods_id, true, now,
                svc_fail(E_RATE_LIMITED, "confirm",
                         "该居民柜台兑换确认错误次数过多，已暂停柜台兑换，请24小时后再试"
                         "（居民可在本人手机上自助兑换）"));
        if (store_points_wrong_tries_by(d, by_of(who), since) >= REDEEM_TRIES_MAX_STAFF)
            return confirm_refused(d, a, who, person, person_place, in->goods_id, true, now,
                                   svc_fail(E_RATE_LIMITED, "confirm",
                                            "本账号柜台兑换确认错误次数过多，请24小时后再试"));
        const char *code = store_points_code_get(d, a, person, now, NULL);
        used_code = redeem_code_matches(code, in->confirm);
        /* the number proves nothing to staff who unmasked or typed it: her code does */
        if (!used_code && store_points_phone_known_to(d, by_of(who), person))
            return redeem_refuse(d, svc_fail(E_UNPROCESSABLE, "confirm", phone_known_msg));
        bool ok =
            used_code || redeem_phone_matches(store_points_person_phone(d, a, person), in->confirm);
        if (!ok)
            return confirm_refused(d, a, who, person, person_place, in->goods_id, false, now,
                                   svc_fail(E_UNPROCESSABLE, "confirm", counter_refused_msg));
        confirmed = used_code ? "code" : "phone";
    }
    int rc = store_points_stock(d, in->goods_id, -qty);
    if (rc < 0) return store_failed(d, "redeem");
    if (rc == 0) return redeem_refuse(d, svc_fail(E_UNPROCESSABLE, "qty", "库存不足"));
    int64_t rid = store_points_redemption_insert(d, in->goods_id, person, qty, total, confirmed,
                                                 by_of(who), key, now);
    if (rid == DB_CONSTRAINT) { /* cannot: the key was looked up under the person's lock */
        db_rollback(d);
        return svc_fail(E_CONFLICT, NULL, "该兑换已提交，未重复兑换");
    }
    int64_t market = store_points_account(d, "market", community, 0);
    if (rid <= 0 || market < 0) return store_failed(d, "redeem");
    struct points_movement_row m = {
        .kind = "redeem",
        .place_code = community,
        .source_type = "redemption",
        .reason = arena_printf(a, "兑换 %s ×%lld", db_get(g, 0, PG_NAME), (long long)qty),
        .person_id = person,
        .points = -total,
        .source_id = rid,
        .created_by = by_of(who),
    };
    struct points_entry e[2] = {{person_acc, -total}, {market, total}};
    int64_t mid = store_points_post(d, &m, e, 2);
    if (mid < 0) return store_failed(d, "redeem");
    if (mid == 0) {
        /* the counter hears what a wrong confirmation hears; the resident her balance */
        if (counter)
            return redeem_refuse(d, svc_fail(E_UNPROCESSABLE, "confirm", counter_refused_msg));
        struct svc_result r =
            svc_fail(E_UNPROCESSABLE, "qty",
                     arena_printf(a, "积分不足：需要%lld分，余额%lld分", (long long)total,
                                  (long long)store_points_balance(d, person)));
        return redeem_refuse(d, r);
    }
    if (store_points_stock_move(d, in->goods_id, "redeem_out", -qty, NULL, NULL, rid, by_of(who),
                                now) < 0)
        return store_failed(d, "redeem");
    if (counter && (store_points_try_add(d, person, by_of(who), true, now) < 0 ||
                    (used_code && store_points_code_take(d, person) < 0)))
        return store_failed(d, "redeem");
    const char *after = arena_printf(
        a,
        "{\"goods_id\":%lld,\"person_id\":%lld,\"qty\":%lld,\"points\":%lld,\"movement_id\":%lld,"
        "\"confirmed\":\"%s\"}",
        (long long)in->goods_id, (long long)person, (long long)qty, (long long)total,
        (long long)mid, confirmed);
    const char *note = !counter ? NULL
                       : used_code ? "柜台兑换，居民出示本人手机上的兑换码当面确认"
                                   : "柜台兑换，居民报出完整手机号当面确认";
    if (audit_write(d, who, "redeem", "points_redemption", id_text(a, rid), community, NULL, after,
                    note) < 0)
        return store_failed(d, "redeem");
    if (db_commit(d) < 0) return svc_fail(E_INTERNAL, NULL, NULL);
    return (struct svc_result){.id = mid};
}

struct svc_result svc_points_code_issue(db *d, arena *a, const struct principal *who,
                                        const char **code, int64_t *expires)
{
    if (!who || !principal_has_cap(who, CAP_SELF) || who->person_id <= 0)
        return svc_fail(E_NOT_FOUND, NULL, "本账号未关联居民");
    char c[REDEEM_CODE_DIGITS + 1];
    redeem_code_new(c);
    int64_t now = clock_now();
    *expires = now + REDEEM_CODE_TTL_S;
    const char *place = store_points_person_place(d, a, 0, CAP_POINTS_READ, who->person_id);
    if (db_begin(d) < 0) return svc_fail(E_INTERNAL, NULL, NULL);
    if (store_points_code_put(d, who->person_id, c, *expires, now) < 0 ||
        audit_write(d, who, "issue", "points_code", id_text(a, who->person_id), place, NULL,
                    arena_printf(a, "{\"expires_at\":%lld}", (long long)*expires), NULL) < 0)
        return store_failed(d, "code");
    if (db_commit(d) < 0) return svc_fail(E_INTERNAL, NULL, NULL);
    *code = arena_strdup(a, c);
    return (struct svc_result){.id = who->person_id};
}

/* ---------------------------------------------------------------- read side */

bool svc_points_may_read(db *d, const struct principal *who, int64_t person)
{
    if (!who) return false;
    if (who->account_id == 0) return true;
    if (person > 0 && person == who->person_id && principal_has_cap(who, CAP_SELF)) return true;
    arena *a = arena_new();
    db_rows *r = DBQ(d, a, "SELECT place_code FROM people WHERE id = ?", P_INT(person));
    bool ok = r && r->nrows && db_get(r, 0, 0) &&
              store_points_covers(d, who->account_id, CAP_POINTS_READ, db_get(r, 0, 0));
    arena_free(a);
    return ok;
}

const char *svc_points_home(db *d, arena *a, const struct principal *who)
{
    if (!who || who->person_id <= 0) return NULL;
    db_rows *r = DBQ(d, a, "SELECT place_code FROM people WHERE id = ?", P_INT(who->person_id));
    return r && r->nrows ? store_points_community_of(d, a, db_get(r, 0, 0)) : NULL;
}

struct svc_result svc_points_period(const char *period, const char *date, int64_t *from,
                                    int64_t *to)
{
    if (period && strcmp(period, "all") == 0) {
        *from = 0;
        *to = INT64_MAX;
        return (struct svc_result){0};
    }
    enum points_period p = PP_MONTH;
    if (period && *period && !points_period_parse(period, &p))
        return svc_fail(E_BAD_INPUT, "period", "周期应为 day、week、month、year 或 all");
    int64_t t = clock_now();
    if (date && *date && !points_day_parse(date, &t))
        return svc_fail(E_BAD_INPUT, "date", "日期格式应为 YYYY-MM-DD");
    points_period_bounds(p, t, from, to);
    return (struct svc_result){0};
}

int svc_points_award_service(db *d, arena *a, const struct principal *who, int64_t account,
                             const char *place, const char *source_type, int64_t source_id)
{
    db_rows *acct = store_account_by_id(d, a, account);
    int64_t person = acct ? db_get_int(acct, 0, 4) : 0;
    return svc_points_award_person(d, a, who, person, place, source_type, source_id);
}

int svc_points_award_person(db *d, arena *a, const struct principal *who, int64_t person,
                            const char *place, const char *source_type, int64_t source_id)
{
    if (person <= 0 || !place || strlen(place) < 12) return 0;
    struct points_award aw = {.person_id = person,
                              .place_code = arena_strndup(a, place, 12),
                              .source_type = source_type,
                              .source_id = source_id};
    struct svc_result r = svc_points_award(d, a, who, &aw);
    return r.err == E_INTERNAL ? -1 : 0;
}
