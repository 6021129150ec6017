/* Base64 (RFC 4648, standard alphabet, with padding): registry
 * credentials in ~/.docker/config.json and HTTP Basic authentication. */
#ifndef WCR_CORE_BASE64_H
#define WCR_CORE_BASE64_H

#include <stddef.h>

#include "core/buf.h"
#include "wcr/err.h"

/* Append the encoding of data to out. */
int wcr_base64_encode(wcr_buf *out, const void *data, size_t len);

/* Append the decoding of text (n bytes) to out. Padding is required when
 * the length is not a multiple of 4 (docker writes it); whitespace and
 * any other byte outside the alphabet are errors. */
int wcr_base64_decode(wcr_buf *out, const char *text, size_t n, wcr_err *err);

#endif
