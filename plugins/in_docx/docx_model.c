/* docx_model.c - the paragraphs-and-tables model: growing and freeing. */
#include <stdlib.h>
#include <string.h>
#include "docx_priv.h"

/* Grows *v (element size sz) so that one more element fits. */
static bool reserve(void **v, size_t *cap, size_t n, size_t sz)
{
    if (n < *cap)
        return true;
    size_t ncap = *cap ? *cap * 2 : 8;
    void *p = realloc(*v, ncap * sz);
    if (!p)
        return false;
    *v = p;
    *cap = ncap;
    return true;
}

static dx_block *new_block(dx_blocks *b)
{
    if (!reserve((void **)&b->v, &b->cap, b->n, sizeof *b->v))
        return NULL;
    dx_block *k = &b->v[b->n++];
    memset(k, 0, sizeof *k);
    return k;
}

bool dx_blocks_add_para(dx_blocks *b, char *text, size_t len, int level)
{
    dx_block *k = new_block(b);
    if (!k) {
        free(text);
        return false;
    }
    k->kind = DX_PARA;
    k->text = text;
    k->len = len;
    k->level = level;
    return true;
}

bool dx_blocks_add_table(dx_blocks *b, dx_table *t)
{
    dx_block *k = new_block(b);
    if (!k) {
        dx_table_free(t);
        return false;
    }
    k->kind = DX_TABLE;
    k->table = t;
    return true;
}

bool dx_blocks_move(dx_blocks *dst, dx_blocks *src)
{
    for (size_t i = 0; i < src->n; i++) {
        dx_block *k = new_block(dst);
        if (!k)
            return false; /* src keeps what was not moved; its owner frees it */
        *k = src->v[i];
        memset(&src->v[i], 0, sizeof src->v[i]);
    }
    dx_blocks_free(src);
    return true;
}

void dx_blocks_free(dx_blocks *b)
{
    for (size_t i = 0; i < b->n; i++) {
        free(b->v[i].text);
        dx_table_free(b->v[i].table);
    }
    free(b->v);
    b->v = NULL;
    b->n = b->cap = 0;
}

dx_row *dx_table_add_row(dx_table *t)
{
    if (!reserve((void **)&t->v, &t->cap, t->n, sizeof *t->v))
        return NULL;
    dx_row *r = &t->v[t->n++];
    memset(r, 0, sizeof *r);
    return r;
}

dx_cell *dx_row_add_cell(dx_row *r)
{
    if (!reserve((void **)&r->v, &r->cap, r->n, sizeof *r->v))
        return NULL;
    dx_cell *c = &r->v[r->n++];
    memset(c, 0, sizeof *c);
    c->span = 1;
    return c;
}

void dx_table_free(dx_table *t)
{
    if (!t)
        return;
    for (size_t i = 0; i < t->n; i++) {
        for (size_t j = 0; j < t->v[i].n; j++)
            dx_blocks_free(&t->v[i].v[j].body);
        free(t->v[i].v);
    }
    free(t->v);
    free(t);
}
