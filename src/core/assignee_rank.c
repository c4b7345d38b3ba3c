/* Ranking suggested assignees: the formula is documented in the header and in
 * docs/demand-loop.md; keep the three in step. */
#include "core/assignee_rank.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int rank_skill_points(const char *required, const char *const *skills, int nskills)
{
    if (!required || !*required) return RANK_SKILL_NEUTRAL;
    for (int i = 0; skills && i < nskills; i++)
        if (skills[i] && strcmp(skills[i], required) == 0) return RANK_SKILL_MATCH;
    return RANK_SKILL_NONE;
}

/* Length of the deepest level both codes share: 21 for the same code,
 * else 17/15/12/9, else 0. */
static int common_level(const char *a, const char *b)
{
    if (!a || !b || !*a || !*b) return 0;
    if (strcmp(a, b) == 0) return 99;
    size_t la = strlen(a), lb = strlen(b), p = 0;
    while (p < la && p < lb && a[p] == b[p]) p++;
    static const int levels[] = {RANK_CODE_BUILDING, RANK_CODE_COMPOUND, RANK_CODE_COMMUNITY,
                                 RANK_CODE_STREET};
    for (int i = 0; i < 4; i++) {
        size_t l = (size_t)levels[i];
        if (p >= l && la >= l && lb >= l) return levels[i];
    }
    return 0;
}

int rank_distance_points(const char *order_place, const char *candidate_place)
{
    switch (common_level(order_place, candidate_place)) {
    case 99:
        return RANK_DIST_SAME;
    case RANK_CODE_BUILDING:
        return RANK_DIST_BUILDING;
    case RANK_CODE_COMPOUND:
        return RANK_DIST_COMPOUND;
    case RANK_CODE_COMMUNITY:
        return RANK_DIST_COMMUNITY;
    case RANK_CODE_STREET:
        return RANK_DIST_STREET;
    default:
        return RANK_DIST_FAR;
    }
}

const char *rank_distance_zh(const char *order_place, const char *candidate_place)
{
    switch (common_level(order_place, candidate_place)) {
    case 99:
        return "同一户";
    case RANK_CODE_BUILDING:
        return "同一楼栋";
    case RANK_CODE_COMPOUND:
        return "同一小区";
    case RANK_CODE_COMMUNITY:
        return "同一社区";
    case RANK_CODE_STREET:
        return "同一街道";
    default:
        return "不在同一街道";
    }
}

static int nonneg(int v)
{
    return v < 0 ? 0 : v;
}

int rank_load_points(int open_orders)
{
    long long k = RANK_LOAD_HALF;
    return (int)(1000 * k / (k + nonneg(open_orders)));
}

int rank_rating_points(int n_satisfied, int n_basic, int n_unsatisfied)
{
    long long s = nonneg(n_satisfied), b = nonneg(n_basic), u = nonneg(n_unsatisfied);
    long long sum = s * RANK_VALUE_SATISFIED + b * RANK_VALUE_BASIC + u * RANK_VALUE_UNSATISFIED +
                    (long long)RANK_PRIOR_N * RANK_PRIOR;
    long long n = s + b + u + RANK_PRIOR_N;
    return (int)((sum + n / 2) / n); /* rounded */
}

static void score_one(struct candidate *c, const struct rank_query *q)
{
    const char *skill = q ? q->skill : NULL;
    const char *place = q ? q->place_code : NULL;
    c->skill_pts = rank_skill_points(skill, c->skills, c->nskills);
    c->distance_pts = rank_distance_points(place, c->place_code);
    c->load_pts = rank_load_points(c->open_orders);
    c->rating_pts = rank_rating_points(c->n_satisfied, c->n_basic, c->n_unsatisfied);
    long long w = RANK_W_SKILL + RANK_W_DISTANCE + RANK_W_LOAD + RANK_W_RATING;
    long long sum = (long long)RANK_W_SKILL * c->skill_pts +
                    (long long)RANK_W_DISTANCE * c->distance_pts +
                    (long long)RANK_W_LOAD * c->load_pts + (long long)RANK_W_RATING * c->rating_pts;
    c->score = (int)((sum + w / 2) / w);

    char skill_txt[96], rating_txt[64];
    if (!skill || !*skill)
        snprintf(skill_txt, sizeof skill_txt, "工单未指定技能");
    else if (c->skill_pts == RANK_SKILL_MATCH)
        snprintf(skill_txt, sizeof skill_txt, "技能匹配（%.60s）", skill);
    else
        snprintf(skill_txt, sizeof skill_txt, "不具备所需技能（%.60s）", skill);
    long long s = nonneg(c->n_satisfied), b = nonneg(c->n_basic), u = nonneg(c->n_unsatisfied);
    if (s + b + u == 0)
        snprintf(rating_txt, sizeof rating_txt, "暂无评价");
    else
        snprintf(rating_txt, sizeof rating_txt, "满意率%lld%%（%lld次评价）",
                 (s + b) * 100 / (s + b + u), s + b + u);
    snprintf(c->why, sizeof c->why, "%s；%s；在办%d件；%s；得分%d", skill_txt,
             rank_distance_zh(place, c->place_code), nonneg(c->open_orders), rating_txt, c->score);
}

static int by_rank(const void *pa, const void *pb)
{
    const struct candidate *a = pa, *b = pb;
    if (a->score != b->score) return a->score > b->score ? -1 : 1;
    int la = nonneg(a->open_orders), lb = nonneg(b->open_orders);
    if (la != lb) return la < lb ? -1 : 1;
    if (a->id != b->id) return a->id < b->id ? -1 : 1;
    return 0;
}

void assignee_rank(struct candidate *c, int n, const struct rank_query *q)
{
    if (!c || n <= 0) return;
    for (int i = 0; i < n; i++) score_one(&c[i], q);
    qsort(c, (size_t)n, sizeof *c, by_rank);
}
