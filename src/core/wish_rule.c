#include "core/wish_rule.h"

#include <stdio.h>
#include <string.h>

static const char *const kinds[][2] = {
    {"resident", "居民心愿"}, {"child", "困境儿童心愿"}, {"elder", "老人心愿"}};
static const char *const states[][2] = {{"pending", "待审核"},   {"rejected", "未通过"},
                                        {"published", "待认领"}, {"claimed", "已认领"},
                                        {"fulfilled", "待确认"}, {"achieved", "已达成"}};

const char *wish_kind_zh(const char *kind)
{
    for (size_t i = 0; kind && i < sizeof kinds / sizeof kinds[0]; i++)
        if (strcmp(kinds[i][0], kind) == 0) return kinds[i][1];
    return NULL;
}

const char *wish_state_zh(const char *state)
{
    for (size_t i = 0; state && i < sizeof states / sizeof states[0]; i++)
        if (strcmp(states[i][0], state) == 0) return states[i][1];
    return state;
}

bool wish_state_known(const char *state)
{
    for (size_t i = 0; state && i < sizeof states / sizeof states[0]; i++)
        if (strcmp(states[i][0], state) == 0) return true;
    return false;
}

bool wish_state_public(const char *state)
{
    return state && (strcmp(state, "published") == 0 || strcmp(state, "claimed") == 0 ||
                     strcmp(state, "fulfilled") == 0 || strcmp(state, "achieved") == 0);
}

bool wish_date_valid(const char *s)
{
    int y, m, d;
    char tail;
    if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-') return false;
    if (sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3) return false;
    static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (y < 2000 || y > 2100 || m < 1 || m > 12 || d < 1 || d > mdays[m - 1]) return false;
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return !(m == 2 && d == 29 && !leap);
}

bool wish_overdue(const char *wanted_by, const char *today, const char *state)
{
    if (!wanted_by || !*wanted_by || !today || !state) return false;
    if (strcmp(state, "fulfilled") == 0 || strcmp(state, "achieved") == 0 ||
        strcmp(state, "rejected") == 0)
        return false;
    return strcmp(wanted_by, today) < 0;
}
