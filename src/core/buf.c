/* Growable buffers with a named cap and sticky failure. */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/str.h"

void wcr_buf_init(wcr_buf *b, const char *name, size_t limit)
{
    *b = (wcr_buf)WCR_BUF_INIT(name, limit);
}

void wcr_buf_dispose(wcr_buf *b)
{
    if (!b)
        return;
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
    b->failed = WCR_E_OK;
}

void wcr_buf_reset(wcr_buf *b)
{
    b->len = 0;
    b->failed = WCR_E_OK;
    if (b->data)
        b->data[0] = '\0';
}

int wcr_buf_reserve(wcr_buf *b, size_t extra)
{
    if (b->failed)
        return -1;
    if (extra > b->limit || b->len > b->limit - extra) {
        b->failed = WCR_E_LIMIT;
        return -1;
    }
    /* Without a limit, len + extra + 1 could wrap around to a small size. */
    if (extra >= SIZE_MAX - b->len) {
        b->failed = WCR_E_NOMEM;
        return -1;
    }
    size_t need = b->len + extra + 1;
    if (need <= b->cap)
        return 0;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < need)
        cap = cap > SIZE_MAX / 2 ? need : cap * 2;
    char *data = realloc(b->data, cap);
    if (!data) {
        b->failed = WCR_E_NOMEM;
        return -1;
    }
    b->data = data;
    b->cap = cap;
    return 0;
}

int wcr_buf_append(wcr_buf *b, const void *data, size_t len)
{
    /* Appending part of the buffer itself: growing may move it. */
    uintptr_t src = (uintptr_t)data, base = (uintptr_t)b->data;
    bool inside = b->data && src >= base && src < base + b->cap;
    size_t offset = inside ? (size_t)(src - base) : 0;
    if (wcr_buf_reserve(b, len) < 0)
        return -1;
    if (inside)
        data = b->data + offset;
    if (len)
        memmove(b->data + b->len, data, len);
    b->len += len;
    b->data[b->len] = '\0';
    return 0;
}

int wcr_buf_puts(wcr_buf *b, const char *s)
{
    return wcr_buf_append(b, s, strlen(s));
}

int wcr_buf_putc(wcr_buf *b, char c)
{
    return wcr_buf_append(b, &c, 1);
}

int wcr_buf_vprintf(wcr_buf *b, const char *fmt, va_list ap)
{
    va_list copy;
    va_copy(copy, ap);
    int n = vsnprintf(NULL, 0, fmt, copy);
    va_end(copy);
    if (n < 0) {
        b->failed = WCR_E_NOMEM;
        return -1;
    }
    if (wcr_buf_reserve(b, (size_t)n) < 0)
        return -1;
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    b->len += (size_t)n;
    return 0;
}

int wcr_buf_printf(wcr_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int rc = wcr_buf_vprintf(b, fmt, ap);
    va_end(ap);
    return rc;
}

void wcr_buf_consume(wcr_buf *b, size_t n)
{
    if (n >= b->len) {
        b->len = 0;
    } else {
        memmove(b->data, b->data + n, b->len - n);
        b->len -= n;
    }
    if (b->data)
        b->data[b->len] = '\0';
}

void wcr_buf_truncate(wcr_buf *b, size_t len)
{
    if (len < b->len) {
        b->len = len;
        b->data[len] = '\0';
    }
}

const char *wcr_buf_cstr(const wcr_buf *b)
{
    return b->data ? b->data : "";
}

char *wcr_buf_detach(wcr_buf *b, size_t *len)
{
    char *data = b->data;
    if (!data)
        data = calloc(1, 1);
    if (len)
        *len = b->len;
    b->data = NULL;
    b->len = b->cap = 0;
    b->failed = WCR_E_OK;
    return data;
}

int wcr_buf_check(const wcr_buf *b, wcr_err *err)
{
    if (b->failed == WCR_E_OK)
        return 0;
    const char *name = b->name ? b->name : "buffer";
    if (b->failed == WCR_E_NOMEM)
        return wcr_err_set(err, WCR_E_NOMEM, "%s: out of memory", name);
    char size[32];
    wcr_str_human_size(b->limit, size, sizeof size);
    return wcr_err_set(err, WCR_E_LIMIT, "%s: exceeds the limit of %s", name, size);
}
