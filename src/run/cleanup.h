/* A cleanup stack: each resource a run creates pushes how to undo it;
 * unwinding undoes them in reverse order, whatever failed or was
 * interrupted in between. An entry can be dropped once something else owns
 * the resource (a container kept after the run). */
#ifndef WCR_RUN_CLEANUP_H
#define WCR_RUN_CLEANUP_H

#include <stddef.h>

#include "wcr/err.h"

typedef void (*wcr_undo_fn)(void *ctx, void *arg);

typedef struct wcr_cleanup_entry {
    wcr_undo_fn fn;
    void *arg;
    const char *what;  /* static text, for debug logs */
} wcr_cleanup_entry;

#define WCR_CLEANUP_MAX 16

typedef struct wcr_cleanup {
    wcr_cleanup_entry entries[WCR_CLEANUP_MAX];
    size_t n;
    void *ctx;
} wcr_cleanup;

void wcr_cleanup_init(wcr_cleanup *c, void *ctx);
/* Returns the entry's index, or -1 when the stack is full (a bug). */
int wcr_cleanup_push(wcr_cleanup *c, wcr_undo_fn fn, void *arg, const char *what, wcr_err *err);
/* Forget entry i (its resource is kept). */
void wcr_cleanup_drop(wcr_cleanup *c, int i);
/* Undo everything, newest first. */
void wcr_cleanup_unwind(wcr_cleanup *c);

#endif
