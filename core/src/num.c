/* num.c - exact decimals (value = v / 10^scale).  Report figures are
 * counts or money with a handful of decimals; int64 holds them exactly,
 * and no value ever passes through binary floating point on its way out. */
#include "nianbao/report.h"
#include <ctype.h>
#include <limits.h>
#include <stdint.h>
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

/* Any scale past 18 (only a plugin's own nb_num can carry one): the
 * digits are written one by one, so no power of ten is formed and the
 * text is as long as the scale asks, cut at len like snprintf. */
static int format_long_scale(nb_num n, char *buf, size_t len)
{
    char digits[24], *end = digits + sizeof digits, *p = end;
    uint64_t a = n.v < 0 ? (uint64_t)0 - (uint64_t)n.v : (uint64_t)n.v;
    do {
        *--p = (char)('0' + a % 10);
        a /= 10;
    } while (a);
    size_t nd = (size_t)(end - p), scale = (size_t)n.scale, k = 0;
    size_t frac_zeros = scale > nd ? scale - nd : 0, int_digits = nd > scale ? nd - scale : 0;
    size_t total = (n.v < 0) + (int_digits ? int_digits : 1) + 1 + scale;
#define PUT(ch) do { if (k + 1 < len) buf[k] = (ch); k++; } while (0)
    if (n.v < 0)
        PUT('-');
    if (!int_digits)
        PUT('0');
    for (size_t i = 0; i < int_digits; i++)
        PUT(p[i]);
    PUT('.');
    for (size_t i = 0; i < frac_zeros && k + 1 < len; i++)
        PUT('0');
    for (size_t i = int_digits; i < nd && k + 1 < len; i++)
        PUT(p[i]);
#undef PUT
    if (len)
        buf[k < len ? k : len - 1] = '\0';
    return total > INT_MAX ? INT_MAX : (int)total;
}

static int format_slow(nb_num n, char *buf, size_t len)
{
    if (nb_num_overflowed(n))
        return snprintf(buf, len, "overflow");
    if (n.scale <= 0)
        return snprintf(buf, len, "%lld", (long long)n.v);
    if (n.scale > 18 || n.v == INT64_MIN)
        return format_long_scale(n, buf, len);
    int64_t p = pow10i(n.scale);
    int64_t a = n.v < 0 ? -n.v : n.v;
    return snprintf(buf, len, "%s%lld.%0*lld", n.v < 0 ? "-" : "", (long long)(a / p), n.scale,
                    (long long)(a % p));
}

/* The digits of u, at least width of them, written backwards from end;
 * returns the start. */
static char *put_digits(uint64_t u, char *end, int width)
{
    char *p = end;
    do {
        *--p = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    while (end - p < width)
        *--p = '0';
    return p;
}

/* What format_slow prints, without snprintf's format parsing (the CSV
 * output formats every cell): same text, same truncation and result. */
int nb_num_format(nb_num n, char *buf, size_t len)
{
    if (nb_num_overflowed(n) || n.scale > 18 || n.v == INT64_MIN)
        return format_slow(n, buf, len);
    char tmp[48], *end = tmp + sizeof tmp, *p;
    uint64_t a = n.v < 0 ? (uint64_t)-n.v : (uint64_t)n.v;
    if (n.scale <= 0) {
        p = put_digits(a, end, 1);
    } else {
        uint64_t pw = (uint64_t)pow10i(n.scale);
        p = put_digits(a % pw, end, n.scale);
        *--p = '.';
        p = put_digits(a / pw, p, 1);
    }
    if (n.v < 0)
        *--p = '-';
    size_t k = (size_t)(end - p);
    if (len) {
        size_t c = k < len ? k : len - 1;
        memcpy(buf, p, c);
        buf[c] = '\0';
    }
    return (int)k;
}

/* Aligned values in 128 bits: 18 digits times 10^18 fits with room to
 * spare, so comparing and adding never overflow on the way.  Only the
 * difference of the two scales is ever multiplied in; past 18 (a plugin's
 * own nb_num) the value with the smaller scale, if not zero, outweighs any
 * int64 at the larger one, which decides without multiplying. */
__extension__ typedef __int128 wide;

static wide times_pow10(int64_t v, int d)
{
    wide w = v;
    while (d-- > 0)
        w *= 10;
    return w;
}

bool nb_num_overflowed(nb_num n) { return n.scale == NB_NUM_OVERFLOW; }

/* Scales below 0 other than the overflow mark are read as 0, as
 * nb_num_format prints them. */
static int scale_of(nb_num n) { return n.scale < 0 ? 0 : n.scale; }

static int sign_of(int64_t v) { return (v > 0) - (v < 0); }

int nb_num_cmp(nb_num a, nb_num b)
{
    int sa = scale_of(a), sb = scale_of(b);
    int64_t big = sa <= sb ? a.v : b.v; /* the value with the smaller scale */
    int d = sa <= sb ? sb - sa : sa - sb;
    if (d > 18) { /* decided by signs: no power of ten formed */
        if (big != 0)
            return sa <= sb ? sign_of(big) : -sign_of(big);
        return sa <= sb ? -sign_of(b.v) : sign_of(a.v); /* 0 against the other */
    }
    wide x = sa <= sb ? times_pow10(a.v, d) : a.v, y = sa <= sb ? b.v : times_pow10(b.v, d);
    return (x > y) - (x < y);
}

/* A sum that does not fit int64 is marked (scale NB_NUM_OVERFLOW) instead
 * of wrapping, and stays marked through later sums. */
nb_num nb_num_add(nb_num a, nb_num b)
{
    nb_num over = {0, NB_NUM_OVERFLOW};
    if (a.scale == 0 && b.scale == 0) { /* two integers, the common case: no widening */
        int64_t r;
        bool out = __builtin_add_overflow(a.v, b.v, &r) || r == INT64_MIN;
        return out ? over : (nb_num){r, 0};
    }
    if (nb_num_overflowed(a) || nb_num_overflowed(b))
        return over;
    int sa = scale_of(a), sb = scale_of(b), s = sa > sb ? sa : sb;
    int64_t low = sa <= sb ? a.v : b.v; /* the value brought to the larger scale */
    int d = sa <= sb ? sb - sa : sa - sb;
    if (d > 18)
        return low == 0 ? (sa <= sb ? (nb_num){b.v, s} : (nb_num){a.v, s}) : over;
    wide r = sa <= sb ? times_pow10(a.v, d) + b.v : a.v + times_pow10(b.v, d);
    if (r > INT64_MAX || r < -INT64_MAX)
        return over;
    nb_num n = {(int64_t)r, s};
    return n;
}

double nb_num_to_double(nb_num n)
{
    int s = scale_of(n);
    double d = (double)n.v / (double)pow10i(s < 18 ? s : 18);
    for (; s > 18 && d != 0; s--) /* past 18 no int64 power of ten: a plugin's own nb_num */
        d /= 10;
    return d;
}
