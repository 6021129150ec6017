/* Output helpers shared by commands: tables for text, JSON otherwise. */
#ifndef WCR_CLI_OUTPUT_H
#define WCR_CLI_OUTPUT_H

#include <stddef.h>
#include <stdint.h>

#include "cli/cli.h"
#include "containerd/client.h"
#include "containerd/types.h"
#include "core/buf.h"
#include "core/json.h"

/* Connect to containerd with the global flags. */
wcr_ctd *cli_connect(const cli_globals *g, wcr_err *err);

/* A text table: a header row, then rows, columns padded to line up. */
typedef struct cli_table {
    size_t ncols;
    char **cells;   /* row-major, ncols per row */
    size_t nrows;   /* including the header */
    wcr_err_code failed;
} cli_table;

void cli_table_init(cli_table *t, const char *const *headers, size_t ncols);
/* Add a row of ncols cells (copied; NULL prints as ""). */
void cli_table_row(cli_table *t, const char *const *cells);
/* Write the table (3 spaces between columns, no trailing blanks). */
int cli_table_write(const cli_table *t, wcr_buf *out, wcr_err *err);
void cli_table_dispose(cli_table *t);

/* RFC 3339 time in UTC with nanoseconds trimmed, as Go prints time.Time:
 * "2026-11-22T21:58:00.123456789Z". */
void cli_format_time(int64_t seconds, int32_t nanos, char out[40]);

/* KEY=VALUE flags (--label) into labels; a malformed one is a usage
 * error of `path`. */
int cli_parse_labels(const cli_list *list, wcr_labels *out, const char *path, wcr_err *err);

/* "key": {labels...} inside an object. */
void cli_json_labels(wcr_jsonw *w, const char *key, const wcr_labels *l);

/* Begin a JSON document in the style of ctr/docker (4-space indent). */
void cli_json_init(wcr_jsonw *w, wcr_buf *out);

#endif
