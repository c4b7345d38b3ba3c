/* Organisations, agreements and the branch coverage report; see svc_orgs.h.
 * Scope: a write needs orgs.write over the organisation's home place and over
 * every place it is to serve; anything the actor may not see answers 404 with
 * the same message as something absent. */
#include "service/svc_orgs.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/idcard.h"
#include "core/mask.h"
#include "core/roles.h"
#include "core/vocab.h"
#include "store/store_accounts.h"
#include "store/store_audit.h"
#include "util/text.h"
#include "store/store_orgs.h"
#include "store/store_places.h"

struct org_input org_input_empty(void)
{
    return (struct org_input){.has_position = ORG_FLAG_KEEP,
                              .has_ledger = ORG_FLAG_KEEP,
                              .has_mechanism = ORG_FLAG_KEEP,
                              .has_plan = ORG_FLAG_KEEP,
                              .one_shoulder = ORG_FLAG_KEEP};
}

static const struct {
    const char *id, *zh;
} ways[] = {
    {"dispatched", "机关派"},
    {"elected", "党员选"},
    {"community", "社区兼"},
    {"veteran", "退役军人引"},
};
const char *const org_secretary_ways[] = {"dispatched", "elected", "community", "veteran", NULL};

const char *org_secretary_way_zh(const char *id)
{
    for (size_t i = 0; id && i < sizeof ways / sizeof ways[0]; i++)
        if (!strcmp(ways[i].id, id)) return ways[i].zh;
    return NULL;
}

const char *org_secretary_way_parse(const char *s)
{
    for (size_t i = 0; s && i < sizeof ways / sizeof ways[0]; i++)
        if (!strcmp(ways[i].id, s) || !strcmp(ways[i].zh, s)) return ways[i].id;
    return NULL;
}

bool org_kind_is_party(const char *kind)
{
    static const char *const party[] = {
        "party_committee", "party_working_committee", "community_party_committee", "branch",
        "party_group",     "center_household"};
    for (size_t i = 0; kind && i < sizeof party / sizeof party[0]; i++)
        if (!strcmp(party[i], kind)) return true;
    return false;
}

/* Copy of s without surrounding ASCII and full-width (U+3000) spaces. */
/* "YYYY-MM-DD", a real date. */
static int flag_of(const char *v)
{
    return v ? (v[0] == '1') : ORG_FLAG_NULL;
}

/* The stored organisation as an org_row (strings in the arena). */
static struct org_row row_of(const db_rows *o)
{
    return (struct org_row){
        .kind = db_get(o, 0, OC_KIND),
        .name = db_get(o, 0, OC_NAME),
        .place_code = db_get(o, 0, OC_PLACE_CODE),
        .formation = db_get(o, 0, OC_FORMATION),
        .phone = db_get(o, 0, OC_PHONE),
        .secretary_way = db_get(o, 0, OC_SECRETARY_WAY),
        .parent_id = db_get_int(o, 0, OC_PARENT_ID),
        .secretary_person_id = db_get_int(o, 0, OC_SECRETARY_ID),
        .has_position = flag_of(db_get(o, 0, OC_HAS_POSITION)),
        .has_ledger = flag_of(db_get(o, 0, OC_HAS_LEDGER)),
        .has_mechanism = flag_of(db_get(o, 0, OC_HAS_MECHANISM)),
        .has_plan = flag_of(db_get(o, 0, OC_HAS_PLAN)),
        .one_shoulder = flag_of(db_get(o, 0, OC_ONE_SHOULDER)),
    };
}

static void set_flag(json_t *o, const char *key, int v)
{
    json_object_set_new(o, key, v < 0 ? json_null() : json_boolean(v));
}

/* The audit image of an organisation. */
static const char *org_audit_json(arena *a, const struct org_row *r, const char *const *places,
                                  int n)
{
    json_t *o = json_object();
    json_object_set_new(o, "kind", json_string(r->kind));
    json_object_set_new(o, "name", json_string(r->name));
    json_object_set_new(o, "parent_id", r->parent_id ? json_integer(r->parent_id) : json_null());
    json_object_set_new(o, "place_code", r->place_code ? json_string(r->place_code) : json_null());
    json_object_set_new(o, "formation", r->formation ? json_string(r->formation) : json_null());
    json_object_set_new(o, "phone", r->phone ? json_string(r->phone) : json_null());
    json_t *p = json_array();
    for (int i = 0; i < n; i++) json_array_append_new(p, json_string(places[i]));
    json_object_set_new(o, "places", p);
    if (!strcmp(r->kind, "branch")) {
        set_flag(o, "has_position", r->has_position);
        set_flag(o, "has_ledger", r->has_ledger);
        set_flag(o, "has_mechanism", r->has_mechanism);
        set_flag(o, "has_plan", r->has_plan);
        json_object_set_new(o, "secretary_person_id",
                            r->secretary_person_id ? json_integer(r->secretary_person_id)
                                                   : json_null());
        json_object_set_new(o, "secretary_way",
                            r->secretary_way ? json_string(r->secretary_way) : json_null());
        set_flag(o, "one_shoulder", r->one_shoulder);
    }
    char *s = json_dumps(o, JSON_COMPACT);
    json_decref(o);
    const char *out = arena_strdup(a, s);
    free(s);
    return out;
}

static const char *const *current_places(db *d, arena *a, int64_t id, int *n)
{
    db_rows *p = store_org_places(d, a, 0, CAP_ORGS_READ, id);
    *n = p ? p->nrows : 0;
    const char **codes = arena_alloc(a, sizeof *codes * (size_t)(*n + 1));
    for (int i = 0; i < *n; i++) codes[i] = db_get(p, i, 0);
    return codes;
}

static const char *const not_in_scope = "区划不存在或不在您的管辖范围内";

/* Validates `in` over `cur` (the stored row on update, an empty row on create)
 * into *out and the places to serve. self: the organisation's id (0: new). */
static struct svc_result validate(db *d, arena *a, const struct principal *who, int64_t self,
                                  const struct org_input *in, struct org_row *out,
                                  const char *const **places, int *nplaces)
{
    int64_t viewer = principal_viewer(who);
    if (in->kind || !self) {
        const char *k = vocab_id_for_label(&vocab_org_kinds, in->kind);
        if (!k) return svc_fail(E_BAD_INPUT, "kind", "组织类型无效");
        out->kind = k;
    }
    if (in->name || !self) {
        const char *name = text_trim(a, in->name);
        if (!name || !*name) return svc_fail(E_BAD_INPUT, "name", "请填写组织名称");
        if (text_chars(name) > ORG_NAME_MAX)
            return svc_fail(E_BAD_INPUT, "name", "组织名称不能超过100个字");
        out->name = name;
    }
    if (in->place_code || !self) {
        const char *code = text_trim(a, in->place_code);
        if (!code || !*code) return svc_fail(E_BAD_INPUT, "place_code", "请填写组织所在区划");
        if (!store_place_level(d, a, code) ||
            !store_place_in_scope(d, viewer, CAP_ORGS_WRITE, code))
            return svc_fail(E_NOT_FOUND, "place_code", not_in_scope);
        out->place_code = code;
    }
    if (in->set_parent) {
        if (in->parent_id > 0) {
            if (!store_org_get(d, a, viewer, CAP_ORGS_READ, in->parent_id))
                return svc_fail(E_NOT_FOUND, "parent_id", "上级组织不存在或不在您的管辖范围内");
            if (self && store_org_is_below(d, in->parent_id, self))
                return svc_fail(E_BAD_INPUT, "parent_id", "上级组织不能是本组织或其下级组织");
        }
        out->parent_id = in->parent_id > 0 ? in->parent_id : 0;
    }
    if (in->set_places) {
        if (in->nplaces > ORG_PLACES_MAX)
            return svc_fail(E_BAD_INPUT, "places", "服务区划过多（最多500处）");
        const char **codes = arena_alloc(a, sizeof *codes * (size_t)(in->nplaces + 1));
        int n = 0;
        for (int i = 0; i < in->nplaces; i++) {
            const char *c = text_trim(a, in->places[i]);
            if (!c || !*c) continue;
            bool dup = false;
            for (int j = 0; j < n && !dup; j++) dup = !strcmp(codes[j], c);
            if (dup) continue;
            if (!store_place_level(d, a, c) || !store_place_in_scope(d, viewer, CAP_ORGS_WRITE, c))
                return svc_fail(E_NOT_FOUND, "places",
                                arena_printf(a, "服务区划 %s 不存在或不在您的管辖范围内", c));
            codes[n++] = c;
        }
        *places = codes;
        *nplaces = n;
    }
    bool branch = !strcmp(out->kind, "branch");
    if (in->formation) {
        enum branch_formation f;
        if (!*in->formation)
            out->formation = NULL;
        else if (!branch)
            return svc_fail(E_BAD_INPUT, "formation", "只有党支部有组建方式");
        else if (!branch_formation_parse(in->formation, &f))
            return svc_fail(E_BAD_INPUT, "formation", "组建方式无效，应为单独组建或联合组建");
        else
            out->formation = branch_formation_id(f);
    }
    if (!branch) out->formation = NULL;
    int compounds = 0;
    for (int i = 0; i < *nplaces; i++) {
        const char *lv = store_place_level(d, a, (*places)[i]);
        if (lv && !strcmp(lv, "compound")) compounds++;
    }
    if (branch && !out->formation)
        out->formation = branch_formation_id(compounds > 1 ? BRANCH_JOINT : BRANCH_STANDALONE);
    if (branch && !strcmp(out->formation, "standalone") && compounds > 1)
        return svc_fail(E_BAD_INPUT, "formation",
                        "单独组建的支部只能覆盖一个小区，多个小区请选联合组建");
    if (in->phone) {
        const char *ph = text_trim(a, in->phone);
        if (*ph && !phone_valid(ph)) return svc_fail(E_BAD_INPUT, "phone", "联系电话格式不正确");
        out->phone = *ph ? ph : NULL;
    }
    /* 五有, 四个一批 and 一肩挑 belong to compound branches. */
    int *flags[] = {&out->has_position, &out->has_ledger, &out->has_mechanism, &out->has_plan,
                    &out->one_shoulder};
    const int given[] = {in->has_position, in->has_ledger, in->has_mechanism, in->has_plan,
                         in->one_shoulder};
    bool profile = (in->set_secretary && in->secretary_person_id > 0) ||
                   (in->secretary_way && *in->secretary_way);
    for (int i = 0; i < 5; i++) profile |= given[i] != ORG_FLAG_KEEP && given[i] != ORG_FLAG_NULL;
    if (profile && !branch)
        return svc_fail(E_BAD_INPUT, "kind", "五有、书记选任方式与一肩挑只适用于党支部");
    for (int i = 0; i < 5; i++)
        if (given[i] != ORG_FLAG_KEEP) *flags[i] = given[i] < 0 ? ORG_FLAG_NULL : given[i] != 0;
    if (in->set_secretary) {
        if (in->secretary_person_id > 0 &&
            !store_person_place_in_scope(d, a, viewer, CAP_PEOPLE_READ, in->secretary_person_id))
            return svc_fail(E_NOT_FOUND, "secretary_person_id", "书记不存在或不在您的管辖范围内");
        out->secretary_person_id = in->secretary_person_id > 0 ? in->secretary_person_id : 0;
    }
    if (in->secretary_way) {
        const char *w = text_trim(a, in->secretary_way);
        if (!*w)
            out->secretary_way = NULL;
        else if (!(out->secretary_way = org_secretary_way_parse(w)))
            return svc_fail(E_BAD_INPUT, "secretary_way",
                            "书记选任方式无效，应为机关派、党员选、社区兼或退役军人引");
    }
    if (!branch) {
        out->has_position = out->has_ledger = out->has_mechanism = out->has_plan =
            out->one_shoulder = ORG_FLAG_NULL;
        out->secretary_person_id = 0;
        out->secretary_way = NULL;
    }
    return (struct svc_result){0};
}

struct svc_result svc_org_create(db *d, arena *a, const struct principal *who,
                                 const struct org_input *in)
{
    struct org_row row = {.has_position = ORG_FLAG_NULL,
                          .has_ledger = ORG_FLAG_NULL,
                          .has_mechanism = ORG_FLAG_NULL,
                          .has_plan = ORG_FLAG_NULL,
                          .one_shoulder = ORG_FLAG_NULL};
    const char *const *places = NULL;
    int nplaces = 0;
    struct svc_result v = validate(d, a, who, 0, in, &row, &places, &nplaces);
    if (v.err) return v;
    if (db_begin(d) < 0) return svc_fail(E_UNAVAILABLE, NULL, NULL);
    int64_t id = store_org_insert(d, &row);
    if (id < 0 || store_org_places_set(d, id, places, nplaces) < 0 ||
        audit_write(d, who, "create", "organisation", arena_printf(a, "%lld", (long long)id),
                    row.place_code, NULL, org_audit_json(a, &row, places, nplaces), NULL) < 0)
        goto internal;
    if (db_commit(d) < 0) return svc_fail(E_UNAVAILABLE, NULL, NULL);
    return (struct svc_result){.id = id};
internal:
    fprintf(stderr, "linli: organisation create: %s\n", db_errmsg(d));
    db_rollback(d);
    return svc_fail(E_INTERNAL, NULL, NULL);
}

struct svc_result svc_org_update(db *d, arena *a, const struct principal *who, int64_t id,
                                 const struct org_input *in)
{
    int64_t viewer = principal_viewer(who);
    db_rows *cur = store_org_get(d, a, viewer, CAP_ORGS_READ, id);
    if (!cur) return svc_fail(E_NOT_FOUND, NULL, "组织不存在或不在您的管辖范围内");
    const char *home = db_get(cur, 0, OC_PLACE_CODE);
    if (!home || !store_place_in_scope(d, viewer, CAP_ORGS_WRITE, home))
        return svc_fail(E_FORBIDDEN, NULL, "您无权修改该组织（其所在区划不在您的管辖范围内）");
    struct org_row before = row_of(cur), row = before;
    int nbefore = 0;
    const char *const *pbefore = current_places(d, a, id, &nbefore);
    const char *const *places = pbefore;
    int nplaces = nbefore;
    struct svc_result v = validate(d, a, who, id, in, &row, &places, &nplaces);
    if (v.err) return v;
    if (db_begin(d) < 0) return svc_fail(E_UNAVAILABLE, NULL, NULL);
    if (store_org_update(d, id, &row) < 0 ||
        (in->set_places && store_org_places_set(d, id, places, nplaces) < 0) ||
        audit_write(d, who, "update", "organisation", arena_printf(a, "%lld", (long long)id),
                    row.place_code, org_audit_json(a, &before, pbefore, nbefore),
                    org_audit_json(a, &row, places, nplaces), NULL) < 0) {
        fprintf(stderr, "linli: organisation update: %s\n", db_errmsg(d));
        db_rollback(d);
        return svc_fail(E_INTERNAL, NULL, NULL);
    }
    if (db_commit(d) < 0) return svc_fail(E_UNAVAILABLE, NULL, NULL);
    return (struct svc_result){.id = id};
}

struct svc_result svc_agreement_add(db *d, arena *a, const struct principal *who, int64_t org_id,
                                    const char *place_code, const char *title,
                                    const char *signed_on, const char *expires_on)
{
    int64_t viewer = principal_viewer(who);
    db_rows *org = store_org_get(d, a, viewer, CAP_ORGS_READ, org_id);
    if (!org) return svc_fail(E_NOT_FOUND, NULL, "组织不存在或不在您的管辖范围内");
    place_code = text_trim(a, place_code);
    if (!place_code || !*place_code) return svc_fail(E_BAD_INPUT, "place_code", "请填写共建的社区");
    const char *level = store_place_level(d, a, place_code);
    if (!level || !store_place_in_scope(d, viewer, CAP_ORGS_WRITE, place_code))
        return svc_fail(E_NOT_FOUND, "place_code", not_in_scope);
    if (strcmp(level, "community") != 0)
        return svc_fail(E_BAD_INPUT, "place_code", "共建协议的对象应为社区或村");
    title = text_trim(a, title);
    if (!title || !*title) return svc_fail(E_BAD_INPUT, "title", "请填写协议名称");
    if (text_chars(title) > 200) return svc_fail(E_BAD_INPUT, "title", "协议名称不能超过200个字");
    signed_on = text_trim(a, signed_on);
    if (!iso_date_valid(signed_on))
        return svc_fail(E_BAD_INPUT, "signed_on", "签订日期应为 YYYY-MM-DD 格式的有效日期");
    expires_on = text_trim(a, expires_on);
    if (expires_on && *expires_on) {
        if (!iso_date_valid(expires_on))
            return svc_fail(E_BAD_INPUT, "expires_on", "到期日期应为 YYYY-MM-DD 格式的有效日期");
        if (strcmp(expires_on, signed_on) < 0)
            return svc_fail(E_BAD_INPUT, "expires_on", "到期日期不能早于签订日期");
    } else
        expires_on = NULL;

    json_t *after = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s?}", "org_id", (json_int_t)org_id,
                              "org_name", db_get(org, 0, OC_NAME), "place_code", place_code,
                              "title", title, "signed_on", signed_on, "expires_on", expires_on);
    char *after_s = json_dumps(after, JSON_COMPACT);
    json_decref(after);
    const char *after_json = arena_strdup(a, after_s);
    free(after_s);
    if (db_begin(d) < 0) return svc_fail(E_UNAVAILABLE, NULL, NULL);
    int64_t id = store_agreement_insert(d, org_id, place_code, title, signed_on, expires_on);
    if (id < 0 || audit_write(d, who, "create", "agreement", arena_printf(a, "%lld", (long long)id),
                              place_code, NULL, after_json, NULL) < 0) {
        fprintf(stderr, "linli: agreement: %s\n", db_errmsg(d));
        db_rollback(d);
        return svc_fail(E_INTERNAL, NULL, NULL);
    }
    if (db_commit(d) < 0) return svc_fail(E_UNAVAILABLE, NULL, NULL);
    return (struct svc_result){.id = id};
}

/* True when code lies in the subtree of prefix (codes are digit paths). */
static bool under(const char *code, const char *prefix)
{
    return code && !strncmp(code, prefix, strlen(prefix));
}

/* The child row a code belongs to, advancing *j through children sorted by
 * code (the codes come sorted too, and subtrees are disjoint ranges). */
static struct coverage_row *row_for(struct coverage_report *r, int *j, const char *code)
{
    while (*j < r->nrows && !under(code, r->rows[*j].code) && strcmp(code, r->rows[*j].code) > 0)
        (*j)++;
    return *j < r->nrows && under(code, r->rows[*j].code) ? &r->rows[*j] : NULL;
}

static void add_compound(struct coverage_row *row, long members, bool standalone, bool joint)
{
    enum branch_formation rule = branch_rule_for((int)(members > 1000000 ? 1000000 : members));
    branch_coverage_add(&row->cov, 1, standalone || joint, 0, 0);
    row->party_members += members;
    if (rule == BRANCH_STANDALONE && !standalone) row->standalone_missing++;
    if (rule == BRANCH_JOINT && !joint) row->joint_missing++;
}

err_code svc_branch_coverage(db *d, arena *a, int64_t viewer, const char *place_code,
                             struct coverage_report *out)
{
    memset(out, 0, sizeof *out);
    db_rows *p = store_place_get(d, a, viewer, CAP_ORGS_READ, place_code);
    if (!p) return E_NOT_FOUND;
    out->total.code = db_get(p, 0, PLC_CODE);
    out->total.name = db_get(p, 0, PLC_NAME);
    out->total.level = db_get(p, 0, PLC_LEVEL);
    db_rows *ch = store_place_child_names(d, a, viewer, CAP_ORGS_READ, place_code, 2000);
    db_rows *cp = store_branch_compounds(d, a, viewer, CAP_ORGS_READ, place_code);
    db_rows *br = store_branches_under(d, a, viewer, CAP_ORGS_READ, place_code);
    if (!ch || !cp || !br) return E_INTERNAL;
    /* A community's children are its compounds: one row each says little
     * more than the table below it, but it is what a secretary checks. */
    out->nrows = ch->nrows;
    out->rows = arena_alloc(a, sizeof *out->rows * (size_t)(ch->nrows + 1));
    for (int i = 0; i < ch->nrows; i++) {
        out->rows[i].code = db_get(ch, i, 0);
        out->rows[i].name = db_get(ch, i, 1);
        out->rows[i].level = db_get(ch, i, 2);
    }
    int j = 0;
    for (int i = 0; i < cp->nrows; i++) {
        long m = (long)db_get_int(cp, i, BCC_MEMBERS);
        bool s = db_get_int(cp, i, BCC_STANDALONE), jt = db_get_int(cp, i, BCC_JOINT);
        add_compound(&out->total, m, s, jt);
        struct coverage_row *row = row_for(out, &j, db_get(cp, i, BCC_CODE));
        if (row) add_compound(row, m, s, jt);
    }
    j = 0;
    for (int i = 0; i < br->nrows; i++) {
        bool joint = !strcmp(db_get(br, i, BR_FORMATION), "joint");
        branch_coverage_add(&out->total.cov, 0, 0, !joint, joint);
        struct coverage_row *row = row_for(out, &j, db_get(br, i, BR_ANCHOR));
        if (row) branch_coverage_add(&row->cov, 0, 0, !joint, joint);
    }
    /* For one community, propose joint branches for the compounds left out. */
    if (!strcmp(out->total.level, "community") && cp->nrows > 0) {
        struct compound_info *ci = arena_alloc(a, sizeof *ci * (size_t)cp->nrows);
        int *group = arena_alloc(a, sizeof *group * (size_t)cp->nrows);
        for (int i = 0; i < cp->nrows; i++) {
            long m = (long)db_get_int(cp, i, BCC_MEMBERS);
            ci[i] = (struct compound_info){.code = db_get(cp, i, BCC_CODE),
                                           .party_members = (int)(m > 1000000 ? 1000000 : m),
                                           .has_branch = db_get_int(cp, i, BCC_STANDALONE) ||
                                                         db_get_int(cp, i, BCC_JOINT)};
        }
        int ng = branch_propose_joint(ci, cp->nrows, group);
        if (ng > 0) {
            out->ngroups = ng;
            out->groups = arena_alloc(a, sizeof *out->groups * (size_t)ng);
            for (int g = 0; g < ng; g++) {
                out->groups[g].codes = arena_alloc(a, sizeof(char *) * (size_t)cp->nrows);
                out->groups[g].names = arena_alloc(a, sizeof(char *) * (size_t)cp->nrows);
            }
            for (int i = 0; i < cp->nrows; i++) {
                if (group[i] < 0 || group[i] >= ng) continue;
                struct coverage_group *gr = &out->groups[group[i]];
                gr->codes[gr->ncompounds] = db_get(cp, i, BCC_CODE);
                gr->names[gr->ncompounds] = db_get(cp, i, BCC_NAME);
                gr->ncompounds++;
                gr->members += ci[i].party_members;
            }
        }
    }
    return E_OK;
}
