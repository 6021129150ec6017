/* Progress of a transfer with several items (the layers of a pull):
 * bars redrawn in place on a terminal, one line per finished step
 * otherwise, nothing when quiet. The text goes to a write callback; the
 * clock is a callback too, so this stays free of OS calls and is tested
 * with a fake clock. Not thread-safe: the owner serialises calls. */
#ifndef WCR_CORE_PROGRESS_H
#define WCR_CORE_PROGRESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "wcr/common.h"
#include "wcr/err.h"

typedef enum wcr_progress_mode {
    WCR_PROGRESS_QUIET,
    WCR_PROGRESS_LINES, /* not a terminal: a line per finished step */
    WCR_PROGRESS_BARS,  /* a terminal: bars redrawn in place */
} wcr_progress_mode;

typedef void (*wcr_progress_write_fn)(void *ud, const char *text, size_t len);
typedef uint64_t (*wcr_progress_clock_fn)(void);

typedef struct wcr_progress wcr_progress;

/* width: the terminal's columns (0: 80). */
wcr_progress *wcr_progress_new(wcr_progress_mode mode, unsigned width, wcr_progress_write_fn write,
                               void *ud, wcr_progress_clock_fn clock, wcr_err *err);
void wcr_progress_free(wcr_progress *p);

/* A new item ("9a0b1c2d3e4f" for a layer), total bytes (0: unknown),
 * state "Waiting". Returns its index. */
size_t wcr_progress_add(wcr_progress *p, const char *id, uint64_t total);

/* Bytes the item already had (a resumed download): counted as done but
 * not towards the rate. */
void wcr_progress_start_at(wcr_progress *p, size_t item, uint64_t done);
void wcr_progress_advance(wcr_progress *p, size_t item, uint64_t bytes);

/* A new state: "Downloading", "Extracting", ... A final state ("Pull
 * complete", "Already exists") ends the item: in line mode each state
 * that is `announce`d gets its line. */
void wcr_progress_state(wcr_progress *p, size_t item, const char *state, bool announce);

/* A line of text of its own (above the bars on a terminal). */
void wcr_progress_message(wcr_progress *p, const char *fmt, ...) WCR_PRINTF(2, 3);

/* Redraw now (bars), e.g. at the end. */
void wcr_progress_flush(wcr_progress *p);

#endif
