/* text_reader.h - the shape shared by the text readers (txt, markdown,
 * tsv): read the stream, split it with the reader's flags, yield one
 * document.  Each reader differs only in name, extensions, probe, flags. */
#ifndef NB_TEXT_READER_H
#define NB_TEXT_READER_H

#include "nianbao/plugin.h"
#include <stdlib.h>

typedef struct nb_text_reader {
    nb_doc *doc;     /* read by open(), handed out once by next() */
    unsigned flags;
} nb_text_reader;

static inline nb_status nb_tr_create(unsigned flags, void **inst, nb_error *err)
{
    nb_text_reader *r = calloc(1, sizeof *r);
    if (!r) {
        nb_error_set(err, NB_E_INTERNAL, NULL, "out of memory");
        return NB_FATAL;
    }
    r->flags = flags;
    *inst = r;
    return NB_OK;
}

static inline void nb_tr_destroy(void *inst)
{
    nb_text_reader *r = inst;
    if (r)
        nb_doc_free(r->doc);
    free(r);
}

static inline nb_status nb_tr_open(void *inst, nb_stream *in, nb_error *err)
{
    nb_text_reader *r = inst;
    nb_doc_free(r->doc);
    r->doc = NULL;
    return nb_doc_read_stream(in, r->flags, &r->doc, err);
}

static inline nb_status nb_tr_next(void *inst, nb_item *item, nb_error *err)
{
    (void)err;
    nb_text_reader *r = inst;
    if (!r->doc)
        return NB_EOF;
    nb_item_set_doc(item, r->doc);
    r->doc = NULL;
    return NB_OK;
}

#define NB_TEXT_READER(NAME, DESC, EXTS, PROBE, FLAGS)                                           \
    static nb_status NAME##_create(const nb_host *h, const nb_options *o, void **inst, nb_error *e) \
    {                                                                                            \
        (void)h;                                                                                 \
        (void)o;                                                                                 \
        return nb_tr_create(FLAGS, inst, e);                                                     \
    }                                                                                            \
    static const nb_plugin NAME##_plugin = {                                                     \
        .abi_version = NB_ABI_VERSION,                                                           \
        .struct_size = sizeof(nb_plugin),                                                        \
        .name = #NAME,                                                                           \
        .version = "1.0",                                                                        \
        .description = DESC,                                                                     \
        .kind = NB_PLUGIN_INPUT,                                                                 \
        .caps = NB_CAP_REENTRANT,                                                                \
        .extensions = EXTS,                                                                      \
        .probe = PROBE,                                                                          \
        .create = NAME##_create,                                                                 \
        .destroy = nb_tr_destroy,                                                                \
        .open = nb_tr_open,                                                                      \
        .next = nb_tr_next,                                                                      \
    };                                                                                           \
    NB_PLUGIN_EXPORT const nb_plugin *nb_plugin_entry(uint32_t host_abi)                          \
    {                                                                                            \
        (void)host_abi;                                                                          \
        return &NAME##_plugin;                                                                   \
    }

#endif
