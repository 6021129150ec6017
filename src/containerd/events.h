/* containerd.services.events.v1.Events: the event stream (task exits,
 * image and content changes, ...). */
#ifndef WCR_CONTAINERD_EVENTS_H
#define WCR_CONTAINERD_EVENTS_H

#include "containerd/client.h"
#include "containerd/types.h"

/* An Envelope: timestamp = 1, namespace = 2, topic = 3, event = 4. In 1.6
 * and 1.7 the message is containerd.services.events.v1.Envelope; 2.0 moved
 * it to containerd.types.Envelope (api/types/event.proto) with the same
 * fields, and the method is the same, so one decoder serves both. */
typedef struct wcr_event {
    wcr_pb_timestamp timestamp;
    char *ns;
    char *topic;        /* "/tasks/exit", "/images/create", ... */
    wcr_ctd_any event;  /* "containerd.events.TaskExit", ... */
} wcr_event;

void wcr_event_dispose(wcr_event *ev);

/* Called for each event, which is disposed after the call: 0 to go on,
 * > 0 to stop (wcr_events_subscribe returns 0), < 0 to fail with err. */
typedef int (*wcr_events_fn)(void *ud, const wcr_event *ev, wcr_err *err);

/* Receive events matching any of filters (containerd's filter syntax:
 * `topic=="/tasks/exit"`, `namespace==default`; none: all) until fn stops
 * or the call is cancelled (wcr_ctd_cancel_all: then -1, WCR_E_CANCELLED).
 * Events of every namespace arrive unless a filter names one. */
int wcr_events_subscribe(wcr_ctd *c, const char *const *filters, size_t nfilters,
                         wcr_events_fn fn, void *ud, wcr_err *err);

/* Messages, for tests against protoc. */
/* SubscribeRequest: filters = 1. */
void wcr_events_encode_subscribe(wcr_buf *b, const char *const *filters, size_t nfilters);
int wcr_events_decode_envelope(const void *data, size_t len, wcr_event *out, wcr_err *err);

#endif
