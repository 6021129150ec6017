/* The cleanup stack. */
#include "core/log.h"
#include "run/cleanup.h"

void wcr_cleanup_init(wcr_cleanup *c, void *ctx)
{
    c->n = 0;
    c->ctx = ctx;
}

int wcr_cleanup_push(wcr_cleanup *c, wcr_undo_fn fn, void *arg, const char *what, wcr_err *err)
{
    if (c->n == WCR_CLEANUP_MAX)
        return wcr_err_set(err, WCR_E_INTERNAL, "cleanup stack full at %s", what);
    c->entries[c->n] = (wcr_cleanup_entry){ fn, arg, what };
    return (int)c->n++;
}

void wcr_cleanup_drop(wcr_cleanup *c, int i)
{
    if (i >= 0 && (size_t)i < c->n)
        c->entries[i].fn = NULL;
}

void wcr_cleanup_unwind(wcr_cleanup *c)
{
    while (c->n > 0) {
        wcr_cleanup_entry *e = &c->entries[--c->n];
        if (!e->fn)
            continue;
        wcr_log_debug("cleanup: %s", e->what);
        e->fn(c->ctx, e->arg);
    }
}
