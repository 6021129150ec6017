/* Tar archives built in tests, header by header (ustar headers with a
 * correct checksum), for the tar reader's and the import's tests. */
#ifndef WCR_TEST_TAR_BUILD_H
#define WCR_TEST_TAR_BUILD_H

#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"

/* A ustar header: name (up to 100 bytes), type ('0', '5', '2'...), size,
 * link target (or NULL). */
void tb_header(wcr_buf *out, const char *name, char type, uint64_t size, const char *link);
/* Data, padded to the block size. */
void tb_body(wcr_buf *out, const void *data, size_t len);
/* A regular file: header and data. */
void tb_file(wcr_buf *out, const char *name, const void *data, size_t len);
/* The end-of-archive blocks. */
void tb_end(wcr_buf *out);
/* Recompute the checksum of the header block at b. */
void tb_checksum(uint8_t *b);

#endif
