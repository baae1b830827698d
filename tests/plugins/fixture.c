/* fixture.c - test plugins for the loader, one per way of failing.
 * FIX_GOOD loads; FIX_ABI_MAJOR / FIX_ABI_MINOR claim a newer ABI, FIX_ABI_OLD
 * the previous major (a 1.x plugin); FIX_ABI_OLD_MINOR is built as of minor
 * 0 of this major, with that minor's descriptor size, and must load;
 * FIX_NO_ENTRY exports no entry point; FIX_INIT_FAILS fails in create();
 * FIX_BAD_KIND is named as an input but describes an output; FIX_NO_DOC
 * (extension .nodoc) breaks the item contract: a document item, no doc. */
#include "nianbao/plugin.h"
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#ifdef FIX_NO_DOC
static const char *const exts[] = {".nodoc", NULL};
#else
static const char *const exts[] = {".fixture", NULL};
#endif

static nb_status fx_create(const nb_host *h, const nb_options *o, void **inst, nb_error *err)
{
    (void)h;
    (void)o;
#ifdef FIX_INIT_FAILS
    (void)inst;
    nb_error_set(err, NB_E_PLUGIN, FIX_NAME, "fixture refuses to start");
    return NB_FATAL;
#else
    (void)err;
    *inst = calloc(1, sizeof(int));
    return NB_OK;
#endif
}

static void fx_destroy(void *inst) { free(inst); }

static nb_status fx_open(void *inst, nb_stream *in, nb_error *err)
{
    (void)inst;
    (void)in;
    (void)err;
    return NB_OK;
}

static nb_status fx_next(void *inst, nb_item *item, nb_error *err)
{
    (void)err;
    int *done = inst;
    if (*done)
        return NB_EOF;
    *done = 1;
#ifdef FIX_NO_DOC
    nb_item_set_doc(item, NULL); /* a document item without its document */
    return NB_OK;
#endif
    nb_item_set_skip(item, "fixture", "fixture member");
    return NB_OK;
}

static const nb_plugin plugin = {
#if defined(FIX_ABI_MAJOR)
    .abi_version = (uint32_t)(((NB_ABI_MAJOR + 1) << 16) | 0),
#elif defined(FIX_ABI_MINOR)
    .abi_version = (uint32_t)((NB_ABI_MAJOR << 16) | (NB_ABI_MINOR + 1)),
#elif defined(FIX_ABI_OLD)
    .abi_version = (uint32_t)((NB_ABI_MAJOR - 1) << 16),
#elif defined(FIX_ABI_OLD_MINOR)
    .abi_version = (uint32_t)(NB_ABI_MAJOR << 16),
#else
    .abi_version = NB_ABI_VERSION,
#endif
#ifdef FIX_ABI_OLD_MINOR
    /* the x.0 descriptor ends with .end; later minors only append */
    .struct_size = offsetof(nb_plugin, end) + sizeof(void (*)(void)),
#else
    .struct_size = sizeof(nb_plugin),
#endif
    .name = FIX_NAME,
    .version = "0.0",
    .description = "test fixture",
#ifdef FIX_BAD_KIND
    .kind = NB_PLUGIN_OUTPUT,
#else
    .kind = NB_PLUGIN_INPUT,
#endif
    .extensions = exts,
    .create = fx_create,
    .destroy = fx_destroy,
    .open = fx_open,
    .next = fx_next,
};

#ifndef FIX_NO_ENTRY
NB_PLUGIN_EXPORT const nb_plugin *nb_plugin_entry(uint32_t host_abi)
{
    (void)host_abi;
    return &plugin;
}
#else
NB_PLUGIN_EXPORT const nb_plugin *not_the_entry(uint32_t host_abi);
NB_PLUGIN_EXPORT const nb_plugin *not_the_entry(uint32_t host_abi)
{
    (void)host_abi;
    return &plugin;
}
#endif
