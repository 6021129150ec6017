/* Quoting outside input for error messages (internal to src/image). */
#ifndef WCR_IMAGE_QUOTE_H
#define WCR_IMAGE_QUOTE_H

#include <stddef.h>

/* Enough for any quoted text img_quote writes. */
#define IMG_QUOTE_SIZE 160

/* Write s (n bytes) into out as "text", with bytes that are not printable
 * ASCII (and " and \) escaped as \xNN or \" \\, and cut with "..." when
 * longer than fits: a message must not carry a megabyte of fuzz or a
 * terminal escape sequence. out has room for `size` bytes (at least 8). */
void img_quote(char *out, size_t size, const char *s, size_t n);

#endif
