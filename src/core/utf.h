/* UTF-8 validation and UTF-8 <-> UTF-16 conversion (Windows APIs take
 * UTF-16; everything inside wcr is UTF-8). Portable, so the Linux tests
 * cover exactly the code Windows runs. UTF-16 is held as uint16_t, which
 * has the layout of Windows' wchar_t. */
#ifndef WCR_CORE_UTF_H
#define WCR_CORE_UTF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "wcr/err.h"

/* Decode one UTF-8 sequence at s (n bytes available). Returns its length
 * (1..4) and the code point, or 0 when the bytes are not valid UTF-8
 * (overlong forms, surrogates, values above U+10FFFF, truncation). */
size_t wcr_utf8_decode(const unsigned char *s, size_t n, uint32_t *cp);

/* Encode a code point (not a surrogate, <= U+10FFFF) into out[4]; returns
 * the length, or 0 for an invalid code point. */
size_t wcr_utf8_encode(uint32_t cp, unsigned char out[4]);

bool wcr_utf8_valid(const char *s, size_t n);

/* UTF-8 (n bytes) to NUL-terminated UTF-16, malloc'd; *out_len (may be
 * NULL) gets the count of units before the NUL. Invalid UTF-8 is an error
 * that names the byte offset. */
uint16_t *wcr_utf8_to_utf16(const char *s, size_t n, size_t *out_len, wcr_err *err);

/* UTF-16 (n units) to NUL-terminated UTF-8, malloc'd. An unpaired
 * surrogate (possible in Windows file names) becomes U+FFFD. */
char *wcr_utf16_to_utf8(const uint16_t *s, size_t n, size_t *out_len, wcr_err *err);

/* Length of a NUL-terminated UTF-16 string. */
size_t wcr_utf16_len(const uint16_t *s);

#endif
