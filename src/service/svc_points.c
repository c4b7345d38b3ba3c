/* Points: awards by rule, reversals, the supermarket (svc_points.h). Every
 * write validates, then runs one transaction that moves balances with guarded
 * UPDATEs and writes its audit entry — through svc_tx(), but for two writes
 * whose refusals differ from a rollback: an award (a refusal keeps the
 * caller's transaction usable, so it undoes a savepoint) and a redemption (a
 * wrong counter confirmation is refused AND recorded, committed under the
 * person's lock so that concurrent guesses are counted one by one). Locks are
 * taken in one order — the person's ledger account first, then goods, then
 * community accounts — so that concurrent movements on PostgreSQL queue
 * instead of deadlocking. */
#include "service/svc_points.h"

#include "store/store_accounts.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/points_rule.h"
#include "core/redeem_confirm.h"
#include "core/roles.h"
#include "service/svc_tx.h"
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
    if (store_points_savepoint(d, SP_UNDO) < 0 || store_points_savepoint(d, SP_RELEASE) < 0)
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
    if (!store_points_person_exists(d, aw->person_id))
        return refuse_early(d, svc_fail(E_UNPROCESSABLE, "person_id", "人员不存在"));

    struct points_rule_row *rr;
    int nr = store_points_rules_for(d, a, community, aw->source_type, &rr);
    if (nr < 0) return store_failed(d, "rules");
    struct points_rule *rules = arena_alloc(a, sizeof *rules * (size_t)(nr + 1));
    for (int i = 0; i < nr; i++) {
        enum points_period p = PP_MONTH;
        points_period_parse(rr[i].period, &p);
        rules[i] = (struct points_rule){
            rr[i].place_code, rr[i].source_type, rr[i].points, rr[i].cap, p, rr[i].active};
    }
    int ri = points_rule_pick(rules, nr, community, aw->source_type);
    int64_t points = aw->points ? aw->points : (ri >= 0 ? rules[ri].points : 0);
    if (points <= 0)
        return refuse_early(
            d, svc_fail(E_UNPROCESSABLE, "source_type",
                        arena_printf(a, "本社区没有“%s”的积分规则，请填写积分", aw->source_type)));
    const char *reason = aw->reason && *aw->reason ? aw->reason : ri >= 0 ? rr[ri].name : NULL;

    if (store_points_savepoint(d, SP_BEGIN) < 0) return store_failed(d, "award");
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
                                    rr[ri].name, points_period_zh(rules[ri].period),
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
    if (rc < 0 || store_points_savepoint(d, SP_RELEASE) < 0) return store_failed(d, "award");
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

struct reverse_write {
    const struct principal *who;
    struct points_movement m; /* the movement reversed */
    const char *reason;
};

/* Puts a redemption's goods back on the shelf (goods before the market
 * account: the lock order). */
static int return_goods(db *d, const struct reverse_write *w)
{
    int64_t goods, qty;
    if (!store_points_redemption(d, w->m.source_id, &goods, &qty)) return -1;
    if (store_points_stock(d, goods, qty) != 1 ||
        store_points_stock_move(d, goods, "return_in", qty, NULL, w->reason, w->m.source_id,
                                by_of(w->who), clock_now()) < 0)
        return -1;
    return 0;
}

static struct svc_result reverse_tx(db *d, arena *a, void *ctx, struct svc_audit *au)
{
    struct reverse_write *w = ctx;
    const struct points_movement *m = &w->m;
    int64_t person_acc = store_points_account(d, "person", NULL, m->person_id);
    if (person_acc < 0 || store_points_lock(d, person_acc) < 0) return svc_store_failed();
    if (strcmp(m->kind, "redeem") == 0 && return_goods(d, w) < 0) return svc_store_failed();
    struct points_entry *e;
    int ne = store_points_entries(d, a, m->id, &e);
    if (ne < 2) return svc_store_failed();
    for (int i = 0; i < ne; i++) e[i].amount = -e[i].amount;
    struct points_movement_row rev = {
        .kind = "reverse",
        .place_code = m->place_code,
        .source_type = "reversal",
        .reason = w->reason,
        .person_id = m->person_id,
        .points = -m->points,
        .source_id = m->id,
        .created_by = by_of(w->who),
        .reverses_id = m->id,
    };
    int64_t id = store_points_post(d, &rev, e, ne);
    if (id == DB_CONSTRAINT) return svc_fail(E_CONFLICT, NULL, "该记录已冲正");
    if (id == 0) return svc_fail(E_UNPROCESSABLE, NULL, "余额不足，无法冲正（这笔积分已被使用）");
    if (id < 0) return svc_store_failed();
    *au = (struct svc_audit){.action = "reverse",
                             .entity = "points_movement",
                             .entity_id = id_text(a, id),
                             .place_code = m->place_code,
                             .after_json = arena_printf(
                                 a, "{\"reverses_id\":%lld,\"person_id\":%lld,\"points\":%lld}",
                                 (long long)m->id, (long long)m->person_id, (long long)-m->points),
                             .note = w->reason};
    return (struct svc_result){.id = id};
}

struct svc_result svc_points_reverse(db *d, arena *a, const struct principal *who,
                                     int64_t movement_id, const char *reason)
{
    struct reverse_write w = {.who = who};
    if (!store_points_movement(d, a, by_of(who), CAP_POINTS_MANAGE, 0, movement_id, &w.m))
        return svc_fail(E_NOT_FOUND, NULL, "积分记录不存在");
    w.reason = text_trim(a, reason);
    if (!w.reason || !*w.reason) return svc_fail(E_BAD_INPUT, "reason", "请填写冲正原因");
    if (text_chars(w.reason) > REASON_MAX)
        return svc_fail(E_BAD_INPUT, "reason", "原因不能超过200字");
    if (strcmp(w.m.kind, "reverse") == 0)
        return svc_fail(E_UNPROCESSABLE, NULL, "冲正记录不能再冲正");
    if (w.m.reversed_by) return svc_fail(E_CONFLICT, NULL, "该记录已冲正");
    return svc_tx(d, a, who, "points reverse", reverse_tx, &w);
}

/* ---------------------------------------------------------------- rules */

struct rule_write {
    const char *place, *source_type, *name, *period;
    int64_t points, cap;
    bool active;
};

static struct svc_result rule_put_tx(db *d, arena *a, void *ctx, struct svc_audit *au)
{
    struct rule_write *w = ctx;
    int64_t id = store_points_rule_put(d, w->place, w->source_type, w->name, w->points, w->cap,
                                       w->period, w->active);
    if (id < 0) return svc_store_failed();
    buf j = {0};
    buf_puts(&j, "{\"source_type\":");
    buf_json_str(&j, w->source_type);
    buf_puts(&j, ",\"name\":");
    buf_json_str(&j, w->name);
    buf_printf(&j, ",\"points\":%lld,\"cap\":%lld,\"period\":\"%s\",\"active\":%s}",
               (long long)w->points, (long long)w->cap, w->period, w->active ? "true" : "false");
    *au = (struct svc_audit){.action = "set",
                             .entity = "points_rule",
                             .entity_id = id_text(a, id),
                             .place_code = w->place,
                             .after_json = arena_strdup(a, buf_cstr(&j))};
    buf_free(&j);
    return (struct svc_result){.id = id};
}

struct svc_result svc_points_rule_put(db *d, arena *a, const struct principal *who,
                                      const struct points_rule_input *in)
{
    const char *place = in->place_code;
    if (!place || !*place) return svc_fail(E_BAD_INPUT, "place_code", "请选择社区");
    const char *level = store_place_visible(d, a, by_of(who), CAP_POINTS_MANAGE, place);
    if (!level) return svc_fail(E_NOT_FOUND, "place_code", "区划不存在或不在管辖范围内");
    static const char *const levels[] = {"province", "city", "county", "street", "community"};
    bool ok = false;
    for (int i = 0; i < 5; i++) ok |= strcmp(level, levels[i]) == 0;
    if (!ok) return svc_fail(E_UNPROCESSABLE, "place_code", "积分规则按社区（或街道、县）设置");
    if (!points_source_type_valid(in->source_type))
        return svc_fail(E_BAD_INPUT, "source_type", "积分来源类型不正确（小写字母、数字和下划线）");
    struct rule_write w = {.place = place, .source_type = in->source_type};
    w.name = text_trim(a, in->name);
    if (!w.name || !*w.name || text_chars(w.name) > NAME_MAX_C)
        return svc_fail(E_BAD_INPUT, "name", "请填写规则名称（不超过50字）");
    if (!num(in->points, 1, POINTS_MAX, 0, &w.points) || w.points < 1)
        return svc_fail(E_BAD_INPUT, "points", "积分应为 1–100000 的整数");
    if (!num(in->cap, 0, POINTS_MAX, 0, &w.cap))
        return svc_fail(E_BAD_INPUT, "cap", "上限应为 0–100000 的整数（0 表示不设上限）");
    enum points_period period = PP_MONTH;
    if (in->period && *in->period && !points_period_parse(in->period, &period))
        return svc_fail(E_BAD_INPUT, "period", "周期应为 day、week、month 或 year");
    w.period = points_period_id(period);
    w.active = !(in->active && strcmp(in->active, "0") == 0);
    return svc_tx(d, a, who, "points rule", rule_put_tx, &w);
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

/* A good's write, checked: creation (id 0) or stock in. */
struct goods_write {
    const struct principal *who;
    struct points_good g; /* stock in and update: the good as it is */
    const char *community, *name, *source, *kind, *donor, *note;
    int64_t price, qty;
    bool active;
};

/* Adds w->qty to the stock of good id with its stock movement. */
static int stock_add(db *d, int64_t id, const struct goods_write *w, int64_t now)
{
    if (w->qty <= 0) return 0;
    return store_points_stock(d, id, w->qty) == 1 &&
                   store_points_stock_move(d, id, w->kind, w->qty, w->donor, w->note, 0,
                                           by_of(w->who), now) >= 0
               ? 0
               : -1;
}

static struct svc_result goods_create_tx(db *d, arena *a, void *ctx, struct svc_audit *au)
{
    struct goods_write *w = ctx;
    int64_t now = clock_now();
    int64_t id =
        store_points_good_insert(d, w->community, w->name, w->price, w->source, w->donor, now);
    if (id <= 0 || stock_add(d, id, w, now) < 0) return svc_store_failed();
    buf j = {0};
    buf_puts(&j, "{\"name\":");
    buf_json_str(&j, w->name);
    buf_printf(&j, ",\"price\":%lld,\"stock\":%lld,\"source\":", (long long)w->price,
               (long long)w->qty);
    buf_json_str(&j, w->source);
    buf_puts(&j, ",\"donor\":");
    buf_json_str(&j, w->donor);
    buf_puts(&j, "}");
    *au = (struct svc_audit){.action = "create",
                             .entity = "points_goods",
                             .entity_id = id_text(a, id),
                             .place_code = w->community,
                             .after_json = arena_strdup(a, buf_cstr(&j))};
    buf_free(&j);
    return (struct svc_result){.id = id};
}

struct svc_result svc_points_goods_create(db *d, arena *a, const struct principal *who,
                                          const struct points_goods_input *in)
{
    struct goods_write w = {.who = who, .source = in->source, .note = in->note};
    w.community = store_points_community_of(d, a, in->place_code);
    if (!w.community || strcmp(w.community, in->place_code) != 0)
        return svc_fail(E_BAD_INPUT, "place_code", "积分超市按社区设立，请选择社区");
    if (!store_points_covers(d, by_of(who), CAP_POINTS_MANAGE, w.community))
        return svc_fail(E_NOT_FOUND, "place_code", "区划不存在或不在管辖范围内");
    w.name = text_trim(a, in->name);
    if (!w.name || !*w.name || text_chars(w.name) > NAME_MAX_C)
        return svc_fail(E_BAD_INPUT, "name", "请填写商品名称（不超过50字）");
    if (!num(in->price, 1, POINTS_MAX, 0, &w.price) || w.price < 1)
        return svc_fail(E_BAD_INPUT, "price", "兑换积分应为 1–100000 的整数");
    if (!num(in->stock, 0, POINTS_MAX, 0, &w.qty))
        return svc_fail(E_BAD_INPUT, "stock", "库存应为 0–100000 的整数");
    struct svc_result bad = stock_source(a, in, &w.kind, &w.donor);
    if (bad.err) return bad;
    return svc_tx(d, a, who, "points goods", goods_create_tx, &w);
}

static struct svc_result stock_in_tx(db *d, arena *a, void *ctx, struct svc_audit *au)
{
    struct goods_write *w = ctx;
    if (stock_add(d, w->g.id, w, clock_now()) < 0) return svc_store_failed();
    buf j = {0};
    buf_printf(&j, "{\"kind\":\"%s\",\"qty\":%lld,\"donor\":", w->kind, (long long)w->qty);
    buf_json_str(&j, w->donor);
    buf_puts(&j, "}");
    *au = (struct svc_audit){.action = "stock_in",
                             .entity = "points_goods",
                             .entity_id = id_text(a, w->g.id),
                             .place_code = w->g.place_code,
                             .after_json = arena_strdup(a, buf_cstr(&j)),
                             .note = w->note};
    buf_free(&j);
    return (struct svc_result){.id = w->g.id};
}

struct svc_result svc_points_stock_in(db *d, arena *a, const struct principal *who, int64_t goods,
                                      const struct points_goods_input *in)
{
    struct goods_write w = {.who = who, .note = in->note};
    if (!store_points_good(d, a, by_of(who), CAP_POINTS_MANAGE, NULL, goods, &w.g))
        return svc_fail(E_NOT_FOUND, NULL, "商品不存在");
    if (!num(in->stock, 1, POINTS_MAX, 0, &w.qty) || w.qty < 1)
        return svc_fail(E_BAD_INPUT, "stock", "入库数量应为 1–100000 的整数");
    struct svc_result bad = stock_source(a, in, &w.kind, &w.donor);
    if (bad.err) return bad;
    return svc_tx(d, a, who, "points stock", stock_in_tx, &w);
}

static struct svc_result goods_update_tx(db *d, arena *a, void *ctx, struct svc_audit *au)
{
    struct goods_write *w = ctx;
    if (store_points_good_set(d, w->g.id, w->price, w->active) != 1) return svc_store_failed();
    *au = (struct svc_audit){
        .action = "update",
        .entity = "points_goods",
        .entity_id = id_text(a, w->g.id),
        .place_code = w->g.place_code,
        .before_json = arena_printf(a, "{\"price\":%lld,\"active\":%s}", (long long)w->g.price,
                                    w->g.active ? "true" : "false"),
        .after_json = arena_printf(a, "{\"price\":%lld,\"active\":%s}", (long long)w->price,
                                   w->active ? "true" : "false")};
    return (struct svc_result){.id = w->g.id};
}

struct svc_result svc_points_goods_update(db *d, arena *a, const struct principal *who,
                                          int64_t goods, const struct points_goods_update *in)
{
    struct goods_write w = {.who = who};
    if (!store_points_good(d, a, by_of(who), CAP_POINTS_MANAGE, NULL, goods, &w.g))
        return svc_fail(E_NOT_FOUND, NULL, "商品不存在");
    if (!num(in->price, 1, POINTS_MAX, w.g.price, &w.price) || w.price < 1)
        return svc_fail(E_BAD_INPUT, "price", "兑换积分应为 1–100000 的整数");
    w.active = in->active_set ? in->active : w.g.active;
    return svc_tx(d, a, who, "points goods", goods_update_tx, &w);
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

/* A redemption, checked before its transaction. */
struct redeem_plan {
    const struct principal *who;
    const struct points_redeem *in;
    struct points_good g;
    int64_t person, qty, total, now;
    bool counter;
    const char *key;          /* the form's request key, or NULL */
    const char *person_place; /* counter: the person's place */
};

/* Who redeems which good: the resident for herself in her own community's
 * supermarket, or staff at the counter for a resident of the good's community
 * in their scope. */
static struct svc_result redeem_check(db *d, arena *a, struct redeem_plan *p)
{
    const struct points_redeem *in = p->in;
    const struct principal *who = p->who;
    if (!num(in->qty, 1, QTY_MAX, 1, &p->qty))
        return svc_fail(E_BAD_INPUT, "qty", "数量应为 1–100");
    if (in->goods_id <= 0) return svc_fail(E_BAD_INPUT, "goods_id", "请选择商品");
    if (in->person_id < 0) return svc_fail(E_BAD_INPUT, "person_id", "兑换人不正确");
    int64_t self = who ? who->person_id : 0;
    p->counter = in->person_id > 0 && in->person_id != self;
    p->person = p->counter ? in->person_id : self;
    p->key = redeem_key_valid(in->request_key) && by_of(who) > 0 ? in->request_key : NULL;
    bool found;
    if (!p->counter) {
        if (!who || !principal_has_cap(who, CAP_SELF) || self <= 0)
            return svc_fail(E_FORBIDDEN, NULL, "本账号未关联居民，不能兑换");
        /* a resident shops in the supermarket of their own community */
        const char *home = store_points_community_of(
            d, a, store_points_person_place(d, a, 0, CAP_POINTS_READ, self));
        found = home && store_points_good(d, a, 0, CAP_POINTS_MANAGE, NULL, in->goods_id, &p->g) &&
                strcmp(p->g.place_code, home) == 0;
    } else {
        if (!who || !principal_has_cap(who, CAP_POINTS_MANAGE))
            return svc_fail(E_FORBIDDEN, "person_id", "只能为自己兑换");
        found = store_points_good(d, a, by_of(who), CAP_POINTS_MANAGE, NULL, in->goods_id, &p->g);
    }
    if (!found || !p->g.active) return svc_fail(E_NOT_FOUND, "goods_id", "商品不存在或已下架");
    p->total = p->g.price * p->qty;
    if (p->counter) {
        /* neither the person's name nor her balance for anyone out of scope */
        p->person_place = store_points_person_place(d, a, by_of(who), CAP_POINTS_MANAGE, p->person);
        if (!p->person_place) return svc_fail(E_NOT_FOUND, "person_id", person_unknown_msg);
        const char *home = store_points_community_of(d, a, p->person_place);
        if (!home || strcmp(home, p->g.place_code) != 0)
            return svc_fail(E_UNPROCESSABLE, "person_id", "只能在居民所在社区的积分超市兑换");
    }
    return (struct svc_result){0};
}

/* The counter's confirmation, under the person's lock (which serialises her
 * tries, from every process): true and *how ("code" or "phone") when it holds;
 * false with *refused (the transaction ended) when it does not. */
static bool counter_confirmed(db *d, arena *a, const struct redeem_plan *p, const char **how,
                              struct svc_result *refused)
{
    const struct principal *who = p->who;
    int64_t since = p->now - REDEEM_TRIES_WINDOW_S, goods = p->in->goods_id;
    if (store_points_wrong_tries(d, p->person, since) >= REDEEM_TRIES_MAX) {
        *refused = confirm_refused(
            d, a, who, p->person, p->person_place, goods, true, p->now,
            svc_fail(E_RATE_LIMITED, "confirm",
                     "该居民柜台兑换确认错误次数过多，已暂停柜台兑换，请24小时后再试"
                     "（居民可在本人手机上自助兑换）"));
        return false;
    }
    if (store_points_wrong_tries_by(d, by_of(who), since) >= REDEEM_TRIES_MAX_STAFF) {
        *refused = confirm_refused(
            d, a, who, p->person, p->person_place, goods, true, p->now,
            svc_fail(E_RATE_LIMITED, "confirm", "本账号柜台兑换确认错误次数过多，请24小时后再试"));
        return false;
    }
    const char *code = store_points_code_get(d, a, p->person, p->now, NULL);
    bool used_code = redeem_code_matches(code, p->in->confirm);
    /* the number proves nothing to staff who unmasked or typed it: her code does */
    if (!used_code && store_points_phone_known_to(d, by_of(who), p->person)) {
        *refused = redeem_refuse(d, svc_fail(E_UNPROCESSABLE, "confirm", phone_known_msg));
        return false;
    }
    if (!used_code &&
        !redeem_phone_matches(store_points_person_phone(d, a, p->person), p->in->confirm)) {
        *refused = confirm_refused(d, a, who, p->person, p->person_place, goods, false, p->now,
                                   svc_fail(E_UNPROCESSABLE, "confirm", counter_refused_msg));
        return false;
    }
    *how = used_code ? "code" : "phone";
    return true;
}

/* The refusal of a balance short of the price: the counter hears what a wrong
 * confirmation hears; the resident her balance. */
static struct svc_result short_balance(db *d, arena *a, const struct redeem_plan *p)
{
    if (p->counter)
        return redeem_refuse(d, svc_fail(E_UNPROCESSABLE, "confirm", counter_refused_msg));
    return redeem_refuse(
        d, svc_fail(E_UNPROCESSABLE, "qty",
                    arena_printf(a, "积分不足：需要%lld分，余额%lld分", (long long)p->total,
                                 (long long)store_points_balance(d, p->person))));
}

/* Stock, the redemption, its movement and the counter's records; the
 * transaction is open and the person's ledger account locked. */
static struct svc_result redeem_write(db *d, arena *a, const struct redeem_plan *p,
                                      int64_t person_acc, const char *confirmed)
{
    const struct principal *who = p->who;
    int64_t goods = p->in->goods_id;
    int rc = store_points_stock(d, goods, -p->qty);
    if (rc < 0) return store_failed(d, "redeem");
    if (rc == 0) return redeem_refuse(d, svc_fail(E_UNPROCESSABLE, "qty", "库存不足"));
    int64_t rid = store_points_redemption_insert(d, goods, p->person, p->qty, p->total, confirmed,
                                                 by_of(who), p->key, p->now);
    if (rid == DB_CONSTRAINT) /* cannot: the key was looked up under the person's lock */
        return redeem_refuse(d, svc_fail(E_CONFLICT, NULL, "该兑换已提交，未重复兑换"));
    int64_t market = store_points_account(d, "market", p->g.place_code, 0);
    if (rid <= 0 || market < 0) return store_failed(d, "redeem");
    struct points_movement_row m = {
        .kind = "redeem",
        .place_code = p->g.place_code,
        .source_type = "redemption",
        .reason = arena_printf(a, "兑换 %s ×%lld", p->g.name, (long long)p->qty),
        .person_id = p->person,
        .points = -p->total,
        .source_id = rid,
        .created_by = by_of(who),
    };
    struct points_entry e[2] = {{person_acc, -p->total}, {market, p->total}};
    int64_t mid = store_points_post(d, &m, e, 2);
    if (mid < 0) return store_failed(d, "redeem");
    if (mid == 0) return short_balance(d, a, p);
    bool used_code = strcmp(confirmed, "code") == 0;
    if (store_points_stock_move(d, goods, "redeem_out", -p->qty, NULL, NULL, rid, by_of(who),
                                p->now) < 0 ||
        (p->counter && (store_points_try_add(d, p->person, by_of(who), true, p->now) < 0 ||
                        (used_code && store_points_code_take(d, p->person) < 0))))
        return store_failed(d, "redeem");
    const char *after = arena_printf(
        a,
        "{\"goods_id\":%lld,\"person_id\":%lld,\"qty\":%lld,\"points\":%lld,\"movement_id\":%lld,"
        "\"confirmed\":\"%s\"}",
        (long long)goods, (long long)p->person, (long long)p->qty, (long long)p->total,
        (long long)mid, confirmed);
    const char *note = !p->counter ? NULL
                       : used_code ? "柜台兑换，居民出示本人手机上的兑换码当面确认"
                                   : "柜台兑换，居民报出完整手机号当面确认";
    if (audit_write(d, who, "redeem", "points_redemption", id_text(a, rid), p->g.place_code, NULL,
                    after, note) < 0)
        return store_failed(d, "redeem");
    if (db_commit(d) < 0) return svc_fail(E_INTERNAL, NULL, NULL);
    return (struct svc_result){.id = mid};
}

struct svc_result svc_points_redeem(db *d, arena *a, const struct principal *who,
                                    const struct points_redeem *in)
{
    struct redeem_plan p = {.who = who, .in = in};
    struct svc_result bad = redeem_check(d, a, &p);
    if (bad.err) return bad;
    p.now = clock_now();
    if (db_begin(d) < 0) return svc_fail(E_INTERNAL, NULL, NULL);
    int64_t person_acc = store_points_account(d, "person", NULL, p.person);
    if (person_acc < 0 || store_points_lock(d, person_acc) < 0) return store_failed(d, "redeem");
    /* after the lock: what this form redeemed before is visible */
    int64_t prior = p.key ? store_points_redemption_by_key(d, by_of(who), p.key) : 0;
    if (prior > 0)
        return redeem_refuse(
            d, (struct svc_result){.id = prior, .message = "该兑换已提交，未重复兑换"});
    const char *confirmed = "self";
    struct svc_result refused;
    if (p.counter && !counter_confirmed(d, a, &p, &confirmed, &refused)) return refused;
    return redeem_write(d, a, &p, person_acc, confirmed);
}

struct code_write {
    int64_t person;
    const char *code;
    int64_t expires, now;
};

static struct svc_result code_tx(db *d, arena *a, void *ctx, struct svc_audit *au)
{
    struct code_write *w = ctx;
    if (store_points_code_put(d, w->person, w->code, w->expires, w->now) < 0)
        return svc_store_failed();
    *au = (struct svc_audit){
        .action = "issue",
        .entity = "points_code",
        .entity_id = id_text(a, w->person),
        .place_code = store_points_person_place(d, a, 0, CAP_POINTS_READ, w->person),
        .after_json = arena_printf(a, "{\"expires_at\":%lld}", (long long)w->expires)};
    return (struct svc_result){.id = w->person};
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
    struct code_write w = {who->person_id, c, *expires, now};
    struct svc_result res = svc_tx(d, a, who, "points code", code_tx, &w);
    if (!res.err) *code = arena_strdup(a, c);
    return res;
}

/* ---------------------------------------------------------------- read side */

bool svc_points_may_read(db *d, const struct principal *who, int64_t person)
{
    if (!who) return false;
    if (who->account_id == 0) return true;
    if (person > 0 && person == who->person_id && principal_has_cap(who, CAP_SELF)) return true;
    arena *a = arena_new();
    const char *place = store_points_person_place(d, a, 0, CAP_POINTS_READ, person);
    bool ok = place && store_points_covers(d, who->account_id, CAP_POINTS_READ, place);
    arena_free(a);
    return ok;
}

const char *svc_points_home(db *d, arena *a, const struct principal *who)
{
    if (!who || who->person_id <= 0) return NULL;
    return store_points_community_of(
        d, a, store_points_person_place(d, a, 0, CAP_POINTS_READ, who->person_id));
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
    int64_t person = account > 0 ? store_points_account_person(d, account) : 0;
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
