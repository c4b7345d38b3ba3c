/* The demo county's work orders 工单: three months of 群众点单 in every
 * community, so that the queue, the order pages and the 三率 dashboard of
 * `make run` show a county at work. Each order is written with its whole
 * history (submit, accept, dispatch, take, contact, resolve, rate, close) at
 * plausible times before "now", through the same store calls the services
 * use, and counted into the figures by svc_order_stats_after(). Requesters
 * are residents of the order's household; the demo accounts file nothing, so
 * tests that count their own orders start from zero. */
#include <stdio.h>
#include <string.h>

#include "io/demo_internal.h"
#include "service/svc_categories.h"
#include "service/svc_order_stats.h"
#include "store/store_orders.h"

static const struct {
    const char *category, *title, *description;
} demo_requests[] = {
    {"streetlight", "小区路灯不亮", "小区主干道路灯连续几晚不亮，老人晚上出门不方便。"},
    {"sewer", "楼前污水井外溢", "楼前污水井冒水，气味很大，请尽快疏通。"},
    {"heating", "暖气不热", "家里暖气片温度很低，室温只有十四五度。"},
    {"house_leak", "顶楼屋面漏水", "下雨后顶楼卧室屋顶渗水，墙皮脱落。"},
    {"property", "楼道灯坏了没人修", "单元楼道声控灯坏了半个月，物业一直没来修。"},
    {"parking", "小区乱停车堵消防通道", "消防通道长期被私家车占用，希望协调管理。"},
    {"charging", "申请安装电动车充电桩", "小区没有电动车充电桩，希望统一建设。"},
    {"flying_wire", "有人从楼上飞线充电", "三楼住户从窗户拉电线给电动车充电，存在安全隐患。"},
    {"high_throw", "楼上有人高空抛物", "最近多次发现楼上扔下垃圾，差点砸到孩子。"},
    {"noise", "夜间施工噪音扰民", "附近工地晚上十点以后还在施工，影响休息。"},
    {"fume", "楼下饭店油烟直排", "一楼饭店油烟直接排到楼道，家里不敢开窗。"},
    {"sanitation", "楼道堆放杂物", "楼道里堆了很多纸箱和旧家具，影响通行。"},
    {"street_vendor", "小区门口占道摆摊", "早晚小区门口摆摊，车辆进出困难。"},
    {"neighbour", "邻里之间漏水纠纷", "楼上卫生间漏水到我家，协商多次没有结果，请社区调解。"},
    {"hardship", "独居老人需要帮扶", "邻居王大爷独居，行动不便，希望有志愿者定期看望。"},
    {"policy", "咨询医保报销政策", "想了解慢性病门诊医保报销怎么办理。"},
    {"errand", "帮办老年人高龄补贴", "家中老人八十多岁，不会网上申请高龄补贴，请帮忙代办。"},
};
#define NREQ ((int)(sizeof demo_requests / sizeof demo_requests[0]))

static const char *const demo_channels[] = {"web",     "web",       "web",           "grid", "grid",
                                            "partner", "wish_wall", "hotline_12345", "visit"};

/* One history row and the matching change of the order row. */
struct walk {
    struct demo_ctx *c;
    int64_t id, version;
    const char *state, *staff;
};

static int step(struct walk *w, int64_t at, const char *actor, const char *event, const char *to,
                const struct order_change *ch, const char *note)
{
    struct order_change x = *ch;
    x.state = to;
    if (store_order_update(w->c->d, w->id, w->state, w->version, &x, at) != 1) return -1;
    w->version++;
    int rc = store_order_event_add(w->c->d, w->id, at, 0, actor, event, w->state, to, note, NULL);
    w->state = to;
    return rc == 1 ? 0 : -1;
}

/* The requester's rating of a resolved order, and what follows it: closing,
 * or reopening (不满意), a second resolution and rating, and then closing or
 * escalating to the secretary. */
static int demo_rate(struct walk *w, struct demo_rng *r, const char *requester, bool fixed,
                     int64_t t)
{
    int rc;
    t += demo_rng_int(r, 600, 86400);
    int rr = demo_rng_int(r, 0, 99);
    const char *rating = (!fixed && rr < 60) || rr >= 97 ? "unsatisfied"
                         : rr < 80                       ? "satisfied"
                                                         : "basic";
    struct order_change rate = {.working_hours = -1, .rating = rating, .rated_at = t};
    if ((rc = step(w, t, requester, "rate", "rated", &rate, NULL))) return rc;
    if (strcmp(rating, "unsatisfied") == 0) {
        /* 不满意 → the system reopens it (it stays in hand) */
        struct order_change re = {.working_hours = -1, .reopen_inc = 1, .clear_resolution = true};
        rc = step(w, t, "系统", "reopen", "taken", &re, "群众评价不满意，工单重新办理");
        t += demo_rng_int(r, 7200, 86400);
        if (rc || t + 86400 >= w->c->now) return rc;
        struct order_change again = {.working_hours = -1,
                                     .outcome = "fixed",
                                     .result = "重新办理完毕，已回访群众",
                                     .resolved_at = t};
        if ((rc = step(w, t, "承办人", "resolve", "resolved", &again, again.result))) return rc;
        t += demo_rng_int(r, 600, 43200);
        bool still = demo_rng_chance(r, 0.2);
        struct order_change rate2 = {
            .working_hours = -1, .rating = still ? "unsatisfied" : "satisfied", .rated_at = t};
        if ((rc = step(w, t, requester, "rate", "rated", &rate2, NULL))) return rc;
        if (still) {
            /* 不满意 again: the community secretary takes it over (上报) */
            struct order_change up = {.working_hours = -1, .escalation_inc = 1};
            rc = step(w, t, "系统", "escalate", "rated", &up, "再次评价不满意，转社区书记处理");
        } else {
            struct order_change cl = {.working_hours = -1, .closed_at = t};
            rc = step(w, t, "系统", "close", "closed", &cl, "群众评价满意，工单自动关闭");
        }
    } else {
        struct order_change cl = {.working_hours = -1, .closed_at = t};
        rc = step(w, t, "系统", "close", "closed", &cl, "群众评价满意，工单自动关闭");
    }
    return rc;
}

static int demo_one_order(struct demo_ctx *c, struct demo_comm *m, int64_t created,
                          struct demo_rng *r)
{
    /* a requester: a resident of some household of the community */
    const struct demo_person *p = &m->people[demo_rng_int(r, 0, m->npeople - 1)];
    const char *household = m->households[p->household].code;
    int k = demo_rng_int(r, 0, NREQ - 1);
    struct category_eff cat;
    if (svc_category_get(c->d, c->a, 0, demo_requests[k].category, household, &cat)) return -1;
    struct order_new o = {.channel = DEMO_PICK(r, demo_channels),
                          .category_code = demo_requests[k].category,
                          .place_code = household,
                          .contact_phone = p->phone,
                          .title = demo_requests[k].title,
                          .description = demo_requests[k].description,
                          .urgency = demo_rng_chance(r, 0.1) ? "urgent" : "normal",
                          .scope_size = "household",
                          .skill = cat.skill,
                          .tier = cat.tier,
                          .requester_person_id = p->id};
    if (strcmp(o.channel, "hotline_12345") == 0) /* the 12345 hotline's own number */
        o.external_ref = arena_printf(c->a, "12345-%s-%04d", m->code + 6, demo_rng_int(r, 0, 9999));
    int64_t id = store_order_insert(c->d, c->a, &o, created);
    if (id < 0) return -1;
    struct walk w = {.c = c, .id = id, .state = "submitted", .staff = c->binhe_worker};
    if (store_order_event_add(c->d, id, created, 0, p->name, "submit", NULL, "submitted", NULL,
                              NULL) != 1)
        return -1;
    int64_t age = c->now - created, t = created;
    /* how far it got: older orders are mostly done */
    int roll = demo_rng_int(r, 0, 99);
    int stage = age > 10 * 86400 ? (roll < 4   ? 1
                                    : roll < 8 ? 4
                                               : 7)
                : age > 86400    ? (roll < 10   ? 1
                                    : roll < 25 ? 4
                                    : roll < 40 ? 5
                                                : 7)
                                 : (roll < 40   ? 0
                                    : roll < 60 ? 2
                                    : roll < 80 ? 4
                                                : 5);
    int rc = 0;
    if (stage == 0) return svc_order_stats_after(c->d, c->a, id, NULL, c->now);
    t += demo_rng_int(r, 120, 1500);
    if (stage == 1 && demo_rng_chance(r, 0.5)) {
        struct order_change ch = {.working_hours = -1, .reason = "不属于社区受理范围，已告知群众"};
        rc = step(&w, t, "社区工作者", "reject", "rejected", &ch, ch.reason);
        return rc ? rc : svc_order_stats_after(c->d, c->a, id, NULL, c->now);
    }
    struct order_change acc = {.working_hours = cat.working_hours ? 1 : 0,
                               .response_limit_s = cat.response_minutes * 60,
                               .resolution_limit_s = cat.resolution_minutes * 60,
                               .accepted_at = t};
    rc = step(&w, t, "社区工作者", "accept", "accepted", &acc, NULL);
    if (rc || stage <= 2) return rc ? rc : svc_order_stats_after(c->d, c->a, id, NULL, c->now);
    /* dispatched to a volunteer or party member of the community */
    int64_t assignee = 0;
    for (int tries = 0; tries < 50 && !assignee; tries++) {
        const struct demo_person *v = &m->people[demo_rng_int(r, 0, m->npeople - 1)];
        if (v->volunteer || v->party) assignee = v->id;
    }
    if (!assignee) return svc_order_stats_after(c->d, c->a, id, NULL, c->now);
    t += demo_rng_int(r, 60, 900);
    struct order_change dis = {
        .working_hours = -1, .assignee_kind = "person", .assignee_id = assignee};
    if ((rc = step(&w, t, "社区工作者", "dispatch", "dispatched", &dis, NULL))) return rc;
    t += demo_rng_int(r, 60, 1200);
    struct order_change none = {.working_hours = -1};
    if ((rc = step(&w, t, "承办人", "take", "taken", &none, NULL))) return rc;
    /* first contact: mostly within the hour (一小时响应) */
    t += demo_rng_chance(r, 0.9) ? demo_rng_int(r, 60, 2400) : demo_rng_int(r, 3700, 9000);
    struct order_change con = {.working_hours = -1, .first_contact_at = t};
    if ((rc = step(&w, t, "承办人", "contact", "taken", &con, "已电话联系群众"))) return rc;
    if (stage <= 4 || t >= c->now) return svc_order_stats_after(c->d, c->a, id, NULL, c->now);
    /* resolved: mostly within the day (二十四小时办结) */
    t += demo_rng_chance(r, 0.85) ? demo_rng_int(r, 1800, 72000) : demo_rng_int(r, 90000, 250000);
    if (t >= c->now) return svc_order_stats_after(c->d, c->a, id, NULL, c->now);
    bool fixed = demo_rng_chance(r, 0.95);
    struct order_change res = {.working_hours = -1,
                               .outcome = fixed ? "fixed" : "not_fixed",
                               .result = fixed ? "已现场处理完毕，群众认可"
                                               : "需上级部门统筹解决，已说明情况",
                               .resolved_at = t};
    if ((rc = step(&w, t, "承办人", "resolve", "resolved", &res, res.result))) return rc;
    if (stage <= 5 || t + 7200 >= c->now)
        return svc_order_stats_after(c->d, c->a, id, NULL, c->now);
    rc = demo_rate(&w, r, p->name, fixed, t);
    return rc ? rc : svc_order_stats_after(c->d, c->a, id, NULL, c->now);
}

int demo_orders(struct demo_ctx *c)
{
    for (int i = 0; i < c->ncomms; i++) {
        struct demo_comm *m = c->comms[i];
        if (m->npeople == 0) continue;
        struct demo_rng r;
        demo_rng_seed(&r, demo_seed(m->code, 311));
        /* about one request per 25 households in three months */
        int n = m->nhouseholds / 25 + 3;
        for (int k = 0; k < n; k++) {
            int64_t created = c->now - (int64_t)demo_rng_int(&r, 0, 90 * 86400 - 1);
            if (demo_one_order(c, m, created, &r) < 0) return -1;
            c->sum->orders++;
        }
    }
    return 0;
}
