/* Content.Write: one bidirectional stream per ingest. Every request gets
 * exactly one response (containerd's contentserver answers each message
 * with the ingest's state), so the writer works in lock-step: send,
 * then wait for the answer and check it. Field numbers are in content.h
 * (WriteContentRequest, WriteContentResponse); they are the same in 1.6,
 * 1.7 and 2.x. */
#include <stdlib.h>
#include <string.h>

#include "containerd/content.h"
#include "core/grpc.h"
#include "core/str.h"

#define METHOD "/containerd.services.content.v1.Content/Write"

struct wcr_content_writer {
    wcr_ctd *c;
    wcr_call *call;  /* NULL once the stream has ended */
    bool healthy;    /* no failure so far: the stream may be closed politely */
    char *ref;
    char *expected;  /* given to open, or NULL */
    int64_t offset;  /* where the next WRITE goes */
    /* Bytes not sent yet: each WRITE waits for containerd's answer, so
     * small pieces (a download's 16 KiB reads) go out gathered. */
    wcr_buf pending;
    /* WRITEs sent whose answers are still to come: the offsets each must
     * report. A few in flight keep the download and containerd's disk
     * writes going at once. */
    int64_t inflight[4];
    size_t ninflight, first;
};

#define MAX_INFLIGHT 4

void wcr_write_response_dispose(wcr_write_response *r)
{
    if (!r)
        return;
    free(r->digest);
    memset(r, 0, sizeof *r);
}

void wcr_content_encode_write(wcr_buf *b, const wcr_write_request *req)
{
    wcr_pb_put_enum_opt(b, 1, req->action);
    wcr_pb_put_string_opt(b, 2, req->ref);
    wcr_pb_put_int64_opt(b, 3, req->total);
    wcr_pb_put_string_opt(b, 4, req->expected);
    wcr_pb_put_int64_opt(b, 5, req->offset);
    wcr_pb_put_bytes_opt(b, 6, req->data, req->len);
    wcr_labels_put(b, 7, req->labels);
}

int wcr_content_decode_write(const void *data, size_t len, wcr_write_response *out,
                             wcr_err *err)
{
    wcr_pb_reader r;
    wcr_pb_field f;
    int rc;
    wcr_pb_reader_init(&r, data, len);
    while ((rc = wcr_pb_next(&r, &f, err)) > 0) {
        switch (f.number) {
        case 1: rc = wcr_pb_get_enum(&f, &out->action, err); break;
        case 2: rc = wcr_pb_get_timestamp(&f, &out->started_at, err); break;
        case 3: rc = wcr_pb_get_timestamp(&f, &out->updated_at, err); break;
        case 4: rc = wcr_pb_get_int64(&f, &out->offset, err); break;
        case 5: rc = wcr_pb_get_int64(&f, &out->total, err); break;
        case 6: rc = wcr_pb_get_string_dup(&f, &out->digest, err); break;
        default: rc = 0; break;
        }
        if (rc < 0)
            break;
    }
    if (rc < 0) {
        wcr_write_response_dispose(out);
        return wcr_err_wrap(err, "write response");
    }
    return 0;
}

/* The stream is over (after a failure or the commit): reset it. */
static void end_stream(wcr_content_writer *w)
{
    wcr_call_free(w->call);
    w->call = NULL;
}

/* Send one request (the last one when `last`) and read its answer into
 * resp, which must be zeroed. On failure the stream is ended. */
/* The stream failed: no more requests on it. */
static int fail_stream(wcr_content_writer *w)
{
    w->healthy = false;
    end_stream(w);
    w->ninflight = 0;
    return -1;
}

static int send_request(wcr_content_writer *w, const wcr_write_request *req, bool last, wcr_err *err)
{
    if (!w->call)
        return wcr_err_set(err, WCR_E_INVALID, "the write stream has ended");
    wcr_buf b = WCR_BUF_INIT("request", WCR_BUF_NO_LIMIT);
    /* Room for the data and the small fields at once: a buffer grown by
     * doubling would take twice the chunk, in each of the pull's writers. */
    wcr_buf_reserve(&b, req->len + 1024);
    wcr_content_encode_write(&b, req);
    int rc = wcr_buf_check(&b, err);
    if (rc == 0)
        rc = wcr_call_send(w->call, b.data, b.len, last, err);
    wcr_buf_dispose(&b);
    return rc < 0 ? fail_stream(w) : 0;
}

/* The answer to the oldest request, which was `action`. */
static int read_response(wcr_content_writer *w, int action, wcr_write_response *resp, wcr_err *err)
{
    wcr_buf msg = WCR_BUF_INIT("response", WCR_BUF_NO_LIMIT);
    int rc = wcr_call_recv(w->call, &msg, err);
    if (rc == 0)
        rc = wcr_err_set(err, WCR_E_PROTO, "containerd ended the write without an answer");
    if (rc == 1)
        rc = wcr_content_decode_write(msg.data, msg.len, resp, err);
    if (rc == 0 && resp->action != action)
        rc = wcr_err_set(err, WCR_E_PROTO, "containerd answered action %d to action %d",
                         (int)resp->action, action);
    wcr_buf_dispose(&msg);
    if (rc < 0) {
        wcr_write_response_dispose(resp);
        return fail_stream(w);
    }
    return 0;
}

/* Take the oldest WRITE's answer and check containerd is where it should be. */
static int await_write(wcr_content_writer *w, wcr_err *err)
{
    wcr_write_response resp = { 0 };
    if (read_response(w, WCR_WRITE_WRITE, &resp, err) < 0)
        return -1;
    int64_t want = w->inflight[w->first], got = resp.offset;
    wcr_write_response_dispose(&resp);
    w->first = (w->first + 1) % MAX_INFLIGHT;
    w->ninflight--;
    if (got != want) {
        fail_stream(w);
        return wcr_err_set(err, WCR_E_PROTO, "write %s: containerd is at offset %lld, not %lld", w->ref,
                           (long long)got, (long long)want);
    }
    return 0;
}

static int drain_writes(wcr_content_writer *w, wcr_err *err)
{
    while (w->ninflight > 0)
        if (await_write(w, err) < 0)
            return -1;
    return 0;
}

/* Send one request and read its answer into resp (zeroed); writes still
 * in flight are answered first. On failure the stream is ended. */
static int exchange(wcr_content_writer *w, const wcr_write_request *req, bool last,
                    wcr_write_response *resp, wcr_err *err)
{
    if (drain_writes(w, err) < 0 || send_request(w, req, last, err) < 0)
        return -1;
    return read_response(w, req->action, resp, err);
}

wcr_content_writer *wcr_content_writer_open(wcr_ctd *c, const char *ref, int64_t total,
                                            const char *expected, int64_t *offset,
                                            wcr_err *err)
{
    return wcr_content_writer_open_lease(c, ref, total, expected, NULL, offset, err);
}

wcr_content_writer *wcr_content_writer_open_lease(wcr_ctd *c, const char *ref, int64_t total,
                                                  const char *expected, const char *lease,
                                                  int64_t *offset, wcr_err *err)
{
    wcr_content_writer *w = calloc(1, sizeof *w);
    if (!w || !(w->ref = wcr_strdup(ref ? ref : "")) ||
        (expected && expected[0] && !(w->expected = wcr_strdup(expected)))) {
        wcr_err_set(err, WCR_E_NOMEM, "write %s: out of memory", ref ? ref : "");
        wcr_content_writer_free(w);
        return NULL;
    }
    w->c = c;
    w->healthy = true;
    wcr_buf_init(&w->pending, "content write", WCR_CONTENT_WRITE_CHUNK);
    w->call = lease ? wcr_ctd_stream_lease(c, METHOD, lease, err) : wcr_ctd_stream(c, METHOD, err);
    /* The first message names the ingest and opens (and locks) it; a STAT
     * answers with how much of it containerd already holds. */
    wcr_write_request req = { WCR_WRITE_STAT, ref, total, expected, 0, NULL, 0, NULL };
    wcr_write_response resp = { 0 };
    if (!w->call || exchange(w, &req, false, &resp, err) < 0) {
        /* ALREADY_EXISTS arrives here as WCR_E_EXISTS: the blob is there. */
        wcr_err_wrap(err, "write %s", w->ref);
        wcr_content_writer_free(w);
        return NULL;
    }
    w->offset = resp.offset;
    if (offset)
        *offset = resp.offset;
    wcr_write_response_dispose(&resp);
    return w;
}

int64_t wcr_content_writer_offset(const wcr_content_writer *w)
{
    return w->offset + (int64_t)w->pending.len;
}

void wcr_content_writer_restart(wcr_content_writer *w)
{
    /* A WRITE at offset 0 makes containerd truncate the ingest. */
    if (drain_writes(w, NULL) < 0)
        w->healthy = false;
    w->offset = 0;
    wcr_buf_reset(&w->pending);
}

/* Send len bytes at the current offset in WRITE messages, keeping up to
 * MAX_INFLIGHT unanswered. */
static int send_writes(wcr_content_writer *w, const void *data, size_t len, wcr_err *err)
{
    const uint8_t *p = data;
    while (len > 0) {
        size_t n = len < WCR_CONTENT_WRITE_CHUNK ? len : WCR_CONTENT_WRITE_CHUNK;
        if (w->ninflight == MAX_INFLIGHT && await_write(w, err) < 0)
            return wcr_err_wrap(err, "write %s at offset %lld", w->ref, (long long)w->offset);
        wcr_write_request req = { WCR_WRITE_WRITE, NULL, 0, NULL, w->offset, p, n, NULL };
        if (send_request(w, &req, false, err) < 0)
            return wcr_err_wrap(err, "write %s at offset %lld", w->ref, (long long)w->offset);
        w->offset += (int64_t)n;
        w->inflight[(w->first + w->ninflight) % MAX_INFLIGHT] = w->offset;
        w->ninflight++;
        p += n;
        len -= n;
    }
    return 0;
}

static int flush_pending(wcr_content_writer *w, wcr_err *err)
{
    if (w->pending.len == 0)
        return 0;
    int rc = send_writes(w, w->pending.data, w->pending.len, err);
    wcr_buf_reset(&w->pending);
    return rc;
}

int wcr_content_writer_write(wcr_content_writer *w, const void *data, size_t len, wcr_err *err)
{
    if (w->pending.len == 0 && len >= WCR_CONTENT_WRITE_CHUNK)
        return send_writes(w, data, len, err);
    const char *p = data;
    while (len > 0) {
        size_t room = WCR_CONTENT_WRITE_CHUNK - w->pending.len, n = len < room ? len : room;
        if (wcr_buf_append(&w->pending, p, n) < 0)
            return wcr_buf_check(&w->pending, err);
        p += n;
        len -= n;
        if (w->pending.len == WCR_CONTENT_WRITE_CHUNK && flush_pending(w, err) < 0)
            return -1;
    }
    return 0;
}

/* containerd reports a size or digest mismatch on commit as
 * FAILED_PRECONDITION; make it the digest error it is. */
static void mismatch_is_digest_error(wcr_err *err)
{
    if (err && err->cause == WCR_CAUSE_GRPC && err->cause_code == WCR_GRPC_FAILED_PRECONDITION)
        err->code = WCR_E_DIGEST;
}

/* Digests compare only within one algorithm: containerd reports its
 * writer's own (sha256) even when it checked another. */
static bool digest_differs(const char *got, const char *want)
{
    const char *g = strchr(got, ':'), *w = strchr(want, ':');
    if (!g || !w || g - got != w - want || strncmp(got, want, (size_t)(g - got)) != 0)
        return false;
    return strcmp(got, want) != 0;
}

int wcr_content_writer_commit(wcr_content_writer *w, int64_t size, const char *expected,
                              const wcr_labels *labels, wcr_err *err)
{
    if (!expected || !expected[0])
        expected = w->expected;
    if (flush_pending(w, err) < 0)
        return wcr_err_wrap(err, "commit %s", w->ref);
    /* The offset must be sent: a COMMIT at offset 0 would make containerd
     * truncate what was written. */
    wcr_write_request req = { WCR_WRITE_COMMIT, NULL, size, expected, w->offset, NULL, 0, labels };
    wcr_write_response resp = { 0 };
    int rc = exchange(w, &req, true, &resp, err);
    if (rc < 0)
        mismatch_is_digest_error(err);
    else if (expected && resp.digest && digest_differs(resp.digest, expected))
        rc = wcr_err_set(err, WCR_E_DIGEST, "containerd committed %s, not %s", resp.digest,
                         expected);
    else if (size > 0 && resp.offset != size)
        rc = wcr_err_set(err, WCR_E_DIGEST, "containerd committed %lld bytes, not %lld",
                         (long long)resp.offset, (long long)size);
    wcr_write_response_dispose(&resp);
    if (rc == 0 && w->call) {
        /* After COMMIT containerd ends the stream: take its status. */
        wcr_buf msg = WCR_BUF_INIT("response", WCR_BUF_NO_LIMIT);
        while ((rc = wcr_call_recv(w->call, &msg, err)) == 1)
            ;
        wcr_buf_dispose(&msg);
    }
    end_stream(w);
    w->healthy = false;
    return rc < 0 ? wcr_err_wrap(err, "commit %s", w->ref) : 0;
}

/* End the stream. When nothing failed, write what is still gathered (an
 * interrupted download then resumes from all it received), end the stream
 * politely and wait for containerd to finish, so that the ingest is
 * unlocked on return and a retry can open it at once; otherwise reset it. */
static void close_stream(wcr_content_writer *w, bool keep)
{
    if (w->call && w->healthy && keep && (flush_pending(w, NULL) < 0 || drain_writes(w, NULL) < 0))
        w->healthy = false;
    if (w->call && w->healthy && wcr_call_close_send(w->call, NULL) == 0) {
        wcr_buf msg = WCR_BUF_INIT("response", WCR_BUF_NO_LIMIT);
        while (wcr_call_recv(w->call, &msg, NULL) == 1)
            ;
        wcr_buf_dispose(&msg);
    }
    end_stream(w);
    w->healthy = false;
}

int wcr_content_writer_abort(wcr_content_writer *w, wcr_err *err)
{
    close_stream(w, false);
    if (wcr_content_abort(w->c, w->ref, err) < 0) {
        if (!wcr_err_is(err, WCR_E_NOT_FOUND))
            return -1;
        wcr_err_dispose(err); /* nothing was held: that is what abort wants */
    }
    return 0;
}

void wcr_content_writer_free(wcr_content_writer *w)
{
    if (!w)
        return;
    close_stream(w, true);
    wcr_buf_dispose(&w->pending);
    free(w->ref);
    free(w->expected);
    free(w);
}
