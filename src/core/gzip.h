/* gzip (RFC 1952) streaming decompression over zlib.
 *
 * No I/O: compressed bytes in, plain bytes out, in pieces of any size; the
 * caller says how much output room each call has, so memory stays bounded
 * however well the input compresses. Members follow one another (as `cat
 * a.gz b.gz` makes, and pigz writes); zero bytes after the last member
 * (padding to a block size) are ignored, anything else after it is an
 * error. Every member's CRC-32 and length are checked by zlib.
 *
 * Errors: WCR_E_PARSE for input that is not gzip or is corrupt (zlib's
 * own message and the compressed offset in the message), or truncated
 * (wcr_gunzip_finish); WCR_E_NOMEM.
 */
#ifndef WCR_CORE_GZIP_H
#define WCR_CORE_GZIP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "wcr/err.h"

/* Whether data starts like gzip (1f 8b, then method 8: deflate). */
bool wcr_gzip_magic(const void *data, size_t len);

typedef struct wcr_gunzip wcr_gunzip;

wcr_gunzip *wcr_gunzip_new(wcr_err *err);
void wcr_gunzip_free(wcr_gunzip *g);

/* Decompress from in (len bytes; may be 0 to collect output zlib still
 * holds) into out (room for cap bytes). Returns when out is full or no
 * more output can be made from what was given: *used bytes of in were
 * consumed and *produced bytes written. Call again with the rest of the
 * input, and also when *produced == cap (more may be waiting). */
int wcr_gunzip_run(wcr_gunzip *g, const void *in, size_t len, size_t *used, void *out,
                   size_t cap, size_t *produced, wcr_err *err);

/* The input has ended: 0 when it ended after a complete member,
 * otherwise -1 (truncated, or no gzip data at all). */
int wcr_gunzip_finish(wcr_gunzip *g, wcr_err *err);

/* Compressed bytes consumed and plain bytes produced so far. */
uint64_t wcr_gunzip_total_in(const wcr_gunzip *g);
uint64_t wcr_gunzip_total_out(const wcr_gunzip *g);

#endif
