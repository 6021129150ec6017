/* Progress display: bars on a terminal, lines elsewhere. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/progress.h"
#include "core/str.h"

#define REDRAW_NS 100000000ULL /* at most ten redraws a second */
#define ID_WIDTH 12
#define STATE_MAX 24

typedef struct item {
    char id[ID_WIDTH + 1];
    char state[STATE_MAX];
    uint64_t total, done, base; /* base: bytes it started with */
    uint64_t started_ns;       /* when bytes began to flow */
    uint64_t ended_ns;
} item;

struct wcr_progress {
    wcr_progress_mode mode;
    unsigned width;
    wcr_progress_write_fn write;
    void *ud;
    wcr_progress_clock_fn clock;
    item *items;
    size_t n;
    size_t drawn;      /* lines of bars on screen */
    uint64_t last_draw;
    wcr_buf out;
};

wcr_progress *wcr_progress_new(wcr_progress_mode mode, unsigned width, wcr_progress_write_fn write,
                               void *ud, wcr_progress_clock_fn clock, wcr_err *err)
{
    wcr_progress *p = calloc(1, sizeof *p);
    if (!p) {
        wcr_err_set(err, WCR_E_NOMEM, "progress: out of memory");
        return NULL;
    }
    p->mode = mode;
    p->width = width >= 40 ? width : 80;
    p->write = write;
    p->ud = ud;
    p->clock = clock;
    wcr_buf_init(&p->out, "progress", WCR_BUF_NO_LIMIT);
    return p;
}

void wcr_progress_free(wcr_progress *p)
{
    if (!p)
        return;
    free(p->items);
    wcr_buf_dispose(&p->out);
    free(p);
}

static void emit(wcr_progress *p)
{
    if (p->out.len && !p->out.failed)
        p->write(p->ud, p->out.data, p->out.len);
    wcr_buf_reset(&p->out);
}

size_t wcr_progress_add(wcr_progress *p, const char *id, uint64_t total)
{
    item *grown = realloc(p->items, (p->n + 1) * sizeof *grown);
    if (!grown)
        return p->n ? p->n - 1 : 0; /* progress is best effort: reuse the last */
    p->items = grown;
    item *it = &p->items[p->n];
    memset(it, 0, sizeof *it);
    snprintf(it->id, sizeof it->id, "%s", id);
    snprintf(it->state, sizeof it->state, "Waiting");
    it->total = total;
    return p->n++;
}

/* "12.3 MiB/40.1 MiB 5.2 MiB/s 6s" and a bar of `width` cells. */
static void draw_item(wcr_progress *p, const item *it, uint64_t now)
{
    wcr_buf_printf(&p->out, "%s: %-*s", it->id, 17, it->state);
    if (it->ended_ns || it->total == 0 || it->done == 0) {
        return;
    }
    char done[24], total[24], rate[24] = "", eta[24] = "";
    wcr_str_human_size(it->done, done, sizeof done);
    wcr_str_human_size(it->total, total, sizeof total);
    uint64_t elapsed = now > it->started_ns ? now - it->started_ns : 0;
    if (elapsed > 200000000ULL && it->done > it->base) {
        double bps = (double)(it->done - it->base) * 1e9 / (double)elapsed;
        char r[20];
        wcr_str_human_size((uint64_t)bps, r, sizeof r);
        snprintf(rate, sizeof rate, " %s/s", r);
        if (it->total > it->done && bps > 0)
            snprintf(eta, sizeof eta, " %.0fs", (double)(it->total - it->done) / bps);
    }
    unsigned cells = p->width > 90 ? 30 : 20;
    unsigned filled = it->total ? (unsigned)((double)it->done / (double)it->total * cells) : 0;
    if (filled > cells)
        filled = cells;
    wcr_buf_putc(&p->out, '[');
    for (unsigned i = 0; i < cells; i++)
        wcr_buf_putc(&p->out, i < filled ? '=' : (i == filled ? '>' : ' '));
    wcr_buf_printf(&p->out, "] %s/%s%s%s", done, total, rate, eta);
}

static void redraw(wcr_progress *p, bool force)
{
    if (p->mode != WCR_PROGRESS_BARS)
        return;
    uint64_t now = p->clock();
    if (!force && now - p->last_draw < REDRAW_NS)
        return;
    p->last_draw = now;
    if (p->drawn)
        wcr_buf_printf(&p->out, "\033[%zuA", p->drawn);
    for (size_t i = 0; i < p->n; i++) {
        wcr_buf_puts(&p->out, "\r\033[K");
        draw_item(p, &p->items[i], now);
        wcr_buf_putc(&p->out, '\n');
    }
    p->drawn = p->n;
    emit(p);
}

void wcr_progress_start_at(wcr_progress *p, size_t item_i, uint64_t done)
{
    if (item_i >= p->n)
        return;
    item *it = &p->items[item_i];
    it->done = it->base = done;
    it->started_ns = p->clock();
}

void wcr_progress_advance(wcr_progress *p, size_t item_i, uint64_t bytes)
{
    if (item_i >= p->n)
        return;
    item *it = &p->items[item_i];
    if (!it->started_ns)
        it->started_ns = p->clock();
    it->done += bytes;
    redraw(p, false);
}

void wcr_progress_state(wcr_progress *p, size_t item_i, const char *state, bool announce)
{
    if (item_i >= p->n)
        return;
    item *it = &p->items[item_i];
    snprintf(it->state, sizeof it->state, "%s", state);
    uint64_t now = p->clock();
    bool finished = it->total && it->done >= it->total && !it->ended_ns;
    if (finished)
        it->ended_ns = now;
    if (p->mode == WCR_PROGRESS_LINES && announce) {
        wcr_buf_printf(&p->out, "%s: %s", it->id, state);
        if (finished && it->started_ns && it->done > it->base) {
            char size[24], rate[24];
            double secs = (double)(now - it->started_ns) / 1e9;
            wcr_str_human_size(it->done - it->base, size, sizeof size);
            wcr_str_human_size(secs > 0 ? (uint64_t)((double)(it->done - it->base) / secs) : 0, rate,
                               sizeof rate);
            wcr_buf_printf(&p->out, " (%s in %.1fs, %s/s)", size, secs, rate);
        }
        wcr_buf_putc(&p->out, '\n');
        emit(p);
    }
    redraw(p, true);
}

void wcr_progress_message(wcr_progress *p, const char *fmt, ...)
{
    if (p->mode == WCR_PROGRESS_QUIET)
        return;
    if (p->mode == WCR_PROGRESS_BARS && p->drawn) {
        /* Above the bars: go to the top of them, write, draw them again below. */
        wcr_buf_printf(&p->out, "\033[%zuA\r\033[J", p->drawn);
        p->drawn = 0;
    }
    va_list ap;
    va_start(ap, fmt);
    wcr_buf_vprintf(&p->out, fmt, ap);
    va_end(ap);
    wcr_buf_putc(&p->out, '\n');
    emit(p);
    redraw(p, true);
}

void wcr_progress_flush(wcr_progress *p)
{
    redraw(p, true);
}
