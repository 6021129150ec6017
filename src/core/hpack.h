/* HPACK (RFC 7541): the header compression of HTTP/2.
 *
 * No I/O: bytes in, fields out through a callback; fields in, bytes out
 * into a wcr_buf.
 *
 * The decoder is a state machine that can stop and resume at any octet, so
 * a header block may be fed in pieces exactly as it arrives (HEADERS, then
 * CONTINUATION frames), even split inside an integer or a string. It keeps
 * the dynamic table, checks every limit, and fails with WCR_E_PROTO on
 * malformed input or WCR_E_LIMIT when a cap is hit. Any failure leaves the
 * dynamic table out of step with the peer's, so the connection must be torn
 * down (COMPRESSION_ERROR); the decoder then only accepts dispose.
 *
 * The encoder never adds to a dynamic table: it sends fields as "literal
 * without indexing" (or fully indexed when the static table has the exact
 * field), and the session sends a size update to 0 at the start of its
 * first block, so the peer's decoder keeps no state for us either.
 */
#ifndef WCR_CORE_HPACK_H
#define WCR_CORE_HPACK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "wcr/err.h"

/* SETTINGS_HEADER_TABLE_SIZE before any SETTINGS frame (RFC 9113 6.5.2). */
#define WCR_HPACK_DEFAULT_TABLE_SIZE 4096
/* Added to name + value length to give an entry's size (RFC 7541 4.1). */
#define WCR_HPACK_ENTRY_OVERHEAD 32
/* Entries in the static table (RFC 7541 Appendix A). */
#define WCR_HPACK_STATIC_COUNT 61

/* ------------------------------------------------------------------ */
/* Decoder                                                             */

/* Receives each decoded field. name and value point into the decoder and
 * are valid only during the call; both are NUL-terminated for convenience
 * but may contain NUL octets (checking field syntax is the HTTP/2 layer's
 * job, RFC 9113 8.2.1). Return 0, or -1 with err set to stop decoding. */
typedef int (*wcr_hpack_emit_fn)(void *ud, const char *name, size_t name_len,
                                 const char *value, size_t value_len, wcr_err *err);

typedef struct wcr_hpack_entry wcr_hpack_entry;

/* The dynamic table: a ring of entries, newest first. Private. */
typedef struct wcr_hpack_table {
    wcr_hpack_entry **ring; /* cap slots, a power of two (or NULL) */
    size_t cap;
    size_t head;            /* slot of the newest entry */
    size_t count;
    size_t size;            /* sum of entry sizes (RFC 7541 4.1) */
    size_t max_size;        /* set by the peer's size updates */
} wcr_hpack_table;

/* Huffman decoding state carried between pieces of a string. Private. */
typedef struct wcr_hpack_huff {
    uint32_t code;          /* bits of a code not yet complete, MSB first */
    unsigned bits;          /* how many */
} wcr_hpack_huff;

/* All fields are private. */
typedef struct wcr_hpack_decoder {
    wcr_hpack_table table;
    size_t settings_max;    /* our SETTINGS_HEADER_TABLE_SIZE: bounds size updates */
    size_t required_max;    /* SIZE_MAX, or the size a size update must reach
                               before the next field (our setting was lowered) */
    size_t max_list;        /* cap on the block's name+value+32 sum */
    size_t max_string;      /* cap on one name or value, in octets */
    size_t list_size;       /* of the fields emitted in this block so far */
    int state;              /* enum in hpack.c */
    int rep;                /* the representation being decoded */
    int int_role;           /* what the integer being read will be */
    uint64_t int_value;     /* integer being read */
    unsigned int_shift;
    size_t str_left;        /* octets of the current string still to come */
    bool huffman;           /* the current string is Huffman-coded */
    wcr_hpack_huff huff;
    size_t name_index;      /* the field's name from the tables; 0: in name */
    bool field_seen;        /* a field came in this block (no size updates now) */
    bool failed;
    wcr_buf name;           /* literal name and value being read */
    wcr_buf value;
} wcr_hpack_decoder;

/* max_table_size: the SETTINGS_HEADER_TABLE_SIZE the peer's encoder starts
 * with (WCR_HPACK_DEFAULT_TABLE_SIZE unless the decoder starts after our
 * SETTINGS were acknowledged). max_header_list_size: cap on the sum over a
 * block's fields of name + value + 32 (as SETTINGS_MAX_HEADER_LIST_SIZE);
 * one name or value may be as long (see set_max_string). Allocates nothing
 * until input needs it; always returns 0 today. */
int wcr_hpack_decoder_init(wcr_hpack_decoder *d, size_t max_table_size,
                           size_t max_header_list_size, wcr_err *err);
void wcr_hpack_decoder_dispose(wcr_hpack_decoder *d);

/* Cap one name or value (as sent, and after Huffman decoding) lower than the
 * header list cap. */
void wcr_hpack_decoder_set_max_string(wcr_hpack_decoder *d, size_t max_string);

/* Our SETTINGS_HEADER_TABLE_SIZE changed; call it between header blocks,
 * once the peer acknowledged the SETTINGS frame. Size updates above `size`
 * are errors from then on; when `size` is below the table's current
 * maximum, the next block must begin with a size update down to it (RFC
 * 7541 4.2), and the decoder checks that it does. */
void wcr_hpack_decoder_set_max_table_size(wcr_hpack_decoder *d, size_t size);

/* Decode the next `len` octets of a header block, calling emit (may be NULL)
 * for each complete field. end_of_block: these are the block's last octets
 * (END_HEADERS); a representation still incomplete then is an error.
 * Returns 0, or -1 with err set; after -1 the decoder refuses more input. */
int wcr_hpack_decode(wcr_hpack_decoder *d, const uint8_t *in, size_t len,
                     bool end_of_block, wcr_hpack_emit_fn emit, void *ud, wcr_err *err);

/* The dynamic table, for tests and debugging: number of entries, size
 * (RFC 7541 4.1), current maximum, and entry i (0 = newest = HPACK index
 * 62). table_entry returns false when i is out of range. */
size_t wcr_hpack_decoder_table_count(const wcr_hpack_decoder *d);
size_t wcr_hpack_decoder_table_size(const wcr_hpack_decoder *d);
size_t wcr_hpack_decoder_table_max(const wcr_hpack_decoder *d);
bool wcr_hpack_decoder_table_entry(const wcr_hpack_decoder *d, size_t i,
                                   const char **name, size_t *name_len,
                                   const char **value, size_t *value_len);

/* ------------------------------------------------------------------ */
/* Encoder                                                             */

enum {
    /* "Never indexed" (RFC 7541 6.2.3): intermediaries must not compress
     * the field either; for credentials such as authorization. */
    WCR_HPACK_NEVER_INDEX = 1u << 0,
    /* Send strings as they are, even when Huffman coding is shorter. */
    WCR_HPACK_NO_HUFFMAN = 1u << 1
};

/* Append one field. The static table supplies the whole field (":method:
 * POST") or the name (":path", "content-type", "user-agent") when it has
 * them; strings are Huffman-coded when that is shorter. The name must be a
 * valid HTTP/2 field name: not empty, no upper-case letters, no octets
 * 0x00-0x20 or 0x7f-0xff (RFC 9113 8.2.1); the value must not contain NUL,
 * CR or LF. Breaking that is misuse: -1 with WCR_E_INVALID. On any failure
 * out keeps its old length. */
int wcr_hpack_encode_field(wcr_buf *out, const char *name, size_t name_len,
                           const char *value, size_t value_len, unsigned flags,
                           wcr_err *err);

/* Append a dynamic table size update (RFC 7541 6.3). */
int wcr_hpack_encode_size_update(wcr_buf *out, size_t size, wcr_err *err);

/* Append an integer with an N-bit prefix (RFC 7541 5.1), 1 <= prefix <= 8;
 * `first` holds the bits above the prefix. Failures are recorded in out. */
void wcr_hpack_encode_int(wcr_buf *out, uint8_t first, unsigned prefix, uint64_t value);

/* ------------------------------------------------------------------ */
/* Huffman code (RFC 7541 5.2, Appendix B), in hpack_huffman.c         */

/* Octets the Huffman coding of s takes. */
size_t wcr_hpack_huff_encoded_len(const void *s, size_t len);

/* Append the Huffman coding of s, padded with ones. Failures are recorded
 * in out. */
void wcr_hpack_huff_encode(wcr_buf *out, const void *s, size_t len);

#define WCR_HPACK_HUFF_INIT { 0, 0 }

/* Decode the next `len` octets of a Huffman-coded string, appending the
 * symbols to out (whose limit caps the decoded length). Returns 0, or -1
 * with err set: EOS in the data (WCR_E_PROTO), out's limit or memory. */
int wcr_hpack_huff_decode(wcr_hpack_huff *h, const uint8_t *in, size_t len,
                          wcr_buf *out, wcr_err *err);

/* The string ended: its padding must be at most 7 bits, all ones. */
int wcr_hpack_huff_finish(const wcr_hpack_huff *h, wcr_err *err);

#endif
