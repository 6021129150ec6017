/* Growable byte buffers and string builders, each with a named cap.
 *
 * Every buffer that grows with outside input has a limit and a name, so
 * running into the limit gives an error that says which buffer and how
 * large it may grow ("gRPC message: exceeds the limit of 16.0 MiB").
 * Failures are sticky: after a failed append, later appends do nothing and
 * wcr_buf_check() reports the first failure, so a writer may append many
 * times and check once. The data is always NUL-terminated (when not NULL),
 * so a buffer doubles as a string builder.
 */
#ifndef WCR_CORE_BUF_H
#define WCR_CORE_BUF_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include "wcr/common.h"
#include "wcr/err.h"

#define WCR_BUF_NO_LIMIT SIZE_MAX

typedef struct wcr_buf {
    char *data;       /* NULL until the first append */
    size_t len;
    size_t cap;       /* allocated bytes, including room for the NUL */
    size_t limit;     /* len may never exceed this */
    const char *name; /* static string naming the buffer in errors */
    wcr_err_code failed; /* WCR_E_OK, WCR_E_NOMEM or WCR_E_LIMIT */
} wcr_buf;

#define WCR_BUF_INIT(name, limit) { NULL, 0, 0, (limit), (name), WCR_E_OK }

void wcr_buf_init(wcr_buf *b, const char *name, size_t limit);
void wcr_buf_dispose(wcr_buf *b);

/* Forget the contents and any failure; keep the memory. */
void wcr_buf_reset(wcr_buf *b);

/* Make room for `extra` more bytes. Returns 0, or -1 (failure recorded). */
int wcr_buf_reserve(wcr_buf *b, size_t extra);
int wcr_buf_append(wcr_buf *b, const void *data, size_t len);
int wcr_buf_puts(wcr_buf *b, const char *s);
int wcr_buf_putc(wcr_buf *b, char c);
int wcr_buf_printf(wcr_buf *b, const char *fmt, ...) WCR_PRINTF(2, 3);
int wcr_buf_vprintf(wcr_buf *b, const char *fmt, va_list ap) WCR_PRINTF(2, 0);

/* Remove the first n bytes (n <= len). */
void wcr_buf_consume(wcr_buf *b, size_t n);

/* Shorten to len bytes (len <= b->len). */
void wcr_buf_truncate(wcr_buf *b, size_t len);

/* The contents as a string; "" when empty. Borrowed. */
const char *wcr_buf_cstr(const wcr_buf *b);

/* Hand the contents to the caller (malloc'd, NUL-terminated; never NULL
 * unless memory is exhausted) and reset the buffer. */
char *wcr_buf_detach(wcr_buf *b, size_t *len);

/* 0 when every append succeeded; otherwise -1 with err saying why. */
int wcr_buf_check(const wcr_buf *b, wcr_err *err);

#endif
