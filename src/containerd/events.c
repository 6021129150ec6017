/* containerd.services.events.v1.Events/Subscribe: field numbers from
 * api/services/events/v1/events.proto (1.6, 1.7) and api/types/event.proto
 * (2.x), which agree. */
#include <stdlib.h>
#include <string.h>

#include "containerd/events.h"
#include "containerd/rpc.h"

void wcr_event_dispose(wcr_event *ev)
{
    if (!ev)
        return;
    free(ev->ns);
    free(ev->topic);
    wcr_ctd_any_dispose(&ev->event);
    memset(ev, 0, sizeof *ev);
}

void wcr_events_encode_subscribe(wcr_buf *b, const char *const *filters, size_t nfilters)
{
    wcr_ctd_put_strings(b, 1, filters, nfilters);
}

int wcr_events_decode_envelope(const void *data, size_t len, wcr_event *out, wcr_err *err)
{
    wcr_pb_reader r;
    wcr_pb_field f;
    int rc;
    wcr_pb_reader_init(&r, data, len);
    while ((rc = wcr_pb_next(&r, &f, err)) > 0) {
        switch (f.number) {
        case 1: rc = wcr_pb_get_timestamp(&f, &out->timestamp, err); break;
        case 2: rc = wcr_pb_get_string_dup(&f, &out->ns, err); break;
        case 3: rc = wcr_pb_get_string_dup(&f, &out->topic, err); break;
        case 4: rc = wcr_ctd_any_get(&f, &out->event, err); break;
        default: rc = 0; break;
        }
        if (rc < 0)
            break;
    }
    if (rc < 0) {
        wcr_event_dispose(out);
        return wcr_err_wrap(err, "event envelope");
    }
    return 0;
}

typedef struct subscription {
    wcr_events_fn fn;
    void *ud;
} subscription;

static int on_envelope(void *ud, const void *data, size_t len, wcr_err *err)
{
    subscription *s = ud;
    wcr_event ev = { { 0, 0 }, NULL, NULL, { NULL, NULL, 0 } };
    if (wcr_events_decode_envelope(data, len, &ev, err) < 0)
        return -1;
    int rc = s->fn(s->ud, &ev, err);
    wcr_event_dispose(&ev);
    return rc;
}

int wcr_events_subscribe(wcr_ctd *c, const char *const *filters, size_t nfilters,
                         wcr_events_fn fn, void *ud, wcr_err *err)
{
    wcr_buf req = WCR_BUF_INIT("request", WCR_BUF_NO_LIMIT);
    subscription s = { fn, ud };
    wcr_events_encode_subscribe(&req, filters, nfilters);
    if (wcr_ctd_rpc_stream(c, "/containerd.services.events.v1.Events/Subscribe", &req,
                           on_envelope, &s, err) < 0)
        return wcr_err_wrap(err, "events");
    return 0;
}
