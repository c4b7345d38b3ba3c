/* Activity views shared by the API and the pages; see svc_activity_views.h. */
#include "service/svc_activity_views.h"

#include "core/recurrence.h"
#include "core/roles.h"
#include "store/store_accounts.h"
#include "store/store_places.h"
#include "util/clock.h"

bool activity_day_start(const char *s, int plus_days, int64_t *out)
{
    struct civil_date c;
    if (!civil_parse(s, &c)) return false;
    *out = china_time(civil_from_days(civil_days(c) + plus_days), 0);
    return true;
}

struct svc_result svc_activity_stats(db *d, arena *a, const struct principal *who,
                                     const char *place, const char *from, const char *to,
                                     struct activity_stats *out)
{
    int64_t viewer = principal_viewer(who);
    if (!place || !*place) {
        struct place *top;
        if (store_place_rows(a, store_place_tops(d, a, viewer, CAP_ACTIVITIES_MANAGE), &top) < 1)
            return svc_fail(E_NOT_FOUND, NULL, NULL);
        place = top[0].code;
    }
    if (!store_place_visible(d, a, viewer, CAP_ACTIVITIES_MANAGE, place))
        return svc_fail(E_NOT_FOUND, "place", "区划不存在或不在您的管辖范围内");
    struct civil_date today = china_date(clock_now());
    if (!from || !*from) from = arena_printf(a, "%04d-%02d-01", today.y, today.m);
    if (!to || !*to)
        to = arena_printf(a, "%04d-%02d-%02d", today.y, today.m,
                          civil_month_length(today.y, today.m));
    int64_t lo, hi;
    if (!activity_day_start(from, 0, &lo))
        return svc_fail(E_BAD_INPUT, "from", "from 应为 YYYY-MM-DD");
    if (!activity_day_start(to, 1, &hi)) return svc_fail(E_BAD_INPUT, "to", "to 应为 YYYY-MM-DD");
    if (hi <= lo) return svc_fail(E_BAD_INPUT, "to", "截止日期不能早于开始日期");
    *out = (struct activity_stats){.place_code = place, .from = from, .to = to};
    int n = 0;
    struct activity_place_counts *kids =
        store_activity_counts_by_child(d, a, viewer, place, lo, hi, &n);
    if (!kids || !store_activity_counts(d, a, viewer, place, lo, hi, &out->all))
        return svc_fail(E_INTERNAL, NULL, NULL);
    out->children = kids;
    for (int i = 0; i < n; i++)
        if (store_place_in_scope(d, viewer, CAP_ACTIVITIES_MANAGE, kids[i].place_code))
            out->children[out->nchildren++] = kids[i];
    return (struct svc_result){0};
}
