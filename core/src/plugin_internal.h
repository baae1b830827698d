/* plugin_internal.h - the layout of what the host hands plugins (host
 * services, items, failures, the summary).  Private to the library and the
 * CLI: plugins use the accessors of nianbao/plugin.h. */
#ifndef NB_PLUGIN_INTERNAL_H
#define NB_PLUGIN_INTERNAL_H

#include "nianbao/nianbao.h"
#include "model_internal.h"
#include "doc_internal.h"

/* Host services passed to create(): what a plugin may use of the run. */
struct nb_host {
    uint32_t abi_version;
    uint32_t struct_size;
    const nb_templates *templates;
    const char *tmpdir;          /* where temp files go */
    void *ctx;                   /* host's own */
    /* Diagnostic message for the user (stderr), prefixed with the plugin name. */
    void (*log)(void *ctx, const char *plugin, const char *msg);
};

struct nb_item {
    nb_item_kind kind;
    nb_doc *doc;
    nb_report *report;
    nb_stream *member;
    const char *name;   /* member name (borrowed until next()) */
    const char *reason; /* SKIP/FAIL reason (borrowed until next()) */
};


#endif
