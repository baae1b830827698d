/* html_tags.c - tag names to ids, so the tree builder and the readers test
 * a tag's role with one table look-up instead of string comparisons. */
#include "html_priv.h"
#include <string.h>

#define HT_TAG_FLAGS(name, flags) [HT_##name] = (flags),
const unsigned short ht_tag_flags[HT_NTAGS] = {[HT_OTHER] = 0, HT_TAGS(HT_TAG_FLAGS)};
#undef HT_TAG_FLAGS

#define HT_TAG_NAME(name, flags) [HT_##name] = #name,
const char *const ht_tag_names[HT_NTAGS] = {[HT_OTHER] = "", HT_TAGS(HT_TAG_NAME)};
#undef HT_TAG_NAME

/* The names in strcmp order, without HT_OTHER's "": ht_tag_id searches them. */
static const char *const *const tag_names = ht_tag_names + 1;

ht_tag ht_tag_id(const char *name)
{
    size_t lo = 0, hi = HT_NTAGS - 1;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        /* the first letters settle most steps without a call */
        int c = (unsigned char)name[0] - (unsigned char)tag_names[mid][0];
        if (c == 0 && name[0])
            c = strcmp(name + 1, tag_names[mid] + 1);
        if (c == 0)
            return (ht_tag)(HT_OTHER + 1 + mid);
        if (c < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return HT_OTHER;
}
