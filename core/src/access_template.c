/* access_template.c - the ABI 2 accessors of template definitions. */
#include "template_internal.h"

const char *nb_template_id(const nb_template *t) { return t ? t->id : NULL; }
const char *nb_template_name(const nb_template *t) { return t ? t->name : NULL; }
const char *nb_table_def_name(const nb_table_def *d) { return d ? d->name : NULL; }
const char *nb_table_def_title(const nb_table_def *d) { return d ? d->title : NULL; }
const char *nb_table_def_variant(const nb_table_def *d) { return d ? d->variant : NULL; }
size_t nb_table_def_field_count(const nb_table_def *d) { return d ? d->nfields : 0; }

const nb_field_def *nb_table_def_field_at(const nb_table_def *d, size_t i)
{
    return d && i < d->nfields ? &d->fields[i] : NULL;
}

const char *nb_field_path(const nb_field_def *f) { return f ? f->path : NULL; }
const char *nb_field_label(const nb_field_def *f) { return f ? f->label : NULL; }
nb_value_type nb_field_type(const nb_field_def *f) { return f ? f->type : NB_TYPE_INT; }
