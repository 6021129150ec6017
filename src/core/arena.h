/* An arena: many small allocations released at once (parsed documents). */
#ifndef WCR_CORE_ARENA_H
#define WCR_CORE_ARENA_H

#include <stddef.h>

typedef struct wcr_arena_chunk wcr_arena_chunk;

typedef struct wcr_arena {
    wcr_arena_chunk *head;
    size_t chunk_size; /* size of ordinary chunks */
    size_t total;      /* bytes handed out, for caps */
} wcr_arena;

void wcr_arena_init(wcr_arena *a, size_t chunk_size);
void wcr_arena_dispose(wcr_arena *a);

/* size bytes aligned for any type; NULL when memory is exhausted. */
void *wcr_arena_alloc(wcr_arena *a, size_t size);
char *wcr_arena_strndup(wcr_arena *a, const char *s, size_t n);

#endif
