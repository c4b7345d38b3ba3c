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
#include "service/svc_registry.h"
#include "service/svc_tx.h"
#include "store/store_orgs.h"
#include "store/store_places.h"
#include "util/text.h"

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

static void set_flag(json_t *o, const char *key, int v)
{
    json_object_set_new(o, key, v < 0 ? json_null() : json_boolean(v));
}

/* The audit image of an organisation. */
static const char *org_audit_json(arena *a, const void *row, const char *const *places, int n)
{
    const struct org_row *r = row;
    json_t *o = json_object();
    json_object_set_new(o, "kind", json_string(r->kind));
    json_object_set_new(o, "name", json_string(r->name));
    json_object_set_new(o, "parent_id", r->parent_id ? json_integer(r->parent_id) : json_null());
    json_object_set_new(o, "place_code", svc_json_str(r->place_code));
    json_object_set_new(o, "formation", svc_json_str(r->formation));
    json_object_set_new(o, "phone", svc_json_str(r->phone));
    json_object_set_new(o, "places", svc_registry_codes_json(places, n));
    if (!strcmp(r->kind, "branch")) {
        set_flag(o, "has_position", r->has_position);
        set_flag(o, "has_ledger", r->has_ledger);
        set_flag(o, "has_mechanism", r->has_mechanism);
        set_flag(o, "has_plan", r->has_plan);
        json_object_set_new(o, "secretary_person_id",
                            r->secretary_person_id ? json_integer(r->secretary_person_id)
                                                   : json_null());
        json_object_set_new(o, "secretary_way", svc_json_str(r->secretary_way));
        set_flag(o, "one_shoulder", r->one_shoulder);
    }
    return svc_registry_dump(a, o);
}

static const char *const not_in_scope = "区划不存在或不在您的管辖范围内";

/* An id given as text: 0 for "" (none), -1 when it is not a positive number. */
static int64_t id_of(const char *s)
{
    if (!*s) return 0;
    char *end;
    long long v = strtoll(s, &end, 10);
    return *end || v <= 0 ? -1 : v;
}

/* Kind, name, home place and parent of `in` onto *out. */
static struct svc_result validate_head(db *d, arena *a, int64_t viewer, int64_t self,
                                       const struct org_input *in, struct org_row *out)
{
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
        if (!store_place_visible(d, a, viewer, CAP_ORGS_WRITE, code))
            return svc_fail(E_NOT_FOUND, "place_code", not_in_scope);
        out->place_code = code;
    }
    if (in->parent_id) {
        int64_t parent = id_of(text_trim(a, in->parent_id));
        struct org_view pv;
        if (parent < 0) return svc_fail(E_BAD_INPUT, "parent_id", "parent_id 应为正整数编号");
        if (parent > 0) {
            if (!store_org_read(d, a, viewer, CAP_ORGS_READ, parent, &pv))
                return svc_fail(E_NOT_FOUND, "parent_id", "上级组织不存在或不在您的管辖范围内");
            if (self && store_org_is_below(d, parent, self))
                return svc_fail(E_BAD_INPUT, "parent_id", "上级组织不能是本组织或其下级组织");
        }
        out->parent_id = parent;
    }
    return (struct svc_result){0};
}

/* A branch's formation: as given, else from how many compounds it serves. */
static struct svc_result validate_formation(db *d, arena *a, const struct org_input *in,
                                            struct org_row *out, const char *const *places,
                                            int nplaces)
{
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
    if (!branch) {
        out->formation = NULL;
        return (struct svc_result){0};
    }
    int compounds = 0;
    for (int i = 0; i < nplaces; i++) {
        const char *lv = store_place_level(d, a, places[i]);
        if (lv && !strcmp(lv, "compound")) compounds++;
    }
    if (!out->formation)
        out->formation = branch_formation_id(compounds > 1 ? BRANCH_JOINT : BRANCH_STANDALONE);
    if (!strcmp(out->formation, "standalone") && compounds > 1)
        return svc_fail(E_BAD_INPUT, "formation",
                        "单独组建的支部只能覆盖一个小区，多个小区请选联合组建");
    return (struct svc_result){0};
}

/* 五有, 四个一批 and 一肩挑: they belong to compound branches. */
static struct svc_result validate_profile(db *d, arena *a, int64_t viewer,
                                          const struct org_input *in, struct org_row *out)
{
    bool branch = !strcmp(out->kind, "branch");
    int *flags[] = {&out->has_position, &out->has_ledger, &out->has_mechanism, &out->has_plan,
                    &out->one_shoulder};
    const int given[] = {in->has_position, in->has_ledger, in->has_mechanism, in->has_plan,
                         in->one_shoulder};
    int64_t secretary = in->secretary_person_id ? id_of(text_trim(a, in->secretary_person_id)) : 0;
    if (secretary < 0)
        return svc_fail(E_BAD_INPUT, "secretary_person_id", "secretary_person_id 应为正整数编号");
    bool profile = secretary > 0 || (in->secretary_way && *in->secretary_way);
    for (int i = 0; i < 5; i++) profile |= given[i] != ORG_FLAG_KEEP && given[i] != ORG_FLAG_NULL;
    if (profile && !branch)
        return svc_fail(E_BAD_INPUT, "kind", "五有、书记选任方式与一肩挑只适用于党支部");
    for (int i = 0; i < 5; i++)
        if (given[i] != ORG_FLAG_KEEP) *flags[i] = given[i] < 0 ? ORG_FLAG_NULL : given[i] != 0;
    if (in->secretary_person_id) {
        if (secretary > 0 && !store_person_place_in_scope(d, a, viewer, CAP_PEOPLE_READ, secretary))
            return svc_fail(E_NOT_FOUND, "secretary_person_id", "书记不存在或不在您的管辖范围内");
        out->secretary_person_id = secretary;
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

/* Validates `in` over `out` (the stored row on update, an empty row on create)
 * and the places to serve. self: the organisation's id (0: new). */
static struct svc_result validate(db *d, arena *a, const struct principal *who, int64_t self,
                                  const void *input, void *row, const char *const **places,
                                  int *nplaces)
{
    const struct org_input *in = input;
    struct org_row *out = row;
    static const struct svc_registry_places rule = {"places", "服务区划过多（最多500处）",
                                                    "服务区划 %s 不存在或不在您的管辖范围内",
                                                    ORG_PLACES_MAX};
    int64_t viewer = principal_viewer(who);
    struct svc_result v = validate_head(d, a, viewer, self, in, out);
    if (!v.err && in->set_places)
        v = svc_registry_places(d, a, viewer, CAP_ORGS_WRITE, &rule, in->places, in->nplaces,
                                places, nplaces);
    if (!v.err) v = validate_formation(d, a, in, out, *places, *nplaces);
    if (!v.err && in->phone) {
        const char *ph = text_trim(a, in->phone);
        if (*ph && !phone_valid(ph)) return svc_fail(E_BAD_INPUT, "phone", "联系电话格式不正确");
        out->phone = *ph ? ph : NULL;
    }
    if (!v.err) v = validate_profile(d, a, viewer, in, out);
    return v;
}

static int64_t org_store(db *d, int64_t id, const void *row)
{
    if (!id) return store_org_insert(d, row);
    return store_org_update(d, id, row) < 0 ? -1 : id;
}

static const char *org_place(const void *row)
{
    return ((const struct org_row *)row)->place_code;
}

static const struct svc_registry_ops org_ops = {.entity = "organisation",
                                                .what_create = "organisation create",
                                                .what_update = "organisation update",
                                                .store = org_store,
                                                .places_set = store_org_places_set,
                                                .validate = validate,
                                                .audit = org_audit_json,
                                                .place_code = org_place};

struct svc_result svc_org_create(db *d, arena *a, const struct principal *who,
                                 const struct org_input *in)
{
    struct org_row row = {.has_position = ORG_FLAG_NULL,
                          .has_ledger = ORG_FLAG_NULL,
                          .has_mechanism = ORG_FLAG_NULL,
                          .has_plan = ORG_FLAG_NULL,
                          .one_shoulder = ORG_FLAG_NULL};
    return svc_registry_save(d, a, who, &org_ops, 0, in, true, &row, NULL, NULL, 0);
}

struct svc_result svc_org_update(db *d, arena *a, const struct principal *who, int64_t id,
                                 const struct org_input *in)
{
    int64_t viewer = principal_viewer(who);
    struct org_view cur;
    if (!store_org_read(d, a, viewer, CAP_ORGS_READ, id, &cur))
        return svc_fail(E_NOT_FOUND, NULL, "组织不存在或不在您的管辖范围内");
    const char *home = cur.row.place_code;
    if (!home || !store_place_in_scope(d, viewer, CAP_ORGS_WRITE, home))
        return svc_fail(E_FORBIDDEN, NULL, "您无权修改该组织（其所在区划不在您的管辖范围内）");
    struct org_row row = cur.row;
    struct served_place *sp;
    int n = store_org_served(d, a, 0, CAP_ORGS_READ, id, &sp);
    n = n < 0 ? 0 : n;
    return svc_registry_save(d, a, who, &org_ops, id, in, in->set_places, &row, &cur.row,
                             svc_registry_codes(a, sp, n), n);
}

struct agreement_write {
    int64_t org_id;
    const char *org_name;
    struct agreement_input in;
};

static struct svc_result agreement_tx(db *d, arena *a, void *ctx, struct svc_audit *au)
{
    struct agreement_write *w = ctx;
    const struct agreement_input *in = &w->in;
    int64_t id = store_agreement_insert(d, w->org_id, in->place_code, in->title, in->signed_on,
                                        in->expires_on);
    if (id < 0) return svc_store_failed();
    json_t *after = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s?}", "org_id", (json_int_t)w->org_id,
                              "org_name", w->org_name, "place_code", in->place_code, "title",
                              in->title, "signed_on", in->signed_on, "expires_on", in->expires_on);
    *au = (struct svc_audit){.action = "create",
                             .entity = "agreement",
                             .entity_id = arena_printf(a, "%lld", (long long)id),
                             .place_code = in->place_code,
                             .after_json = svc_registry_dump(a, after)};
    return (struct svc_result){.id = id};
}

struct svc_result svc_agreement_add(db *d, arena *a, const struct principal *who, int64_t org_id,
                                    const struct agreement_input *in)
{
    int64_t viewer = principal_viewer(who);
    struct org_view org;
    if (!store_org_read(d, a, viewer, CAP_ORGS_READ, org_id, &org))
        return svc_fail(E_NOT_FOUND, NULL, "组织不存在或不在您的管辖范围内");
    struct agreement_write w = {.org_id = org_id, .org_name = org.row.name};
    const char *place_code = w.in.place_code = text_trim(a, in->place_code);
    if (!place_code || !*place_code) return svc_fail(E_BAD_INPUT, "place_code", "请填写共建的社区");
    const char *level = store_place_visible(d, a, viewer, CAP_ORGS_WRITE, place_code);
    if (!level) return svc_fail(E_NOT_FOUND, "place_code", not_in_scope);
    if (strcmp(level, "community") != 0)
        return svc_fail(E_BAD_INPUT, "place_code", "共建协议的对象应为社区或村");
    const char *title = w.in.title = text_trim(a, in->title);
    if (!title || !*title) return svc_fail(E_BAD_INPUT, "title", "请填写协议名称");
    if (text_chars(title) > AGREEMENT_TITLE_MAX)
        return svc_fail(E_BAD_INPUT, "title", "协议名称不能超过200个字");
    const char *signed_on = w.in.signed_on = text_trim(a, in->signed_on);
    if (!iso_date_valid(signed_on))
        return svc_fail(E_BAD_INPUT, "signed_on", "签订日期应为 YYYY-MM-DD 格式的有效日期");
    const char *expires_on = text_trim(a, in->expires_on);
    if (expires_on && *expires_on) {
        if (!iso_date_valid(expires_on))
            return svc_fail(E_BAD_INPUT, "expires_on", "到期日期应为 YYYY-MM-DD 格式的有效日期");
        if (strcmp(expires_on, signed_on) < 0)
            return svc_fail(E_BAD_INPUT, "expires_on", "到期日期不能早于签订日期");
        w.in.expires_on = expires_on;
    }
    return svc_tx(d, a, who, "agreement", agreement_tx, &w);
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

/* For one community, the joint branches proposed for the compounds left out. */
static void propose_groups(arena *a, struct coverage_report *out, const struct branch_compound *cp,
                           int ncp)
{
    struct compound_info *ci = arena_alloc(a, sizeof *ci * (size_t)ncp);
    int *group = arena_alloc(a, sizeof *group * (size_t)ncp);
    for (int i = 0; i < ncp; i++)
        ci[i] = (struct compound_info){.code = cp[i].code,
                                       .party_members =
                                           (int)(cp[i].members > 1000000 ? 1000000 : cp[i].members),
                                       .has_branch = cp[i].standalone || cp[i].joint};
    int ng = branch_propose_joint(ci, ncp, group);
    if (ng <= 0) return;
    out->ngroups = ng;
    out->groups = arena_alloc(a, sizeof *out->groups * (size_t)ng);
    for (int g = 0; g < ng; g++) {
        out->groups[g].codes = arena_alloc(a, sizeof(char *) * (size_t)ncp);
        out->groups[g].names = arena_alloc(a, sizeof(char *) * (size_t)ncp);
    }
    for (int i = 0; i < ncp; i++) {
        if (group[i] < 0 || group[i] >= ng) continue;
        struct coverage_group *gr = &out->groups[group[i]];
        gr->codes[gr->ncompounds] = cp[i].code;
        gr->names[gr->ncompounds] = cp[i].name;
        gr->ncompounds++;
        gr->members += ci[i].party_members;
    }
}

err_code svc_branch_coverage(db *d, arena *a, int64_t viewer, const char *place_code,
                             struct coverage_report *out)
{
    memset(out, 0, sizeof *out);
    struct served_place top;
    if (!store_registry_place(d, a, viewer, CAP_ORGS_READ, place_code, &top)) return E_NOT_FOUND;
    out->total.code = top.code;
    out->total.name = top.name;
    out->total.level = top.level;
    struct served_place *ch;
    struct branch_compound *cp;
    struct branch_anchor *br;
    int nch = store_served_places_of(
        a, store_place_child_names(d, a, viewer, CAP_ORGS_READ, place_code, 2000), &ch);
    int ncp = store_branch_compound_list(d, a, viewer, CAP_ORGS_READ, place_code, &cp);
    int nbr = store_branch_anchor_list(d, a, viewer, CAP_ORGS_READ, place_code, &br);
    if (nch < 0 || ncp < 0 || nbr < 0) return E_INTERNAL;
    /* A community's children are its compounds: one row each says little
     * more than the table below it, but it is what a secretary checks. */
    out->nrows = nch;
    out->rows = arena_alloc(a, sizeof *out->rows * (size_t)(nch + 1));
    for (int i = 0; i < nch; i++)
        out->rows[i] =
            (struct coverage_row){.code = ch[i].code, .name = ch[i].name, .level = ch[i].level};
    int j = 0;
    for (int i = 0; i < ncp; i++) {
        add_compound(&out->total, cp[i].members, cp[i].standalone, cp[i].joint);
        struct coverage_row *row = row_for(out, &j, cp[i].code);
        if (row) add_compound(row, cp[i].members, cp[i].standalone, cp[i].joint);
    }
    j = 0;
    for (int i = 0; i < nbr; i++) {
        branch_coverage_add(&out->total.cov, 0, 0, !br[i].joint, br[i].joint);
        struct coverage_row *row = row_for(out, &j, br[i].anchor);
        if (row) branch_coverage_add(&row->cov, 0, 0, !br[i].joint, br[i].joint);
    }
    if (!strcmp(out->total.level, "community") && ncp > 0) propose_groups(a, out, cp, ncp);
    return E_OK;
}
