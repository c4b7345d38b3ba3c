#include "core/roles.h"

#include <string.h>

#define STAFF_READ    CAP_PLACES_READ, CAP_PEOPLE_READ, CAP_PEOPLE_REVEAL, CAP_ORGS_READ
#define STAFF_WRITE   CAP_PEOPLE_WRITE, CAP_PEOPLE_IMPORT, CAP_PLACES_WRITE, CAP_ORGS_WRITE
#define LEAD          CAP_ACCOUNTS, CAP_AUDIT_READ
#define ORDERS_STAFF  CAP_ORDERS_READ, CAP_ORDERS_FILE, CAP_ORDERS_DISPATCH
#define ORDERS_LEAD   ORDERS_STAFF, CAP_ORDERS_SUPERVISE
#define PARTICIPATION CAP_WISHES_REVIEW, CAP_ACTIVITIES_MANAGE, CAP_POINTS_READ, CAP_POINTS_MANAGE

const struct role roles[] = {
    {"resident", "居民", 1, {CAP_SELF}},
    {"volunteer", "党员/志愿者", 2, {CAP_SELF}},
    {"partner", "新就业群体", 2, {CAP_SELF}},
    {"department", "职能部门/共建单位", 3, {CAP_SELF, CAP_PLACES_READ, CAP_ORGS_READ}},
    {"grid_worker",
     "网格员",
     4,
     {CAP_SELF, STAFF_READ, CAP_PEOPLE_WRITE, CAP_ORDERS_READ, CAP_ORDERS_FILE, CAP_WISHES_REVIEW,
      CAP_POINTS_READ}},
    {"community_worker",
     "社区工作者",
     5,
     {CAP_SELF, STAFF_READ, STAFF_WRITE, ORDERS_STAFF, PARTICIPATION}},
    {"secretary",
     "社区党委书记",
     6,
     {CAP_SELF, STAFF_READ, STAFF_WRITE, LEAD, ORDERS_LEAD, PARTICIPATION}},
    {"street_admin",
     "街道管理员",
     7,
     {CAP_SELF, STAFF_READ, STAFF_WRITE, LEAD, ORDERS_LEAD, PARTICIPATION}},
    {"county_admin",
     "县级管理员",
     8,
     {CAP_SELF, STAFF_READ, STAFF_WRITE, LEAD, ORDERS_LEAD, PARTICIPATION}},
    {"city_admin",
     "市级管理员",
     9,
     {CAP_SELF, STAFF_READ, STAFF_WRITE, LEAD, ORDERS_LEAD, PARTICIPATION}},
    {"admin",
     "系统管理员",
     10,
     {CAP_SELF, STAFF_READ, STAFF_WRITE, LEAD, ORDERS_LEAD, PARTICIPATION}},
};
const int roles_count = (int)(sizeof roles / sizeof roles[0]);

const struct role *role_find(const char *id)
{
    for (int i = 0; id && i < roles_count; i++)
        if (strcmp(roles[i].id, id) == 0) return &roles[i];
    return NULL;
}

bool role_has_cap(const char *role, const char *cap)
{
    const struct role *r = role_find(role);
    for (int i = 0; r && i < ROLE_CAPS_MAX && r->caps[i]; i++)
        if (strcmp(r->caps[i], cap) == 0) return true;
    return false;
}

bool role_outranked_by(const char *role, int top_rank)
{
    if (top_rank >= ROLE_RANK_ADMIN) return true;
    const struct role *r = role_find(role);
    return r && r->rank < top_rank;
}
