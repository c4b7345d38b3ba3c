#include "io/demo_points.h"

#include <stdio.h>

#include "service/svc_points.h"
#include "store/store_demo.h"

/* The categories of 汾阳市's 积分细则, as source types the other capabilities
 * award with (docs/points.md). */
static const struct {
    const char *type, *name, *points, *cap, *period;
} rules[] = {
    {"serve_activity", "参加志愿服务活动", "10", "100", "month"},
    {"finish_order", "办结群众点单", "5", "50", "month"},
    {"fulfil_wish", "认领完成微心愿", "20", "100", "month"},
    {"meeting", "参加议事协商", "5", "20", "month"},
    {"visit", "入户走访", "5", "50", "month"},
};

static const struct {
    const char *name, *price, *stock, *source, *donor;
} goods[] = {
    {"洗衣液（2千克）", "30", "20", "donation", "河曲县住房和城乡建设管理局（共建单位）"},
    {"大米（5千克）", "50", "10", "donation", "辖区爱心商户"},
    {"毛巾两条", "15", "30", "purchase", NULL},
};

int demo_points(db *d, arena *a, const char *county)
{
    const char **cs;
    int n = store_demo_communities_with_grids(d, a, county, &cs);
    if (n < 0) return -1;
    for (int i = 0; i < n; i++) {
        const char *code = cs[i];
        for (size_t k = 0; k < sizeof rules / sizeof rules[0]; k++) {
            struct points_rule_input in = {
                code,         rules[k].type,   rules[k].name, rules[k].points,
                rules[k].cap, rules[k].period, NULL};
            struct svc_result r = svc_points_rule_put(d, a, NULL, &in);
            if (r.err) {
                fprintf(stderr, "linli demo: points rule: %s\n", r.message ? r.message : "");
                return -1;
            }
        }
        for (size_t k = 0; k < sizeof goods / sizeof goods[0]; k++) {
            struct points_goods_input in = {
                code,           goods[k].name, goods[k].price, goods[k].stock, goods[k].source,
                goods[k].donor, NULL};
            struct svc_result r = svc_points_goods_create(d, a, NULL, &in);
            if (r.err) {
                fprintf(stderr, "linli demo: points goods: %s\n", r.message ? r.message : "");
                return -1;
            }
        }
    }
    return 0;
}
