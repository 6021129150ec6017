/* containerd.services.content.v1.Content: the blob store. Blobs are
 * written through ingests named by a ref ("layer-sha256:..."); a write
 * that stops half way can be resumed from the offset containerd kept. */
#ifndef WCR_CONTAINERD_CONTENT_H
#define WCR_CONTAINERD_CONTENT_H

#include <stdbool.h>

#include "containerd/client.h"
#include "containerd/types.h"

/* A committed blob (Info). */
typedef struct wcr_blob_info {
    char *digest;
    int64_t size;
    wcr_pb_timestamp created_at, updated_at;
    wcr_labels labels;
} wcr_blob_info;

typedef struct wcr_blob_infos {
    wcr_blob_info *items;
    size_t n;
} wcr_blob_infos;

/* An ingest: a write in progress (Status). */
typedef struct wcr_ingest_status {
    wcr_pb_timestamp started_at, updated_at;
    char *ref;
    int64_t offset;
    int64_t total;
    char *expected;
} wcr_ingest_status;

typedef struct wcr_ingest_statuses {
    wcr_ingest_status *items;
    size_t n;
} wcr_ingest_statuses;

void wcr_blob_info_dispose(wcr_blob_info *i);
void wcr_blob_infos_dispose(wcr_blob_infos *l);
void wcr_ingest_status_dispose(wcr_ingest_status *s);
void wcr_ingest_statuses_dispose(wcr_ingest_statuses *l);

int wcr_content_info(wcr_ctd *c, const char *digest, wcr_blob_info *out, wcr_err *err);
/* Update the fields of info->digest's blob named by paths ("labels",
 * "labels.containerd.io/gc.ref.content.l.0"; none: all); out (may be
 * NULL) gets the result. */
int wcr_content_update(wcr_ctd *c, const wcr_blob_info *info, const char *const *paths,
                       size_t npaths, wcr_blob_info *out, wcr_err *err);
int wcr_content_list(wcr_ctd *c, const char *const *filters, size_t nfilters,
                     wcr_blob_infos *out, wcr_err *err);
int wcr_content_delete(wcr_ctd *c, const char *digest, wcr_err *err);

/* Read size bytes (0: to the end) from offset, handing each chunk to fn as
 * it arrives, so a blob is never held whole. offset is the chunk's place
 * in the blob. fn returns 0 to go on, > 0 to stop (wcr_content_read then
 * returns 0), < 0 to fail with err set. */
typedef int (*wcr_content_read_fn)(void *ud, int64_t offset, const void *data, size_t len,
                                   wcr_err *err);
int wcr_content_read(wcr_ctd *c, const char *digest, int64_t offset, int64_t size,
                     wcr_content_read_fn fn, void *ud, wcr_err *err);

int wcr_content_status(wcr_ctd *c, const char *ref, wcr_ingest_status *out, wcr_err *err);
int wcr_content_list_statuses(wcr_ctd *c, const char *const *filters, size_t nfilters,
                              wcr_ingest_statuses *out, wcr_err *err);
/* Drop an ingest and what it holds. */
int wcr_content_abort(wcr_ctd *c, const char *ref, wcr_err *err);

/* --- writing: Content.Write, one bidirectional stream per ingest --------------
 *
 *   int64_t have;
 *   w = wcr_content_writer_open(c, ref, size, digest, &have, err);
 *   if (!w && wcr_err_is(err, WCR_E_EXISTS)) -> the blob is there: done
 *   ... write the bytes from `have` on (or wcr_content_writer_restart) ...
 *   wcr_content_writer_write(w, data, len, err);       as often as needed
 *   wcr_content_writer_commit(w, size, digest, labels, err);
 *   wcr_content_writer_free(w);
 *
 * Errors: WCR_E_EXISTS (from open or commit) means the blob with that
 * digest is already committed, which a caller that only wants it present
 * treats as success. WCR_E_DIGEST from commit means the bytes do not match
 * the expected size or digest (containerd's FAILED_PRECONDITION). Any
 * failure ends the stream; the ingest stays for a later resume unless
 * wcr_content_writer_abort() drops it. containerd holds the ref locked
 * while a stream is open: a second open of the same ref fails
 * (UNAVAILABLE, WCR_E_UNAVAILABLE) until the first is freed. */

/* The largest WRITE wcr sends: well under gRPC's 16 MiB message cap. */
#define WCR_CONTENT_WRITE_CHUNK ((size_t)512 << 10)

typedef struct wcr_content_writer wcr_content_writer;

/* Open ref. total (0: unknown) and expected ("" or NULL: unknown) let
 * containerd check the blob; with expected set, an existing blob is
 * WCR_E_EXISTS at once. *offset gets the bytes containerd already holds
 * for ref; the next write continues there. */
wcr_content_writer *wcr_content_writer_open(wcr_ctd *c, const char *ref, int64_t total,
                                            const char *expected, int64_t *offset,
                                            wcr_err *err);
/* The same under `lease` instead of the client's ("" for none). An ingest
 * made under a lease is dropped when the lease goes; one made without
 * lasts 24 hours (containerd's rule), so a lease of its own lets a
 * download outlive an interrupted pull and be resumed. */
wcr_content_writer *wcr_content_writer_open_lease(wcr_ctd *c, const char *ref, int64_t total,
                                                  const char *expected, const char *lease,
                                                  int64_t *offset, wcr_err *err);
/* Where the next write goes. */
int64_t wcr_content_writer_offset(const wcr_content_writer *w);
/* Start over: the next write goes to offset 0 and containerd drops what
 * it held (for a source that cannot resume). */
void wcr_content_writer_restart(wcr_content_writer *w);
/* Append len bytes. Small writes are gathered into WRITE messages of
 * WCR_CONTENT_WRITE_CHUNK; commit and free send what is still gathered. */
int wcr_content_writer_write(wcr_content_writer *w, const void *data, size_t len, wcr_err *err);
/* Commit as a blob of size bytes (0: unchecked) with digest expected
 * (NULL: the one given to open, if any) and labels (may be NULL). Ends the
 * stream. */
int wcr_content_writer_commit(wcr_content_writer *w, int64_t size, const char *expected,
                              const wcr_labels *labels, wcr_err *err);
/* End the stream and drop the ingest (Content.Abort). */
int wcr_content_writer_abort(wcr_content_writer *w, wcr_err *err);
/* End the stream if still open, first writing what is gathered (the ingest
 * stays, with every byte written, for a resume), and free w. */
void wcr_content_writer_free(wcr_content_writer *w);

/* --- messages, for tests against protoc ---------------------------------------- */

typedef enum wcr_write_action {
    WCR_WRITE_STAT = 0,
    WCR_WRITE_WRITE = 1,
    WCR_WRITE_COMMIT = 2,
} wcr_write_action;

/* WriteContentRequest: action = 1, ref = 2, total = 3, expected = 4,
 * offset = 5, data = 6, labels = 7. Borrowed fields. */
typedef struct wcr_write_request {
    int action;
    const char *ref;
    int64_t total;
    const char *expected;
    int64_t offset;
    const void *data;
    size_t len;
    const wcr_labels *labels;
} wcr_write_request;

/* WriteContentResponse: action = 1, started_at = 2, updated_at = 3,
 * offset = 4, total = 5, digest = 6. */
typedef struct wcr_write_response {
    int action;
    wcr_pb_timestamp started_at, updated_at;
    int64_t offset;
    int64_t total;
    char *digest;
} wcr_write_response;

void wcr_write_response_dispose(wcr_write_response *r);

/* InfoRequest, DeleteContentRequest (digest = 1), StatusRequest,
 * AbortRequest (ref = 1). */
void wcr_content_encode_key(wcr_buf *b, const char *key);
/* UpdateRequest: info = 1, update_mask = 2. */
void wcr_content_encode_update(wcr_buf *b, const wcr_blob_info *info, const char *const *paths,
                               size_t npaths);
/* ListContentRequest, ListStatusesRequest: filters = 1. */
void wcr_content_encode_filters(wcr_buf *b, const char *const *filters, size_t nfilters);
/* ReadContentRequest: digest = 1, offset = 2, size = 3. */
void wcr_content_encode_read(wcr_buf *b, const char *digest, int64_t offset, int64_t size);
void wcr_content_encode_write(wcr_buf *b, const wcr_write_request *req);

/* InfoResponse, UpdateResponse: info = 1. */
int wcr_content_decode_info(const void *data, size_t len, wcr_blob_info *out, wcr_err *err);
/* ListContentResponse: info = 1 (repeated). Appends to out, as List
 * streams several; on failure out keeps what came before (dispose it). */
int wcr_content_decode_list(const void *data, size_t len, wcr_blob_infos *out, wcr_err *err);
/* ReadContentResponse: offset = 1, data = 2 (borrowed from the input). */
int wcr_content_decode_read(const void *data, size_t len, int64_t *offset, const uint8_t **chunk,
                            size_t *chunk_len, wcr_err *err);
/* StatusResponse: status = 1. */
int wcr_content_decode_status(const void *data, size_t len, wcr_ingest_status *out,
                              wcr_err *err);
/* ListStatusesResponse: statuses = 1. */
int wcr_content_decode_statuses(const void *data, size_t len, wcr_ingest_statuses *out,
                                wcr_err *err);
int wcr_content_decode_write(const void *data, size_t len, wcr_write_response *out,
                             wcr_err *err);

#endif
