/* plugin_index_format.h - the plugin folder index's file name and first
 * line, one definition for its writer (core/tools/plugin_index.c) and its
 * reader (loader_index.c, which describes the entries), so the two cannot
 * drift apart.  A change of the entry format changes the header's number. */
#ifndef NB_PLUGIN_INDEX_FORMAT_H
#define NB_PLUGIN_INDEX_FORMAT_H

#define NB_PLUGIN_INDEX_NAME "nianbao-plugins.index"
#define NB_PLUGIN_INDEX_HEADER "nianbao.plugin-index/1\n"

#endif
