/* num.c - exact decimals (value = v / 10^scale).  Report figures are
 * counts or money with a handful of decimals; int64 holds them exactly,
 * and no value ever passes through binary floating point on its way out. */
#include "nianbao/report.h"
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>

#define NB_MAX_SCALE 9

static int64_t pow10i(int n)
{
    int64_t p = 1;
    while (n-- > 0)
        p *= 10;
    return p;
}

nb_num nb_num_int(int64_t v)
{
    nb_num n = {v, 0};
    return n;
}

/* Accepts [+-]digits[.digits]; nothing else (callers strip units and
 * separators first). */
bool nb_num_parse(const char *s, nb_num *out)
{
    const char *p = s;
    bool neg = false;
    if (*p == '+' || *p == '-')
        neg = (*p++ == '-');
    if (!isdigit((unsigned char)*p))
        return false;
    int64_t v = 0;
    int scale = -1, digits = 0;
    for (; *p; p++) {
        if (*p == '.' && scale < 0) {
            scale = 0;
            continue;
        }
        if (!isdigit((unsigned char)*p))
            return false;
        if (++digits > 18)
            return false;
        v = v * 10 + (*p - '0');
        if (scale >= 0)
            scale++;
    }
    if (scale == 0) /* "12." */
        return false;
    if (scale > NB_MAX_SCALE)
        return false;
    out->v = neg ? -v : v;
    out->scale = scale < 0 ? 0 : scale;
    return true;
}

int nb_num_format(nb_num n, char *buf, size_t len)
{
    if (n.scale <= 0)
        return snprintf(buf, len, "%lld", (long long)n.v);
    int64_t p = pow10i(n.scale);
    int64_t a = n.v < 0 ? -n.v : n.v;
    return snprintf(buf, len, "%s%lld.%0*lld", n.v < 0 ? "-" : "", (long long)(a / p), n.scale,
                    (long long)(a % p));
}

static void align(nb_num *a, nb_num *b)
{
    while (a->scale < b->scale) {
        a->v *= 10;
        a->scale++;
    }
    while (b->scale < a->scale) {
        b->v *= 10;
        b->scale++;
    }
}

int nb_num_cmp(nb_num a, nb_num b)
{
    align(&a, &b);
    return (a.v > b.v) - (a.v < b.v);
}

nb_num nb_num_add(nb_num a, nb_num b)
{
    align(&a, &b);
    nb_num r = {a.v + b.v, a.scale};
    return r;
}

double nb_num_to_double(nb_num n) { return (double)n.v / (double)pow10i(n.scale); }
