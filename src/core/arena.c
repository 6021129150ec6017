/* Chunked bump allocator; large requests get a chunk of their own. */
#include <stdalign.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"

struct wcr_arena_chunk {
    wcr_arena_chunk *next;
    size_t used, size;
    alignas(max_align_t) unsigned char data[];
};

#define ALIGN_UP(n) (((n) + alignof(max_align_t) - 1) & ~(alignof(max_align_t) - 1))

void wcr_arena_init(wcr_arena *a, size_t chunk_size)
{
    a->head = NULL;
    a->chunk_size = chunk_size ? chunk_size : 4096;
    a->total = 0;
}

void wcr_arena_dispose(wcr_arena *a)
{
    if (!a)
        return;
    wcr_arena_chunk *c = a->head;
    while (c) {
        wcr_arena_chunk *next = c->next;
        free(c);
        c = next;
    }
    a->head = NULL;
    a->total = 0;
}

void *wcr_arena_alloc(wcr_arena *a, size_t size)
{
    if (size > SIZE_MAX / 2)
        return NULL;
    size = ALIGN_UP(size ? size : 1);
    wcr_arena_chunk *c = a->head;
    if (!c || c->size - c->used < size) {
        size_t csize = size > a->chunk_size / 4 ? size : a->chunk_size;
        wcr_arena_chunk *n = malloc(sizeof *n + csize);
        if (!n)
            return NULL;
        n->used = 0;
        n->size = csize;
        if (c && csize == size && c->size - c->used >= a->chunk_size / 4) {
            /* A big one-off block: keep filling the current chunk. */
            n->next = c->next;
            c->next = n;
        } else {
            n->next = c;
            a->head = n;
        }
        c = n;
    }
    void *p = c->data + c->used;
    c->used += size;
    a->total += size;
    return p;
}

char *wcr_arena_strndup(wcr_arena *a, const char *s, size_t n)
{
    char *p = wcr_arena_alloc(a, n + 1);
    if (!p)
        return NULL;
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}
