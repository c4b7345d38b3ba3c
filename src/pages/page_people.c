/* 居民台账 pages: /residents (search, filters, masked table, pager),
 * /residents/{id} (the person with household, party member block, tags and —
 * for grid workers and above — the logged reveal button), /residents/new and
 * /residents/{id}/edit with the forms for the person and each record. Every
 * change goes through service/svc_people.c; a refused form is shown again
 * with the Chinese reason next to its field.
 *
 * Edit forms never prefill 身份证号 or phone: that would show them unmasked
 * without a logged reveal. Left empty, they stay unchanged. */
#include <stdlib.h>
#include <string.h>

#include "core/mask.h"
#include "core/roles.h"
#include "core/vocab.h"
#include "http/bind.h"
#include "http/bind_people.h"
#include "pages/layout.h"
#include "pages/ui.h"
#include "service/svc_people.h"
#include "store/store_orgs.h"
#include "store/store_people.h"
#include "store/store_places.h"
#include "util/clock.h"

#define PAGE_ROWS 50

/* The refusal being shown, and which form it belongs to. */
struct form_err {
    const char *form; /* "person", "party", "volunteer", "partner", "worker", "tags" */
    const char *field, *message;
    const char *link; /* the existing record of a duplicate 身份证号 in the caller's scope */
};

static bool err_in(const struct form_err *fe, const char *form)
{
    return fe && fe->form && !strcmp(fe->form, form);
}

static const char *masked(req *r, const char *v, bool phone)
{
    if (!v || !*v) return "—";
    char *m = arena_alloc(r->a, 64);
    if (phone)
        mask_phone(v, m, 64);
    else
        mask_id_number(v, m, 64);
    return m;
}

static const char *or_dash(const char *s)
{
    return s && *s ? s : "—";
}

static const char *sex_zh(const char *s)
{
    return !s ? "—" : !strcmp(s, "M") ? "男" : !strcmp(s, "F") ? "女" : s;
}

/* Writes care tags as labelled .tag spans. */
static void tag_spans(buf *o, const struct vocab_entry *const *tags, int n)
{
    for (int i = 0; i < n; i++) buf_hprintf(o, "<span class=\"tag\">%s</span>", tags[i]->zh);
}

/* Whether the person has care tag e: as just posted when re-showing the
 * refused form, else as stored. */
static bool tag_on(req *r, bool posted, const struct person *p, const struct vocab_entry *e)
{
    if (posted) {
        for (const struct form_field *f = r->form; f; f = f->next)
            if (!strcmp(f->name, "care_tags") && f->value && !strcmp(f->value, e->id)) return true;
        return false;
    }
    for (int i = 0; i < p->ncare_tags; i++)
        if (p->care_tags[i] == e) return true;
    return false;
}

/* ---- /residents ---------------------------------------------------------- */

static void option(buf *o, const char *value, const char *label, const char *selected)
{
    buf_puts(o, "<option value=\"");
    buf_html(o, value);
    buf_puts(o, "\"");
    if (selected && !strcmp(selected, value)) buf_puts(o, " selected");
    buf_puts(o, ">");
    buf_html(o, label);
    buf_puts(o, "</option>");
}

static void vocab_options(buf *o, const struct vocab *v, const char *selected)
{
    for (int i = 0; i < v->count; i++) option(o, v->entries[i].id, v->entries[i].zh, selected);
}

/* Appends "name=value" to a link's query string when value is set. */
static void keep(buf *o, bool *first, const char *name, const char *value)
{
    if (!value || !*value) return;
    buf_puts(o, *first ? "?" : "&amp;");
    *first = false;
    buf_html(o, name);
    buf_puts(o, "=");
    buf_url(o, value);
}

/* A pager link to the search q continued after cursor (NULL: the first page). */
static void pager_link(buf *o, const struct people_query *q, const char *cursor, const char *label)
{
    bool first = true;
    buf_puts(o, "<a href=\"/residents");
    keep(o, &first, "q", q->q);
    keep(o, &first, "place", q->place);
    keep(o, &first, "care_tag", q->care_tag);
    keep(o, &first, "party", q->party);
    keep(o, &first, "member_kind", q->member_kind);
    keep(o, &first, "hukou", q->hukou);
    keep(o, &first, "elderly", q->elderly);
    keep(o, &first, "name", q->name);
    keep(o, &first, "name_match", q->name_match);
    keep(o, &first, "phone", q->phone);
    keep(o, &first, "min_age", q->min_age);
    keep(o, &first, "cursor", cursor);
    buf_puts(o, "\">");
    buf_html(o, label);
    buf_puts(o, "</a>");
}

static err_code page_residents(req *r)
{
    struct people_query q = bind_people_query(r);
    struct people_filter f = {.limit = PAGE_ROWS + 1};
    struct svc_result res = svc_people_filter(r->a, &q, &f);
    page_begin(r, "居民台账");
    buf *o = &r->out;
    buf_puts(o, "<form class=\"filters\" method=\"get\" action=\"/residents\">"
                "<label for=\"q\">搜索</label><input id=\"q\" name=\"q\" type=\"search\" "
                "placeholder=\"姓名或电话\" value=\"");
    buf_html(o, q.q);
    buf_puts(o, "\"><label for=\"place\">区划代码</label><input id=\"place\" name=\"place\" "
                "inputmode=\"numeric\" placeholder=\"如 140930100010\" value=\"");
    buf_html(o, q.place);
    buf_puts(o, "\"><label for=\"care_tag\">关爱标签</label><select id=\"care_tag\" "
                "name=\"care_tag\"><option value=\"\">全部</option>");
    vocab_options(o, &vocab_care_tags, q.care_tag);
    buf_puts(o, "</select><label for=\"party\">政治面貌</label><select id=\"party\" name=\"party\">"
                "<option value=\"\">全部</option>");
    option(o, "1", "党员", q.party);
    option(o, "0", "非党员", q.party);
    buf_puts(o, "</select><label for=\"member_kind\">党员类别</label><select id=\"member_kind\" "
                "name=\"member_kind\"><option value=\"\">全部</option>");
    vocab_options(o, &vocab_member_kinds, q.member_kind);
    buf_puts(o, "</select><label for=\"hukou\">户籍</label><select id=\"hukou\" name=\"hukou\">"
                "<option value=\"\">全部</option>");
    option(o, "1", "本地", q.hukou);
    option(o, "0", "外地", q.hukou);
    buf_puts(o, "</select><label class=\"check\"><input type=\"checkbox\" name=\"elderly\" "
                "value=\"1\"");
    if (q.elderly && !strcmp(q.elderly, "1")) buf_puts(o, " checked");
    buf_puts(o, ">60岁及以上老人</label><button type=\"submit\" class=\"primary\">查询</button>"
                "</form>\n");
    if (principal_has_cap(r->me, CAP_PEOPLE_WRITE))
        buf_puts(o, "<p><a class=\"button\" href=\"/residents/new\">登记居民</a></p>\n");
    if (res.err) {
        page_message(r, "error", res.message);
        err_code pe = page_end(r);
        r->status = 400;
        return pe;
    }
    struct person_brief *rows;
    int got = store_people_list(r->db, r->a, r->me->account_id, &f, &rows);
    if (got < 0) return E_INTERNAL;
    int n = got > PAGE_ROWS ? PAGE_ROWS : got;
    buf_puts(o, "<div class=\"table-wrap\"><table class=\"table\"><thead><tr><th>姓名</th>"
                "<th>性别</th><th class=\"num\">年龄</th><th>电话</th><th>身份证号</th>"
                "<th>住址</th><th>标签</th></tr></thead><tbody>\n");
    time_t now = clock_now();
    for (int i = 0; i < n; i++) {
        const struct person_brief *p = &rows[i];
        int age = p->birth_date ? age_on(p->birth_date, now) : -1;
        buf_hprintf(o,
                    "<tr><td><a href=\"/residents/%lld\">%s</a></td><td>%s</td><td "
                    "class=\"num\">%s</td><td>%s</td><td>%s</td><td>%s</td><td class=\"wrap\">",
                    (long long)p->id, p->name, sex_zh(p->sex),
                    age >= 0 ? arena_printf(r->a, "%d", age) : "—", masked(r, p->phone, true),
                    masked(r, p->id_number, false), or_dash(p->place_name));
        if (p->member_kind) buf_puts(o, "<span class=\"badge\">党员</span> ");
        tag_spans(o, p->care_tags, p->ncare_tags);
        buf_puts(o, "</td></tr>\n");
    }
    if (n == 0) buf_puts(o, "<tr><td colspan=\"7\" class=\"muted\">没有符合条件的居民</td></tr>\n");
    buf_puts(o, "</tbody></table></div>\n");
    if (got > PAGE_ROWS || (q.cursor && *q.cursor)) {
        buf_puts(o, "<nav class=\"pager\">");
        if (q.cursor && *q.cursor) pager_link(o, &q, NULL, "第一页");
        if (got > PAGE_ROWS) pager_link(o, &q, store_people_cursor(r->a, &rows[n - 1]), "下一页");
        buf_puts(o, "</nav>\n");
    }
    return page_end(r);
}
ROUTE("GET", "/residents", page_residents, CAP_PEOPLE_READ, R_PAGE, NULL, "居民台账：搜索与筛选");

/* ---- /residents/{id} ----------------------------------------------------- */

/* An id or number as text, NULL for none (0). */
static const char *num_text(req *r, int64_t v)
{
    return v ? arena_printf(r->a, "%lld", (long long)v) : NULL;
}

/* One step of an address: a link to the place's page when the viewer may
 * open it, else its name. */
static void address_step(buf *o, const char *code, const char *name, bool link)
{
    if (link)
        buf_hprintf(o, "<a href=\"/places/%s\">%s</a>", code, name);
    else
        buf_html(o, name);
}

/* The address from the street down to the person's place (the household). */
static void address(req *r, const struct person *p)
{
    buf *o = &r->out;
    if (!p->place_code) {
        buf_puts(o, "—");
        return;
    }
    bool places = principal_has_cap(r->me, CAP_PLACES_READ);
    struct place_step *up;
    int n = store_place_path(r->db, r->a, r->me->account_id, CAP_PLACES_READ, p->place_code, &up);
    int street = vocab_index(&vocab_place_levels, "street");
    for (int i = 0; i < n; i++) {
        if (vocab_index(&vocab_place_levels, up[i].level) < street) continue;
        address_step(o, up[i].code, up[i].name, places && up[i].in_scope);
        buf_puts(o, " › ");
    }
    address_step(o, p->place_code, or_dash(p->place_name), places);
}

/* The reveal form (reason required); error: a refused reveal's reason. */
static void reveal_form(req *r, const struct person *p, const char *error)
{
    buf *o = &r->out;
    buf_printf(o, "<form method=\"post\" action=\"/residents/%lld/reveal\">", (long long)p->id);
    page_csrf_field(r);
    buf_puts(o, "<label for=\"reason\">查看原因（必填）</label><input id=\"reason\" "
                "name=\"reason\" type=\"text\" required maxlength=\"100\" "
                "autocomplete=\"off\" placeholder=\"如：核实低保申请、入户走访\"");
    if (error) buf_puts(o, " aria-invalid=\"true\" aria-describedby=\"reason-error\"");
    buf_puts(o, ">");
    if (error) buf_hprintf(o, "<span class=\"field-error\" id=\"reason-error\">%s</span>", error);
    buf_printf(o,
               "<button type=\"submit\">显示完整信息</button> <small class=\"muted\">"
               "查看将连同原因记入操作日志；每个账号每天最多查看 %d 次</small></form>\n",
               REVEAL_DAILY_LIMIT);
}

/* 基本信息: masked unless revealed, with the reveal form and the edit link. */
static void basic_card(req *r, const struct person *p, bool revealed, const char *error, int age)
{
    buf *o = &r->out;
    bool can_read = principal_has_cap(r->me, CAP_PEOPLE_READ);
    buf_puts(o, "<section class=\"card\"><h2>基本信息</h2><dl>");
    ui_row(o, "性别", sex_zh(p->sex));
    /* beside a masked 身份证号 the birth date would be its hidden middle */
    if (!revealed && p->id_number && *p->id_number)
        ui_row(o, "年龄", age >= 0 ? arena_printf(r->a, "%d岁", age) : NULL);
    else
        ui_row(o, "出生日期",
               age >= 0 ? arena_printf(r->a, "%s（%d岁）", p->birth_date, age) : p->birth_date);
    ui_row(o, "身份证号", revealed ? p->id_number : masked(r, p->id_number, false));
    ui_row(o, "电话", revealed ? p->phone : masked(r, p->phone, true));
    buf_puts(o, "<dt>住址</dt><dd>");
    address(r, p);
    buf_puts(o, "</dd>");
    ui_row(o, "户籍", p->hukou_local < 0 ? NULL : p->hukou_local ? "本地" : "外地");
    ui_row(o, "与户主关系", p->relation);
    ui_row(o, "备注", p->note);
    buf_puts(o, "</dl>\n");
    bool self = r->me->person_id == p->id;
    if (!revealed && principal_has_cap(r->me, CAP_PEOPLE_REVEAL) && (!self || can_read))
        reveal_form(r, p, error);
    if (principal_has_cap(r->me, CAP_PEOPLE_WRITE) && can_read)
        buf_printf(o, "<p><a class=\"button\" href=\"/residents/%lld/edit\">编辑</a></p>\n",
                   (long long)p->id);
    buf_puts(o, "</section>\n");
}

/* Comma-separated text as .tag spans. */
static void text_tags(req *r, const char *csv)
{
    if (!csv) buf_puts(&r->out, "—");
    for (const char *q = csv; q && *q;) {
        const char *e = strchr(q, ',');
        size_t len = e ? (size_t)(e - q) : strlen(q);
        buf_hprintf(&r->out, "<span class=\"tag\">%s</span>", arena_strndup(r->a, q, len));
        q = e ? e + 1 : q + len;
    }
}

/* The party member, volunteer, partner and community-worker cards. */
static void record_cards(req *r, const struct person *p)
{
    buf *o = &r->out;
    const struct person_party *m = &p->party;
    if (m->kind) {
        buf_hprintf(o,
                    "<section class=\"card\"><h2>党员信息 <span class=\"badge\">%s</span></h2><dl>",
                    or_dash(vocab_label(&vocab_member_kinds, m->kind)));
        ui_row(o, "所属党组织", m->branch_name);
        ui_row(o, "入党日期", m->joined_on);
        ui_row(o, "工作单位", m->work_unit ? m->work_unit : m->work_org_name);
        if (m->reported_at)
            ui_row(o, "双报到",
                   arena_printf(r->a, "%s 报到 %s", m->reported_at,
                                or_dash(m->reported_community_name)));
        ui_row(o, "先锋岗", m->pioneer_post);
        ui_row(o, "责任区", m->duty_area);
        buf_puts(o, "</dl></section>\n");
    }
    if (p->volunteer.is) {
        buf_puts(o, "<section class=\"card\"><h2>志愿者</h2><dl>");
        ui_row(o, "志愿服务队", p->volunteer.team_name);
        buf_puts(o, "<dt>技能</dt><dd>");
        text_tags(r, p->volunteer.skills);
        buf_puts(o, "</dd></dl></section>\n");
    }
    if (p->partner.trade) {
        buf_puts(o, "<section class=\"card\"><h2>社区治理合伙人</h2><dl>");
        ui_row(o, "行业", vocab_label(&vocab_partner_trades, p->partner.trade));
        ui_row(o, "所属企业", p->partner.company);
        ui_row(o, "职责", p->partner.duties);
        buf_puts(o, "</dl></section>\n");
    }
    if (p->worker.is) {
        buf_puts(o, "<section class=\"card\"><h2>社区工作者</h2><dl>");
        ui_row(o, "所在社区", p->worker.community_name);
        ui_row(o, "岗位", p->worker.post);
        ui_row(o, "等级", p->worker.grade ? arena_printf(r->a, "%d级", p->worker.grade) : NULL);
        ui_row(o, "证书", p->worker.certificate);
        buf_puts(o, "</dl></section>\n");
    }
}

/* The other members of the person's household (staff only). */
static void household_card(req *r, const struct person *p)
{
    buf *o = &r->out;
    struct person_brief *m;
    int nm = store_household_members(r->db, r->a, r->me->account_id, p->place_code, 0, 100, &m);
    buf_puts(o, "<section class=\"card\"><h2>同户成员</h2><ul class=\"plain\">");
    int shown = 0;
    for (int i = 0; i < nm; i++) {
        if (m[i].id == p->id) continue;
        buf_hprintf(o,
                    "<li><a href=\"/residents/%lld\">%s</a> <span class=\"muted\">%s</span></li>",
                    (long long)m[i].id, m[i].name, or_dash(m[i].relation));
        shown++;
    }
    if (!shown) buf_puts(o, "<li class=\"muted\">无其他成员</li>");
    buf_puts(o, "</ul></section>\n");
}

/* The person's page. notice: a message above it; error: a refused reveal's
 * reason, shown at the reveal form. */
static void person_page(req *r, const struct person *p, bool revealed, const char *notice,
                        const char *error)
{
    page_begin(r, p->name);
    buf *o = &r->out;
    bool can_read = principal_has_cap(r->me, CAP_PEOPLE_READ);
    buf_puts(o, "<p class=\"breadcrumbs\">");
    if (can_read) buf_puts(o, "<a href=\"/residents\">居民台账</a> › ");
    buf_hprintf(o, "%s</p>\n", p->name);
    page_message(r, "notice", notice);
    int age = p->birth_date ? age_on(p->birth_date, clock_now()) : -1;
    basic_card(r, p, revealed, error, age);
    buf_puts(o, "<section class=\"card\"><h2>关爱标签</h2><p>");
    if (p->ncare_tags)
        tag_spans(o, p->care_tags, p->ncare_tags);
    else
        buf_puts(o, "<span class=\"muted\">无</span>");
    if (age >= VOCAB_ELDERLY_AGE) buf_puts(o, " <span class=\"tag\">60岁及以上老人</span>");
    buf_puts(o, "</p></section>\n");
    record_cards(r, p);
    /* household members for staff; self-only roles never see another person */
    if (can_read && p->place_level && !strcmp(p->place_level, "household")) household_card(r, p);
}

static err_code page_resident(req *r)
{
    int64_t id = req_id(r, "id");
    struct person p;
    if (!store_person_get(r->db, r->a, r->me->account_id, CAP_PEOPLE_READ, r->me->person_id, id,
                          &p))
        return E_NOT_FOUND;
    person_page(r, &p, false, NULL, NULL);
    return page_end(r);
}
ROUTE("GET", "/residents/{id}", page_resident, CAP_SELF, R_PAGE, "person", "居民详情");

static err_code page_resident_reveal(req *r)
{
    int64_t id = req_id(r, "id");
    struct person p;
    struct reveal_input in = {0};
    if (bind_input(r, &reveal_bind, &in)) in.reason = NULL; /* the service answers */
    struct svc_result res = svc_person_reveal(r->db, r->a, r->me, id, &in, &p);
    if (res.err == E_BAD_INPUT || res.err == E_RATE_LIMITED) {
        /* the page again, masked, with the reason for the refusal */
        if (!store_person_get(r->db, r->a, r->me->account_id, CAP_PEOPLE_READ, r->me->person_id, id,
                              &p))
            return E_NOT_FOUND;
        person_page(r, &p, false, NULL, res.message);
        err_code e = page_end(r);
        r->status = err_http_status(res.err);
        return e;
    }
    if (res.err) return res.err;
    person_page(r, &p, true, "已显示完整信息，本次查看及原因已记入操作日志", NULL);
    return page_end(r);
}
ROUTE("POST", "/residents/{id}/reveal", page_resident_reveal, CAP_PEOPLE_REVEAL, R_PAGE, "person",
      "显示完整身份证号与电话（记入日志）");

/* ---- forms --------------------------------------------------------------- */

static void field_error(buf *o, const struct form_err *fe, const char *form, const char *name)
{
    if (!err_in(fe, form) || !fe->field || strcmp(fe->field, name) != 0) return;
    buf_puts(o, "<span class=\"field-error\" id=\"");
    buf_html(o, name);
    buf_puts(o, "-error\">");
    buf_html(o, fe->message);
    if (fe->link) {
        buf_puts(o, " <a href=\"");
        buf_html(o, fe->link);
        buf_puts(o, "\">查看该居民</a>");
    }
    buf_puts(o, "</span>");
}

static bool has_error(const struct form_err *fe, const char *form, const char *name)
{
    return err_in(fe, form) && fe->field && !strcmp(fe->field, name);
}

/* <label> + <input> + its error. extra: raw attributes. */
static void input(req *r, const struct form_err *fe, const char *form, const char *name,
                  const char *label, const char *type, const char *value, const char *extra)
{
    buf *o = &r->out;
    buf_puts(o, "<label for=\"");
    buf_html(o, name);
    buf_puts(o, "\">");
    buf_html(o, label);
    buf_puts(o, "</label><input id=\"");
    buf_html(o, name);
    buf_puts(o, "\" name=\"");
    buf_html(o, name);
    buf_hprintf(o, "\" type=\"%s\"", type);
    if (extra) {
        buf_puts(o, " ");
        buf_puts(o, extra); /* trusted: attributes this code wrote (see keep_hint) */
    }
    if (has_error(fe, form, name)) {
        buf_puts(o, " aria-invalid=\"true\" aria-describedby=\"");
        buf_html(o, name);
        buf_puts(o, "-error\"");
    }
    buf_puts(o, " value=\"");
    buf_html(o, value);
    buf_puts(o, "\">");
    field_error(o, fe, form, name);
    buf_puts(o, "\n");
}

static void select_open(req *r, const struct form_err *fe, const char *form, const char *name,
                        const char *label)
{
    buf *o = &r->out;
    buf_puts(o, "<label for=\"");
    buf_html(o, name);
    buf_puts(o, "\">");
    buf_html(o, label);
    buf_puts(o, "</label><select id=\"");
    buf_html(o, name);
    buf_puts(o, "\" name=\"");
    buf_html(o, name);
    buf_puts(o, "\"");
    if (has_error(fe, form, name)) buf_puts(o, " aria-invalid=\"true\"");
    buf_puts(o, ">");
}

static void select_close(req *r, const struct form_err *fe, const char *form, const char *name)
{
    buf_puts(&r->out, "</select>");
    field_error(&r->out, fe, form, name);
    buf_puts(&r->out, "\n");
}

/* A form-level message (an error without a field of this form). */
static void form_message(req *r, const struct form_err *fe, const char *form)
{
    if (err_in(fe, form) && !fe->field) page_message(r, "error", fe->message);
}

/* Value for a field: what was just posted to this form, else the stored one. */
static const char *val(req *r, const struct form_err *fe, const char *form, const char *name,
                       const char *stored)
{
    return err_in(fe, form) ? req_form(r, name) : stored;
}

static void form_open(req *r, const char *action)
{
    buf_puts(&r->out, "<form method=\"post\" action=\"");
    buf_html(&r->out, action);
    buf_puts(&r->out, "\">");
    page_csrf_field(r);
    buf_puts(&r->out, "\n");
}

/* The attributes of a field the edit form leaves empty (a 身份证号 or phone,
 * never prefilled): its masked value as the placeholder, escaped, then attrs
 * (literal markup). */
static const char *keep_hint(req *r, const char *masked_value, const char *attrs)
{
    buf b = {0};
    buf_hprintf(&b, "placeholder=\"%s（留空表示不修改）\" ", masked_value);
    buf_puts(&b, attrs); /* trusted: literal markup of the caller */
    const char *s = arena_strdup(r->a, buf_cstr(&b));
    buf_free(&b);
    return s;
}

/* The person's own fields; p NULL for a new person. */
static void person_form(req *r, const char *action, const struct person *p,
                        const struct form_err *fe)
{
#define S(f) (p ? p->f : NULL)
    buf *o = &r->out;
    const char *F = "person";
    buf_puts(o, "<section class=\"card\"><h2>基本信息</h2>\n");
    form_message(r, fe, F);
    form_open(r, action);
    input(r, fe, F, "name", "姓名（必填）", "text", val(r, fe, F, "name", S(name)),
          "required maxlength=\"50\" autocomplete=\"off\"");
    const char *sex = val(r, fe, F, "sex", S(sex));
    select_open(r, fe, F, "sex", "性别");
    option(o, "", "未填写", sex);
    option(o, "M", "男", sex);
    option(o, "F", "女", sex);
    select_close(r, fe, F, "sex");
    if (p) {
        input(r, fe, F, "id_number", "身份证号", "text", NULL,
              keep_hint(r, masked(r, S(id_number), false), "autocomplete=\"off\""));
        input(r, fe, F, "phone", "电话", "text", NULL,
              keep_hint(r, masked(r, S(phone), true), "inputmode=\"tel\" autocomplete=\"off\""));
    } else {
        input(r, fe, F, "id_number", "身份证号", "text", val(r, fe, F, "id_number", NULL),
              "maxlength=\"18\" autocomplete=\"off\" "
              "placeholder=\"18位，出生日期与性别可由此自动填写\"");
        input(r, fe, F, "phone", "电话", "text", val(r, fe, F, "phone", NULL),
              "inputmode=\"tel\" autocomplete=\"off\"");
    }
    if (p && S(id_number) && *S(id_number))
        /* not prefilled beside the masked number (it is its hidden middle);
         * left empty, it follows the 身份证号 */
        input(r, fe, F, "birth_date", "出生日期（留空则按身份证号）", "date",
              val(r, fe, F, "birth_date", NULL), NULL);
    else
        input(r, fe, F, "birth_date", "出生日期", "date",
              val(r, fe, F, "birth_date", S(birth_date)), NULL);
    input(r, fe, F, "place_code", "住址（户或其他区划的代码，必填）", "text",
          val(r, fe, F, "place_code", p ? S(place_code) : req_query(r, "place")),
          "required inputmode=\"numeric\"");
    const char *h = val(r, fe, F, "hukou_local",
                        (p && p->hukou_local >= 0 ? (p->hukou_local ? "1" : "0") : NULL));
    select_open(r, fe, F, "hukou_local", "户籍");
    option(o, "", "未知", h);
    option(o, "1", "本地", h);
    option(o, "0", "外地", h);
    select_close(r, fe, F, "hukou_local");
    input(r, fe, F, "relation", "与户主关系", "text", val(r, fe, F, "relation", S(relation)),
          "maxlength=\"20\" placeholder=\"户主、配偶、子女…\"");
    buf_puts(o, "<label for=\"note\">备注</label><textarea id=\"note\" name=\"note\" "
                "maxlength=\"500\">");
    buf_html(o, val(r, fe, F, "note", S(note)));
    buf_puts(o, "</textarea>");
    field_error(o, fe, F, "note");
    buf_puts(o, "\n<button type=\"submit\" class=\"primary\">保存</button></form></section>\n");
#undef S
}

static void remove_box(buf *o, const char *label)
{
    buf_puts(o, "<label class=\"check\"><input type=\"checkbox\" name=\"remove\" value=\"1\">");
    buf_html(o, label);
    buf_puts(o, "</label>\n");
}

/* The work unit as an organisation (双评价 asks it to rate its members), picked
 * by name among the units the staff member sees; the current one is always
 * offered, so that saving the form unchanged keeps it. */
static void work_org_select(req *r, const struct form_err *fe, const char *F, const char *cur_id,
                            const char *cur_name)
{
    buf *o = &r->out;
    const char *chosen = val(r, fe, F, "work_org_id", cur_id);
    select_open(r, fe, F, "work_org_id", "工作单位（组织，双评价时由其评价）");
    option(o, "", "不关联组织", chosen ? chosen : "");
    if (cur_id && *cur_id) option(o, cur_id, cur_name ? cur_name : cur_id, chosen);
    static const char *const kinds[] = {"department", "cobuilding_unit", "resident_unit"};
    for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
        struct org_filter f = {.kind = kinds[k], .limit = 200};
        struct org_view *orgs;
        int n = store_orgs_find(r->db, r->a, r->me->account_id, CAP_ORGS_READ, &f, &orgs);
        for (int i = 0; i < n; i++) {
            const char *id = arena_printf(r->a, "%lld", (long long)orgs[i].id);
            if (!cur_id || strcmp(id, cur_id) != 0) option(o, id, orgs[i].row.name, chosen);
        }
    }
    select_close(r, fe, F, "work_org_id");
}

static void party_form(req *r, const struct person *p, const struct form_err *fe)
{
#define S(f) (p->f)
    buf *o = &r->out;
    const char *F = "party";
    buf_puts(o, "<section class=\"card\"><h2>党员信息</h2>\n");
    form_message(r, fe, F);
    form_open(r, arena_printf(r->a, "/residents/%lld/party-member", (long long)p->id));
    const char *kind = val(r, fe, F, "kind", S(party.kind));
    select_open(r, fe, F, "kind", "党员类别");
    option(o, "", "请选择", kind);
    vocab_options(o, &vocab_member_kinds, kind);
    select_close(r, fe, F, "kind");
    input(r, fe, F, "branch_id", "所属党组织编号", "text",
          val(r, fe, F, "branch_id", num_text(r, p->party.branch_id)), "inputmode=\"numeric\"");
    input(r, fe, F, "joined_on", "入党日期", "date", val(r, fe, F, "joined_on", S(party.joined_on)),
          NULL);
    input(r, fe, F, "work_unit", "工作单位（在职党员必填）", "text",
          val(r, fe, F, "work_unit", S(party.work_unit)), "maxlength=\"100\"");
    work_org_select(r, fe, F, num_text(r, p->party.work_org_id), S(party.work_org_name));
    input(r, fe, F, "reported_at", "双报到日期", "date",
          val(r, fe, F, "reported_at", S(party.reported_at)), NULL);
    input(r, fe, F, "reported_community", "双报到社区代码（默认为居住社区）", "text",
          val(r, fe, F, "reported_community", S(party.reported_community)),
          "inputmode=\"numeric\"");
    input(r, fe, F, "pioneer_post", "党员先锋岗", "text",
          val(r, fe, F, "pioneer_post", S(party.pioneer_post)), "maxlength=\"100\"");
    input(r, fe, F, "duty_area", "党员责任区", "text",
          val(r, fe, F, "duty_area", S(party.duty_area)), "maxlength=\"100\"");
    if (S(party.kind)) remove_box(o, "移除党员信息");
    buf_puts(o,
             "<button type=\"submit\" class=\"primary\">保存党员信息</button></form></section>\n");
#undef S
}

static void tags_form(req *r, const struct person *p, const struct form_err *fe)
{
    buf *o = &r->out;
    const char *F = "tags";
    buf_puts(o, "<section class=\"card\"><h2>关爱标签</h2>\n");
    form_message(r, fe, F);
    form_open(r, arena_printf(r->a, "/residents/%lld/care-tags", (long long)p->id));
    const char *groups[][2] = {
        {"six_visits", "六必访"}, {"child", "困境儿童"}, {"assistance", "救助"}};
    for (size_t g = 0; g < sizeof groups / sizeof groups[0]; g++) {
        buf_puts(o, "<fieldset><legend>");
        buf_html(o, groups[g][1]);
        buf_puts(o, "</legend>");
        for (int i = 0; i < vocab_care_tags.count; i++) {
            const struct vocab_entry *e = &vocab_care_tags.entries[i];
            if (!e->group || strcmp(e->group, groups[g][0])) continue;
            buf_hprintf(o,
                        "<label class=\"check\"><input type=\"checkbox\" name=\"care_tags\" "
                        "value=\"%s\"%s>%s</label>",
                        e->id, tag_on(r, err_in(fe, F), p, e) ? " checked" : "", e->zh);
        }
        buf_puts(o, "</fieldset>\n");
    }
    buf_puts(o, "<input type=\"hidden\" name=\"care_tags_set\" value=\"1\">");
    field_error(o, fe, F, "care_tags");
    buf_puts(o, "<button type=\"submit\" class=\"primary\">保存标签</button></form></section>\n");
}

static void volunteer_form(req *r, const struct person *p, const struct form_err *fe)
{
#define S(f) (p->f)
    const char *F = "volunteer";
    buf_puts(&r->out, "<section class=\"card\"><h2>志愿者</h2>\n");
    form_message(r, fe, F);
    form_open(r, arena_printf(r->a, "/residents/%lld/volunteer", (long long)p->id));
    input(r, fe, F, "skills", "技能（能人：律师、医生、水电维修…，用逗号分隔）", "text",
          val(r, fe, F, "skills", S(volunteer.skills)), NULL);
    input(r, fe, F, "team_id", "志愿服务队编号", "text",
          val(r, fe, F, "team_id", num_text(r, p->volunteer.team_id)), "inputmode=\"numeric\"");
    if (p->volunteer.is) remove_box(&r->out, "移除志愿者信息");
    buf_puts(
        &r->out,
        "<button type=\"submit\" class=\"primary\">保存志愿者信息</button></form></section>\n");
#undef S
}

static void partner_form(req *r, const struct person *p, const struct form_err *fe)
{
#define S(f) (p->f)
    buf *o = &r->out;
    const char *F = "partner";
    buf_puts(o, "<section class=\"card\"><h2>社区治理合伙人（新就业群体）</h2>\n");
    form_message(r, fe, F);
    form_open(r, arena_printf(r->a, "/residents/%lld/partner", (long long)p->id));
    const char *trade = val(r, fe, F, "trade", S(partner.trade));
    select_open(r, fe, F, "trade", "行业");
    option(o, "", "请选择", trade);
    vocab_options(o, &vocab_partner_trades, trade);
    select_close(r, fe, F, "trade");
    input(r, fe, F, "company", "所属企业", "text", val(r, fe, F, "company", S(partner.company)),
          "maxlength=\"100\"");
    input(r, fe, F, "duties", "职责（民情信息员、平安巡查员…）", "text",
          val(r, fe, F, "duties", S(partner.duties)), NULL);
    if (S(partner.trade)) remove_box(o, "移除合伙人信息");
    buf_puts(
        o, "<button type=\"submit\" class=\"primary\">保存合伙人信息</button></form></section>\n");
#undef S
}

static void worker_form(req *r, const struct person *p, const struct form_err *fe)
{
#define S(f) (p->f)
    const char *F = "worker";
    buf_puts(&r->out, "<section class=\"card\"><h2>社区工作者</h2>\n");
    form_message(r, fe, F);
    form_open(r, arena_printf(r->a, "/residents/%lld/community-worker", (long long)p->id));
    input(r, fe, F, "community_code", "所在社区代码（默认为居住社区）", "text",
          val(r, fe, F, "community_code", S(worker.community_code)), "inputmode=\"numeric\"");
    input(r, fe, F, "post", "岗位", "text", val(r, fe, F, "post", S(worker.post)),
          "maxlength=\"20\" placeholder=\"正职、副职、其他\"");
    input(r, fe, F, "grade", "等级（三岗十八级：1–18）", "number",
          val(r, fe, F, "grade", num_text(r, p->worker.grade)), "min=\"1\" max=\"18\"");
    input(r, fe, F, "certificate", "社工证", "text",
          val(r, fe, F, "certificate", S(worker.certificate)), "maxlength=\"50\"");
    if (p->worker.is) remove_box(&r->out, "移除社区工作者信息");
    buf_puts(&r->out, "<button type=\"submit\" class=\"primary\">保存社区工作者信息</button>"
                      "</form></section>\n");
#undef S
}

/* ---- /residents/new ------------------------------------------------------ */

static err_code new_page(req *r, const struct form_err *fe)
{
    page_begin(r, "登记居民");
    buf_puts(&r->out,
             "<p class=\"breadcrumbs\"><a href=\"/residents\">居民台账</a> › 登记居民</p>\n");
    person_form(r, "/residents", NULL, fe);
    return page_end(r);
}

static err_code page_resident_new(req *r)
{
    return new_page(r, NULL);
}
ROUTE("GET", "/residents/new", page_resident_new, CAP_PEOPLE_WRITE, R_PAGE, NULL, "登记居民表单");

/* A refused form: shown again with its reason, with the error's status. */
static err_code refused(req *r, struct svc_result res,
                        err_code (*show)(req *, const struct form_err *), const char *form)
{
    if (res.err == E_NOT_FOUND || res.err == E_INTERNAL || res.err == E_UNAVAILABLE) return res.err;
    struct form_err fe = {form, res.field, res.message ? res.message : err_message_zh(res.err),
                          NULL};
    if (res.err == E_CONFLICT && res.id > 0)
        fe.link = arena_printf(r->a, "/residents/%lld", (long long)res.id);
    err_code e = show(r, &fe);
    r->status = err_http_status(res.err);
    return e;
}

static err_code page_resident_create(req *r)
{
    struct person_input in = {0};
    err_code e = bind_input(r, &person_create_bind, &in);
    struct svc_result res = e ? bind_refused(r, e) : svc_person_create(r->db, r->a, r->me, &in);
    if (res.err == E_OK)
        return http_redirect(r, arena_printf(r->a, "/residents/%lld", (long long)res.id));
    return refused(r, res, new_page, "person");
}
ROUTE("POST", "/residents", page_resident_create, CAP_PEOPLE_WRITE, R_PAGE, NULL, "登记居民");

/* ---- /residents/{id}/edit ------------------------------------------------ */

static err_code edit_page(req *r, const struct form_err *fe)
{
    int64_t id = req_id(r, "id");
    struct person p;
    if (!store_person_get(r->db, r->a, r->me->account_id, CAP_PEOPLE_WRITE, 0, id, &p))
        return E_NOT_FOUND;
    page_begin(r, arena_printf(r->a, "编辑 %s", p.name));
    buf_hprintf(&r->out,
                "<p class=\"breadcrumbs\"><a href=\"/residents\">居民台账</a> › <a "
                "href=\"/residents/%lld\">%s</a> › 编辑</p>\n",
                (long long)p.id, p.name);
    const char *saved = req_query(r, "saved");
    if (saved && !fe) page_message(r, "notice", "已保存");
    person_form(r, arena_printf(r->a, "/residents/%lld/edit", (long long)p.id), &p, fe);
    tags_form(r, &p, fe);
    party_form(r, &p, fe);
    volunteer_form(r, &p, fe);
    partner_form(r, &p, fe);
    worker_form(r, &p, fe);
    return page_end(r);
}

static err_code page_resident_edit(req *r)
{
    return edit_page(r, NULL);
}
ROUTE("GET", "/residents/{id}/edit", page_resident_edit, CAP_PEOPLE_WRITE, R_PAGE, "person",
      "编辑居民信息");

/* After a record form: back to the edit page, or the form again with its error. */
static err_code after_record(req *r, int64_t id, struct svc_result res, const char *form)
{
    if (res.err == E_OK)
        return http_redirect(
            r, arena_printf(r->a, "/residents/%lld/edit?saved=%s", (long long)id, form));
    return refused(r, res, edit_page, form);
}

static err_code page_resident_update(req *r)
{
    int64_t id = req_id(r, "id");
    struct person_input in = {0};
    err_code e = bind_input(r, &person_update_bind, &in);
    struct svc_result res = e ? bind_refused(r, e) : svc_person_update(r->db, r->a, r->me, id, &in);
    if (res.err == E_OK)
        return http_redirect(r, arena_printf(r->a, "/residents/%lld", (long long)id));
    return refused(r, res, edit_page, "person");
}
ROUTE("POST", "/residents/{id}/edit", page_resident_update, CAP_PEOPLE_WRITE, R_PAGE, "person",
      "保存居民信息");

/* A record form: bound, then saved by the service call `set` (using id and in). */
#define POST_RECORD(r, type, binder, set, form)                                                    \
    do {                                                                                           \
        int64_t id = req_id(r, "id");                                                              \
        type in = {0};                                                                             \
        err_code e = bind_input(r, &binder, &in);                                                  \
        return after_record(r, id, e ? bind_refused(r, e) : set(r->db, r->a, r->me, id, &in),      \
                            form);                                                                 \
    } while (0)

static err_code page_party_member(req *r)
{
    POST_RECORD(r, struct party_member_input, party_member_bind, svc_party_member_set, "party");
}
ROUTE("POST", "/residents/{id}/party-member", page_party_member, CAP_PEOPLE_WRITE, R_PAGE, "person",
      "保存党员信息");

static err_code page_care_tags(req *r)
{
    POST_RECORD(r, struct care_tags_input, care_tags_bind, svc_care_tags_set, "tags");
}
ROUTE("POST", "/residents/{id}/care-tags", page_care_tags, CAP_PEOPLE_WRITE, R_PAGE, "person",
      "保存关爱标签");

static err_code page_volunteer(req *r)
{
    POST_RECORD(r, struct volunteer_input, volunteer_bind, svc_volunteer_set, "volunteer");
}
ROUTE("POST", "/residents/{id}/volunteer", page_volunteer, CAP_PEOPLE_WRITE, R_PAGE, "person",
      "保存志愿者信息");

static err_code page_partner(req *r)
{
    POST_RECORD(r, struct partner_input, partner_bind, svc_partner_set, "partner");
}
ROUTE("POST", "/residents/{id}/partner", page_partner, CAP_PEOPLE_WRITE, R_PAGE, "person",
      "保存合伙人信息");

static err_code page_worker(req *r)
{
    POST_RECORD(r, struct worker_input, worker_bind, svc_worker_set, "worker");
}
ROUTE("POST", "/residents/{id}/community-worker", page_worker, CAP_PEOPLE_WRITE, R_PAGE, "person",
      "保存社区工作者信息");
