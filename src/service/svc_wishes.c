/* Micro-wishes; see svc_wishes.h and docs/wishes.md. */
#include "service/svc_wishes.h"

#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/roles.h"
#include "core/wish_rule.h"
#include "service/svc_notify.h"
#include "service/svc_photo_check.h"
#include "service/svc_points.h"
#include "store/store_accounts.h"
#include "service/svc_tx.h"
#include "store/store_wishes.h"
#include "util/clock.h"
#include "util/text.h"

const char *wish_today(arena *a)
{
    char t[24];
    clock_format_local(clock_now(), t);
    return arena_printf(a, "%.10s", t);
}

/* What the wall shows of a person: the surname and two stars (王**), never
 * the length of the name. */
static const char *masked_surname(arena *a, const char *name)
{
    if (!name || !*name) return NULL;
    const unsigned char *p = (const unsigned char *)name;
    size_t n = *p < 0x80 ? 1 : *p >= 0xF0 ? 4 : *p >= 0xE0 ? 3 : 2;
    if (strlen(name) < n) n = 1;
    return arena_printf(a, "%.*s**", (int)n, name);
}

static const char *anonymous_name(const char *kind)
{
    if (strcmp(kind, "child") == 0) return "一位困境儿童";
    if (strcmp(kind, "elder") == 0) return "一位老人";
    return "一位居民";
}

static const char *id_text(arena *a, int64_t id)
{
    return arena_printf(a, "%lld", (long long)id);
}

/* after_json of an audit entry: the wish's id fields, never a name. */
static char *wish_json(const char *state, const char *kind, const char *title,
                       const char *extra_key, const char *extra)
{
    json_t *j = json_pack("{s:s, s:s?, s:s?}", "state", state, "kind", kind, "title", title);
    if (extra_key) json_object_set_new(j, extra_key, extra ? json_string(extra) : json_null());
    char *s = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS);
    json_decref(j);
    return s;
}

/* The audit entry of a change to wish id (after_json moved into the arena). */
static struct svc_audit wish_audit(arena *a, const char *action, int64_t id, const char *place,
                                   char *after_json, const char *note)
{
    struct svc_audit au = {.action = action,
                           .entity = "wish",
                           .entity_id = id_text(a, id),
                           .place_code = place,
                           .after_json = arena_strdup(a, after_json),
                           .note = note};
    free(after_json);
    return au;
}

const char **svc_wish_home_communities(db *d, arena *a, int64_t account, int *n)
{
    *n = 0;
    const char **p;
    int np = store_wish_poster_places(d, a, account, &p);
    if (np <= 0) return NULL;
    const char **out = arena_alloc(a, sizeof *out * (size_t)np);
    for (int i = 0; i < np; i++) {
        const char *c = store_place_community(d, a, p[i]);
        bool seen = !c;
        for (int k = 0; k < *n && !seen; k++) seen = strcmp(out[k], c) == 0;
        if (!seen) out[(*n)++] = c;
    }
    return out;
}

static bool lives_or_serves(db *d, arena *a, int64_t account, const char *community)
{
    int n;
    const char **mine = svc_wish_home_communities(d, a, account, &n);
    for (int i = 0; i < n; i++)
        if (strcmp(mine[i], community) == 0) return true;
    return false;
}

struct post_write {
    const struct wish_new *w;
    bool staff; /* posted on behalf of someone */
};

static struct svc_result post_tx(db *d, arena *a, void *ctx, struct svc_audit *au)
{
    struct post_write *p = ctx;
    const struct wish_new *w = p->w;
    int64_t id = store_wish_insert(d, w, clock_now());
    if (id < 0) return svc_store_failed();
    *au = wish_audit(a, "create", id, w->place_code,
                     wish_json("pending", w->kind, w->title, "wanted_by", w->wanted_by),
                     p->staff ? "代为发布" : NULL);
    return (struct svc_result){.id = id};
}

struct svc_result svc_wish_post(db *d, arena *a, const struct principal *who,
                                const struct wish_input *in)
{
    if (!who || who->account_id <= 0) return svc_fail(E_UNAUTHORIZED, NULL, "请先登录");
    const char *kind = in->kind && *in->kind ? in->kind : "resident";
    if (!wish_kind_zh(kind))
        return svc_fail(E_BAD_INPUT, "kind",
                        "心愿类型应为 resident（居民）、child（困境儿童）或 elder（老人）");
    const char *title = text_trim(a, in->title);
    long tn = title ? text_chars_printable(title) : 0;
    if (tn < 2 || tn > WISH_TITLE_MAX)
        return svc_fail(E_BAD_INPUT, "title", "请用2到60个字写下心愿");
    const char *detail = text_trim(a, in->detail);
    if (detail && *detail && text_chars(detail) > WISH_DETAIL_MAX)
        return svc_fail(E_BAD_INPUT, "detail", "心愿说明不能超过500字");
    const char *wanted = text_trim(a, in->wanted_by);
    if (wanted && *wanted) {
        if (!wish_date_valid(wanted))
            return svc_fail(E_BAD_INPUT, "wanted_by", "期望日期应为 YYYY-MM-DD 格式的日期");
        if (strcmp(wanted, wish_today(a)) < 0)
            return svc_fail(E_BAD_INPUT, "wanted_by", "期望日期不能早于今天");
    }
    if (in->person_id < 0) return svc_fail(E_BAD_INPUT, "person_id", "居民编号应为正整数");
    bool person = false;
    const char *person_name = NULL, *person_place = NULL;
    if (in->person_id > 0) {
        person = store_wish_person(d, a, in->person_id, &person_name, &person_place);
        if (!person || !person_place ||
            !store_wish_covers(d, who->account_id, CAP_WISHES_REVIEW, person_place))
            return svc_fail(E_NOT_FOUND, "person_id", "该人员不存在或不在您的范围内");
    }
    const char *place = in->place_code && *in->place_code ? in->place_code
                        : person                          ? person_place
                                 : store_account_home_place(d, a, who->account_id);
    if (!(in->place_code && *in->place_code) && !person &&
        !(place && store_wish_covers(d, who->account_id, CAP_WISHES_REVIEW, place))) {
        /* posting for oneself: by default where one lives (the first grant
         * may be a volunteer's or an organisation's, elsewhere) */
        int n;
        const char **mine = svc_wish_home_communities(d, a, who->account_id, &n);
        if (n > 0) place = mine[0];
    }
    if (!place || !store_wish_place_name(d, a, place))
        return svc_fail(E_BAD_INPUT, "place_code", "区划代码不存在");
    const char *community = store_place_community(d, a, place);
    if (!community) return svc_fail(E_BAD_INPUT, "place_code", "心愿须属于某个社区或村");
    bool staff = store_wish_covers(d, who->account_id, CAP_WISHES_REVIEW, place);
    const char *shown;
    if (staff) {
        shown = person ? masked_surname(a, person_name) : anonymous_name(kind);
    } else {
        if (!lives_or_serves(d, a, who->account_id, community))
            return store_wish_covers(d, who->account_id, CAP_SELF, place)
                       ? svc_fail(E_FORBIDDEN, "place_code",
                                  "只能为您居住的社区或双报到的社区发布心愿")
                       : svc_fail(E_NOT_FOUND, "place_code", "该区划不在您的范围内");
        if (strcmp(kind, "resident") != 0 || person)
            return svc_fail(E_FORBIDDEN, "kind",
                            "只有网格员、儿童主任和社区工作人员可以代为发布心愿");
        shown = masked_surname(a, store_wish_account_name(d, a, who->account_id));
        if (!shown) shown = anonymous_name(kind);
    }
    struct wish_new w = {.place_code = place,
                         .community_code = community,
                         .kind = kind,
                         .title = title,
                         .detail = detail,
                         .wanted_by = wanted,
                         .person_id = person ? in->person_id : 0,
                         .display_name = shown,
                         .posted_by = who->account_id};
    struct post_write pw = {&w, staff};
    return svc_tx(d, a, who, "wish post", post_tx, &pw);
}

/* The wish as the actor sees it: true and *w. */
static bool visible(db *d, arena *a, const struct principal *who, int64_t id, struct wish *w)
{
    return who && store_wish_get(d, a, who->account_id, id, w);
}
#define NOT_FOUND svc_fail(E_NOT_FOUND, NULL, "心愿不存在或不在您的范围内")

static struct svc_result not_now(arena *a, const char *state)
{
    return svc_fail(
        E_CONFLICT, "state",
        arena_printf(a, "该心愿当前状态为「%s」，不能进行此操作", wish_state_zh(state)));
}

/* The state a wish is in now, for a change that found it moved on. */
static struct svc_result moved_on(db *d, arena *a, int64_t id)
{
    struct wish now;
    return not_now(a, store_wish_get(d, a, 0, id, &now) ? now.state : NULL);
}

/* A change of a wish, checked: what the transactions below write. */
struct wish_change {
    const struct principal *who;
    struct wish w;    /* as it was */
    const char *text; /* review: the reason; fulfil: the note */
    bool approve;
    const char *mime, *b64; /* fulfil: the photo */
    int64_t len;
};

/* Publishing pushes the wish to the linked organisations and in-service
 * members, and tells the poster; a refusal tells the poster why. */
static int review_notify(db *d, arena *a, const struct wish_change *c, int64_t now)
{
    const struct wish *w = &c->w;
    const char *link = arena_printf(a, "/wishes/%lld", (long long)w->id);
    if (!c->approve)
        return notify_account(d, w->posted_by, "wish_rejected", 0,
                              arena_printf(a, "心愿未通过审核：%s", w->title),
                              arena_printf(a, "原因：%s。%s", c->text, link), now);
    db_rows *to = store_wish_push_accounts(d, a, w->community_code);
    const char *body = arena_printf(a, "%s心愿墙有一个新心愿待认领：%s。查看心愿墙：/wall/%s",
                                    w->community_name, w->title, w->community_code);
    if (!to || notify_accounts(d, to, w->posted_by, "wish_published", 0,
                               arena_printf(a, "新的微心愿：%s", w->title), body, now) < 0)
        return -1;
    return notify_account(d, w->posted_by, "wish_published", 0,
                          arena_printf(a, "心愿已通过审核：%s", w->title),
                          arena_printf(a, "已在心愿墙发布，等待认领。%s", link), now);
}

static struct svc_result review_tx(db *d, arena *a, void *ctx, struct svc_audit *au)
{
    struct wish_change *c = ctx;
    int64_t now = clock_now(), id = c->w.id;
    int n = store_wish_review(d, id, c->approve, c->text, c->who->account_id, now);
    if (n < 0) return svc_store_failed();
    if (n == 0) return moved_on(d, a, id);
    if (review_notify(d, a, c, now) < 0) return svc_store_failed();
    *au = wish_audit(a, c->approve ? "approve" : "reject", id, c->w.place_code,
                     wish_json(c->approve ? "published" : "rejected", NULL, NULL, "reason",
                               c->approve ? NULL : c->text),
                     NULL);
    return (struct svc_result){.id = id};
}

struct svc_result svc_wish_review(db *d, arena *a, const struct principal *who, int64_t id,
                                  const struct wish_review_input *in)
{
    struct wish_change c = {.who = who};
    if (!visible(d, a, who, id, &c.w)) return NOT_FOUND;
    if (!store_wish_covers(d, who->account_id, CAP_WISHES_REVIEW, c.w.place_code))
        return svc_fail(E_FORBIDDEN, NULL, "只有社区工作人员可以审核心愿");
    c.approve = in->decision && strcmp(in->decision, "approve") == 0;
    if (!c.approve && !(in->decision && strcmp(in->decision, "reject") == 0))
        return svc_fail(E_BAD_INPUT, "decision", "审核结果应为 approve（通过）或 reject（不通过）");
    c.text = text_trim(a, in->reason);
    if (!c.approve &&
        (!c.text || text_chars_printable(c.text) < 2 || text_chars(c.text) > WISH_REASON_MAX))
        return svc_fail(E_BAD_INPUT, "reason", "不通过时请用2到200个字说明原因");
    if (strcmp(c.w.state, "pending") != 0) return not_now(a, c.w.state);
    return svc_tx(d, a, who, "wish review", review_tx, &c);
}

static struct svc_result claim_tx(db *d, arena *a, void *ctx, struct svc_audit *au)
{
    struct wish_change *c = ctx;
    int64_t now = clock_now(), id = c->w.id;
    int n = store_wish_claim(d, id, c->who->account_id, now);
    if (n < 0) return svc_store_failed();
    if (n == 0) return svc_fail(E_CONFLICT, "state", "该心愿已被他人认领");
    if (notify_account(
            d, c->w.posted_by, "wish_claimed", 0, arena_printf(a, "心愿已被认领：%s", c->w.title),
            arena_printf(a, "志愿者已认领，将尽快帮助实现。/wishes/%lld", (long long)id), now) < 0)
        return svc_store_failed();
    *au = wish_audit(a, "claim", id, c->w.place_code, wish_json("claimed", NULL, NULL, NULL, NULL),
                     NULL);
    return (struct svc_result){.id = id};
}

struct svc_result svc_wish_claim(db *d, arena *a, const struct principal *who, int64_t id)
{
    struct wish_change c = {.who = who};
    if (!visible(d, a, who, id, &c.w)) return NOT_FOUND;
    if (!store_wish_is_volunteer(d, who->account_id, c.w.place_code))
        return svc_fail(E_FORBIDDEN, NULL, "只有志愿者账号可以认领心愿，请先注册成为志愿者");
    if (c.w.posted_by == who->account_id)
        return svc_fail(E_FORBIDDEN, NULL, "不能认领自己发布的心愿");
    if (strcmp(c.w.state, "published") != 0) return not_now(a, c.w.state);
    return svc_tx(d, a, who, "wish claim", claim_tx, &c);
}

static struct svc_result fulfil_tx(db *d, arena *a, void *ctx, struct svc_audit *au)
{
    struct wish_change *c = ctx;
    int64_t now = clock_now(), id = c->w.id, me = c->who->account_id;
    int n = store_wish_fulfil(d, id, me, c->text, now);
    if (n < 0) return svc_store_failed();
    if (n == 0) return moved_on(d, a, id);
    if (store_wish_photo_put(d, id, c->mime, c->b64, c->len, me, now) < 0 ||
        notify_account(
            d, c->w.posted_by, "wish_fulfilled", 0,
            arena_printf(a, "心愿已实现，请确认：%s", c->w.title),
            arena_printf(a, "认领人已上传照片和说明，请确认达成。/wishes/%lld", (long long)id),
            now) < 0)
        return svc_store_failed();
    *au = wish_audit(a, "fulfil", id, c->w.place_code,
                     wish_json("fulfilled", NULL, NULL, "photo", c->mime), NULL);
    return (struct svc_result){.id = id};
}

struct svc_result svc_wish_fulfil(db *d, arena *a, const struct principal *who, int64_t id,
                                  const char *note, const char *declared_mime, const char *data,
                                  size_t len)
{
    struct wish_change c = {.who = who, .len = (int64_t)len};
    if (!visible(d, a, who, id, &c.w)) return NOT_FOUND;
    if (c.w.claimed_by != who->account_id)
        return svc_fail(E_FORBIDDEN, NULL, "只有认领人可以上传实现照片");
    if (strcmp(c.w.state, "claimed") != 0) return not_now(a, c.w.state);
    c.text = text_trim(a, note);
    long nn = c.text ? text_chars_printable(c.text) : 0;
    if (nn < 2 || nn > WISH_DETAIL_MAX)
        return svc_fail(E_BAD_INPUT, "note", "请用2到500个字说明心愿是怎样实现的");
    struct svc_result chk = photo_check(declared_mime, data, len, &c.mime);
    if (chk.err) return chk;
    size_t blen = sodium_base64_ENCODED_LEN(len, sodium_base64_VARIANT_ORIGINAL);
    char *b64 = arena_alloc(a, blen);
    sodium_bin2base64(b64, blen, (const unsigned char *)data, len, sodium_base64_VARIANT_ORIGINAL);
    c.b64 = b64;
    return svc_tx(d, a, who, "wish fulfil", fulfil_tx, &c);
}

static struct svc_result confirm_tx(db *d, arena *a, void *ctx, struct svc_audit *au)
{
    struct wish_change *c = ctx;
    int64_t now = clock_now(), id = c->w.id, claimer = c->w.claimed_by;
    int n = store_wish_achieve(d, id, now);
    if (n < 0) return svc_store_failed();
    if (n == 0) return moved_on(d, a, id);
    /* points for the fulfiller (服务换积分) by the community's rule, in this
     * transaction (source fulfil_wish and the wish id: a replay pays once) */
    if (svc_points_award_service(d, a, NULL, claimer, c->w.place_code, "fulfil_wish", id) < 0 ||
        notify_account(
            d, claimer, "wish_achieved", 0, arena_printf(a, "心愿已达成：%s", c->w.title),
            arena_printf(a, "发布人已确认达成，感谢您的爱心！/wishes/%lld", (long long)id),
            now) < 0)
        return svc_store_failed();
    *au = wish_audit(a, "achieve", id, c->w.place_code,
                     wish_json("achieved", NULL, NULL, NULL, NULL), NULL);
    return (struct svc_result){.id = id};
}

struct svc_result svc_wish_confirm(db *d, arena *a, const struct principal *who, int64_t id)
{
    struct wish_change c = {.who = who};
    if (!visible(d, a, who, id, &c.w)) return NOT_FOUND;
    /* the poster: the resident, or for a child or elder the staff member who posted it */
    if (c.w.posted_by != who->account_id)
        return svc_fail(E_FORBIDDEN, NULL, "只有心愿发布人可以确认达成");
    if (strcmp(c.w.state, "fulfilled") != 0) return not_now(a, c.w.state);
    return svc_tx(d, a, who, "wish confirm", confirm_tx, &c);
}

err_code svc_wish_photo(db *d, arena *a, const struct principal *who, int64_t id, const char **mime,
                        const char **data, size_t *len)
{
    struct wish w;
    const char *b64;
    int64_t stored;
    if (!visible(d, a, who, id, &w) || !store_wish_photo(d, a, id, mime, &stored, &b64))
        return E_NOT_FOUND;
    size_t size = (size_t)stored, got = 0;
    unsigned char *bin = arena_alloc(a, size + 1);
    if (sodium_base642bin(bin, size + 1, b64, strlen(b64), "\r\n", &got, NULL,
                          sodium_base64_VARIANT_ORIGINAL) != 0 ||
        got != size)
        return E_INTERNAL;
    *data = (const char *)bin;
    *len = got;
    return E_OK;
}

/* Unix seconds of 00:00 China time on a YYYY-MM-DD day. */
static int64_t day_start(const char *day)
{
    struct tm tm = {0};
    sscanf(day, "%4d-%2d-%2d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday);
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    return (int64_t)timegm(&tm) - 8 * 3600;
}

struct svc_result svc_wish_stats(db *d, arena *a, const struct principal *who, const char *place,
                                 const char *from, const char *to, struct wish_stats *out)
{
    memset(out, 0, sizeof *out);
    if (!place || !*place) place = who ? store_account_home_place(d, a, who->account_id) : NULL;
    if (!place) return svc_fail(E_BAD_INPUT, "place", "请指定区划代码 place");
    out->place_name = store_wish_place_name(d, a, place);
    if (!out->place_name ||
        (who && !store_wish_covers(d, who->account_id, CAP_WISHES_REVIEW, place)))
        return svc_fail(E_NOT_FOUND, "place", "该区划不存在或不在您的范围内");
    out->place = place;
    out->from = from && *from ? from : "2000-01-01";
    out->to = to && *to ? to : wish_today(a);
    if (!wish_date_valid(out->from))
        return svc_fail(E_BAD_INPUT, "from", "起始日期应为 YYYY-MM-DD");
    if (!wish_date_valid(out->to)) return svc_fail(E_BAD_INPUT, "to", "截止日期应为 YYYY-MM-DD");
    if (strcmp(out->from, out->to) > 0)
        return svc_fail(E_BAD_INPUT, "from", "起始日期不能晚于截止日期");
    int64_t t0 = day_start(out->from), t1 = day_start(out->to) + 86400;
    out->nplaces = store_wish_stats_places(d, a, place, t0, t1, wish_today(a), &out->places);
    out->nkinds = store_wish_stats_by(d, a, place, t0, t1, true, &out->kinds);
    out->nstates = store_wish_stats_by(d, a, place, t0, t1, false, &out->states);
    if (out->nplaces < 0 || out->nkinds < 0 || out->nstates < 0)
        return svc_fail(E_INTERNAL, NULL, NULL);
    return (struct svc_result){0};
}
