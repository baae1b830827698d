/* validate_msg.c - findings and their Chinese messages.  A clerk must be
 * able to find the cell from the message alone, so every message starts
 * with the row and column labels of the template. */
#include "validate_int.h"
#include "util.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* vasprintf is a GNU extension; this is the portable spelling. */
NB_PRINTF(1, 0) static char *vfmt(const char *fmt, va_list ap)
{
    va_list cp;
    va_copy(cp, ap);
    int n = vsnprintf(NULL, 0, fmt, cp);
    va_end(cp);
    char *s = n >= 0 ? malloc((size_t)n + 1) : NULL;
    if (s)
        vsnprintf(s, (size_t)n + 1, fmt, ap);
    return s;
}

char *v_label(const nb_field_def *f)
{
    if (!f)
        return nb_strdup("");
    nb_buf b = {0};
    for (const char *p = f->label;;) { /* a run up to each '/' at once */
        const char *q = strchrnul(p, '/');
        nb_buf_add(&b, p, (size_t)(q - p));
        if (!*q)
            break;
        nb_buf_adds(&b, " / ");
        p = q + 1;
    }
    return nb_buf_steal(&b);
}

char *v_num_str(nb_num n)
{
    char buf[64];
    nb_num_format(n, buf, sizeof buf);
    return nb_strdup(buf);
}

void v_emit(const v_eval *ev, const v_rule *r, bool skipped, const char *where,
            const char *expected, const char *found, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    /* "%s" (a message already made) is passed on, not printed twice into a copy */
    const char *text = strcmp(fmt, "%s") == 0 ? va_arg(ap, const char *) : NULL;
    char *msg = text ? NULL : vfmt(fmt, ap);
    va_end(ap);
    if (!text)
        text = msg;
    nb_severity sev = skipped ? NB_SEV_INFO : r->sev;
    ev->out->emit(ev->out->ctx, r, sev, skipped, where, expected, found, text ? text : "");
    ev->out->count++;
    free(msg);
}

void v_emit_sev(const v_eval *ev, const v_rule *r, nb_severity sev, const char *where,
                const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *msg = vfmt(fmt, ap);
    va_end(ap);
    ev->out->emit(ev->out->ctx, r, sev, false, where, NULL, NULL, msg ? msg : "");
    ev->out->count++;
    free(msg);
}

char *v_fill(const char *tmpl, const char *label, const char *expected, const char *found,
             const char *formula)
{
    static const char *const names[] = {"{label}", "{expected}", "{found}", "{formula}"};
    const char *vals[] = {label, expected, found, formula};
    nb_buf b = {0};
    const char *p = tmpl;
    while (*p) {
        const char *q = strchrnul(p, '{'); /* every name starts with '{' */
        nb_buf_add(&b, p, (size_t)(q - p));
        if (!*(p = q))
            break;
        size_t k = 0;
        for (; k < 4; k++)
            if (strncmp(p, names[k], strlen(names[k])) == 0)
                break;
        if (k < 4) {
            nb_buf_adds(&b, vals[k] ? vals[k] : "");
            p += strlen(names[k]);
        } else {
            nb_buf_addc(&b, *p++);
        }
    }
    return nb_buf_steal(&b);
}

void v_skip_note(v_skip *s, const v_val *v, const char *table)
{
    s->n++;
    if (v->res == VR_ABSENT) {
        if (!s->table) {
            s->table_absent = true;
            s->table = nb_strdup(table);
        }
        return;
    }
    if (!s->where && v->field) {
        s->where = nb_strdup(v->field->path);
        s->label = v_label(v->field);
    }
}

static const char *table_title(const nb_ruleset *rs, const char *name)
{
    const nb_table_def *d[8];
    size_t n = nb_templates_variants(rs->t, name, d, 8);
    return n > 0 && d[0]->title ? d[0]->title : name;
}

void v_skip_flush_held(const v_eval *ev, const v_rule *r, v_skip *s)
{
    if (s->n == 0)
        goto done;
    if (s->table_absent && !s->where) {
        v_emit(ev, r, true, s->table, NULL, NULL, "未检查：报告中没有找到表格“%s”",
               table_title(ev->rs, s->table ? s->table : ""));
    } else if (s->n == 1) {
        v_emit(ev, r, true, s->where, NULL, NULL, "未检查：%s 的数值缺失或不明确",
               s->label ? s->label : "");
    } else {
        v_emit(ev, r, true, s->where, NULL, NULL, "未检查 %zu 处：%s 等数值缺失或不明确", s->n,
               s->label ? s->label : "");
    }
done:
    free(s->where);
    free(s->label);
    free(s->table);
    memset(s, 0, sizeof *s);
}
