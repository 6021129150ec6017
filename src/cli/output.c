/* Output helpers: containerd connection from the flags, tables, times. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/output.h"
#include "core/str.h"
#include "core/timefmt.h"

wcr_ctd *cli_connect(const cli_globals *g, wcr_err *err)
{
    wcr_ctd_options o = WCR_CTD_OPTIONS_INIT;
    o.address = g->address;
    o.ns = g->ns;
    return wcr_ctd_connect(&o, err);
}

void cli_table_init(cli_table *t, const char *const *headers, size_t ncols)
{
    memset(t, 0, sizeof *t);
    t->ncols = ncols;
    cli_table_row(t, headers);
}

void cli_table_row(cli_table *t, const char *const *cells)
{
    if (t->failed)
        return;
    char **grown = realloc(t->cells, (t->nrows + 1) * t->ncols * sizeof *grown);
    if (!grown) {
        t->failed = WCR_E_NOMEM;
        return;
    }
    t->cells = grown;
    for (size_t i = 0; i < t->ncols; i++) {
        char *c = wcr_strdup(cells[i] ? cells[i] : "");
        if (!c)
            t->failed = WCR_E_NOMEM;
        t->cells[t->nrows * t->ncols + i] = c;
    }
    t->nrows++;
}

/* Display width: count UTF-8 lead bytes, not bytes. */
static size_t width_of(const char *s)
{
    size_t w = 0;
    for (; s && *s; s++)
        if (((unsigned char)*s & 0xC0) != 0x80)
            w++;
    return w;
}

int cli_table_write(const cli_table *t, wcr_buf *out, wcr_err *err)
{
    if (t->failed)
        return wcr_err_set(err, WCR_E_NOMEM, "table: out of memory");
    size_t *width = calloc(t->ncols ? t->ncols : 1, sizeof *width);
    if (!width)
        return wcr_err_set(err, WCR_E_NOMEM, "table: out of memory");
    for (size_t r = 0; r < t->nrows; r++)
        for (size_t c = 0; c < t->ncols; c++) {
            size_t w = width_of(t->cells[r * t->ncols + c]);
            if (w > width[c])
                width[c] = w;
        }
    for (size_t r = 0; r < t->nrows; r++) {
        size_t line_start = out->len;
        for (size_t c = 0; c < t->ncols; c++) {
            const char *cell = t->cells[r * t->ncols + c];
            wcr_buf_puts(out, cell ? cell : "");
            if (c + 1 < t->ncols)
                wcr_buf_printf(out, "%*s", (int)(width[c] - width_of(cell) + 3), "");
        }
        /* No trailing blanks when the last cells are empty. */
        while (out->len > line_start && out->data[out->len - 1] == ' ')
            wcr_buf_truncate(out, out->len - 1);
        wcr_buf_putc(out, '\n');
    }
    free(width);
    return wcr_buf_check(out, err);
}

void cli_table_dispose(cli_table *t)
{
    if (!t)
        return;
    for (size_t i = 0; i < t->nrows * t->ncols; i++)
        free(t->cells[i]);
    free(t->cells);
    memset(t, 0, sizeof *t);
}

void cli_format_time(int64_t seconds, int32_t nanos, char out[40])
{
    wcr_time_format(seconds, nanos, out);
}

void cli_json_init(wcr_jsonw *w, wcr_buf *out)
{
    wcr_jsonw_init(w, out, WCR_JSONW_PRETTY | WCR_JSONW_INDENT4);
}

int cli_parse_labels(const cli_list *list, wcr_labels *out, const char *path, wcr_err *err)
{
    for (size_t i = 0; i < list->len; i++) {
        char *eq = strchr(list->items[i], '=');
        if (!eq || eq == list->items[i])
            return cli_usage_error(err, path, "label \"%s\" is not KEY=VALUE", list->items[i]);
        *eq = '\0';
        int rc = wcr_labels_set(out, list->items[i], eq + 1, err);
        *eq = '=';
        if (rc < 0)
            return -1;
    }
    return 0;
}

void cli_json_labels(wcr_jsonw *w, const char *key, const wcr_labels *l)
{
    wcr_jsonw_key(w, key);
    wcr_jsonw_object_begin(w);
    for (size_t i = 0; l && i < l->n; i++)
        wcr_jsonw_kv_string(w, l->keys[i], l->values[i]);
    wcr_jsonw_object_end(w);
}
