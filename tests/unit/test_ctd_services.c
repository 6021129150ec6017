/* Tests of the containerd service calls (src/containerd/rpc.c and the
 * service files) against the in-process gRPC server of h2_server.c: the
 * method paths, errors with their context, server streams delivered
 * through callbacks and stopped early. (Content.Write is a lock-step
 * bidirectional stream, which this server, answering whole requests,
 * cannot play; it is exercised against a real containerd.) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "containerd/containers.h"
#include "containerd/content.h"
#include "containerd/events.h"
#include "containerd/images.h"
#include "containerd/tasks.h"
#include "core/grpc.h"
#include "h2_server.h"
#include "test.h"

/* The first string field `number` of a request body (one framed message). */
static void request_string(const uint8_t *body, size_t len, uint32_t number, char *out,
                           size_t cap)
{
    out[0] = '\0';
    if (len < 5)
        return;
    wcr_pb_reader r;
    wcr_pb_field f;
    wcr_pb_reader_init(&r, body + 5, len - 5);
    while (wcr_pb_next(&r, &f, NULL) > 0) {
        if (f.number == number && f.wire == WCR_PB_LEN) {
            snprintf(out, cap, "%.*s", (int)f.len, (const char *)f.data);
            return;
        }
    }
}

static void reply(srv_reply *r, const wcr_buf *msg)
{
    wcr_grpc_frame(&r->messages, msg->data, msg->len, NULL);
}

static void read_chunks(srv_reply *r, const int64_t *offsets, const char *const *chunks,
                        size_t n)
{
    wcr_buf m = WCR_BUF_INIT("msg", WCR_BUF_NO_LIMIT);
    for (size_t i = 0; i < n; i++) {
        wcr_buf_reset(&m);
        wcr_pb_put_int64_opt(&m, 1, offsets[i]);
        wcr_pb_put_bytes(&m, 2, chunks[i], strlen(chunks[i]));
        reply(r, &m);
    }
    wcr_buf_dispose(&m);
}

static void handler(void *ud, const char *path, const uint8_t *body, size_t len, srv_reply *r)
{
    (void)ud;
    char arg[256];
    wcr_buf m = WCR_BUF_INIT("msg", WCR_BUF_NO_LIMIT);
    request_string(body, len, 1, arg, sizeof arg);
    if (strcmp(path, "/containerd.services.images.v1.Images/Get") == 0) {
        if (strcmp(arg, "missing") == 0) {
            r->status = WCR_GRPC_NOT_FOUND;
            r->message = "image \"missing\": not found";
        } else {
            size_t im = wcr_pb_begin(&m, 1);
            wcr_pb_put_string(&m, 1, arg);
            wcr_pb_end(&m, im);
            reply(r, &m);
        }
    } else if (strcmp(path, "/containerd.services.content.v1.Content/Read") == 0) {
        /* containerd counts offsets from the start of the read. */
        static const int64_t rel[] = { 0, 3, 6 }, gap[] = { 0, 5 };
        static const char *const chunks[] = { "abc", "def", "gh" };
        if (strcmp(arg, "gap") == 0)
            read_chunks(r, gap, chunks, 2);
        else
            read_chunks(r, rel, chunks, 3);
    } else if (strcmp(path, "/containerd.services.events.v1.Events/Subscribe") == 0) {
        for (int i = 0; i < 3; i++) {
            wcr_buf_reset(&m);
            wcr_pb_put_string(&m, 2, "default");
            wcr_pb_put_string(&m, 3, i == 1 ? "/tasks/exit" : "/tasks/start");
            wcr_pb_put_any(&m, 4, "containerd.events.TaskExit", "x", 1);
            reply(r, &m);
        }
    } else if (strcmp(path, "/containerd.services.containers.v1.Containers/ListStream") == 0) {
        for (int i = 0; i < 2; i++) {
            wcr_buf_reset(&m);
            size_t c = wcr_pb_begin(&m, 1);
            wcr_pb_put_string(&m, 1, i ? "c2" : "c1");
            wcr_pb_end(&m, c);
            reply(r, &m);
        }
    } else if (strcmp(path, "/containerd.services.tasks.v1.Tasks/Wait") == 0) {
        wcr_pb_put_uint32(&m, 1, 3);
        reply(r, &m);
    } else if (strcmp(path, "/containerd.services.tasks.v1.Tasks/Kill") == 0) {
        r->status = WCR_GRPC_FAILED_PRECONDITION;
        r->message = "process already finished";
    } else {
        r->status = WCR_GRPC_UNIMPLEMENTED;
    }
    wcr_buf_dispose(&m);
}

typedef struct fixture {
    h2srv *srv;
    wcr_ctd *c;
} fixture;

static bool start(fixture *fx)
{
    fx->srv = h2srv_start(handler, NULL);
    if (!fx->srv)
        return false;
    wcr_err err = WCR_ERR_INIT;
    wcr_ctd_options o = WCR_CTD_OPTIONS_INIT;
    o.address = h2srv_path(fx->srv);
    fx->c = wcr_ctd_connect(&o, &err);
    if (!fx->c) {
        char *m = wcr_err_format(&err, true);
        printf("    connect: %s\n", m ? m : "?");
        free(m);
        h2srv_stop(fx->srv);
    }
    wcr_err_dispose(&err);
    return fx->c != NULL;
}

static void stop(fixture *fx)
{
    wcr_ctd_close(fx->c);
    h2srv_stop(fx->srv);
}

static char *message(const wcr_err *err)
{
    static char text[512];
    char *m = wcr_err_format(err, false);
    snprintf(text, sizeof text, "%s", m ? m : "");
    free(m);
    return text;
}

TEST(unary_call_decodes_and_errors_carry_context)
{
    fixture fx;
    REQUIRE(start(&fx));
    wcr_err err = WCR_ERR_INIT;
    wcr_image im = { 0 };
    CHECK_INT(wcr_images_get(fx.c, "docker.io/library/busybox:latest", &im, &err), 0);
    CHECK_STR(im.name, "docker.io/library/busybox:latest");
    wcr_image_dispose(&im);
    CHECK_INT(wcr_images_get(fx.c, "missing", &im, &err), -1);
    CHECK_INT(err.code, WCR_E_NOT_FOUND);
    CHECK_STR(message(&err), "get image missing: containerd: image \"missing\": not found");
    CHECK(im.name == NULL);
    wcr_err_dispose(&err);
    CHECK_INT(wcr_tasks_kill(fx.c, "ctr-1", "sh", 9, false, &err), -1);
    CHECK_STR(message(&err),
              "signal process sh of task ctr-1: containerd: process already finished");
    wcr_err_dispose(&err);
    CHECK_INT(wcr_images_delete(fx.c, "x", false, &err), -1);
    CHECK_INT(err.code, WCR_E_UNSUPPORTED);
    wcr_err_dispose(&err);
    stop(&fx);
}

typedef struct chunks {
    char data[32];
    int64_t offsets[8];
    int n;
    int stop_after;
} chunks;

static int on_chunk(void *ud, int64_t offset, const void *data, size_t len, wcr_err *err)
{
    (void)err;
    chunks *c = ud;
    if (c->n < 8)
        c->offsets[c->n] = offset;
    c->n++;
    strncat(c->data, data, len);
    return c->n == c->stop_after;
}

TEST(read_delivers_chunks_at_their_place_in_the_blob)
{
    fixture fx;
    REQUIRE(start(&fx));
    wcr_err err = WCR_ERR_INIT;
    chunks c = { "", { 0 }, 0, 0 };
    CHECK_INT(wcr_content_read(fx.c, "sha256:x", 100, 0, on_chunk, &c, &err), 0);
    CHECK_STR(c.data, "abcdefgh");
    CHECK_INT(c.n, 3);
    CHECK_INT(c.offsets[0], 100);
    CHECK_INT(c.offsets[1], 103);
    CHECK_INT(c.offsets[2], 106);
    /* The callback stops the read. */
    chunks early = { "", { 0 }, 0, 2 };
    CHECK_INT(wcr_content_read(fx.c, "sha256:x", 0, 0, on_chunk, &early, &err), 0);
    CHECK_STR(early.data, "abcdef");
    /* A gap in the data is refused. */
    chunks gap = { "", { 0 }, 0, 0 };
    CHECK_INT(wcr_content_read(fx.c, "gap", 0, 0, on_chunk, &gap, &err), -1);
    CHECK_INT(err.code, WCR_E_PROTO);
    CHECK(strncmp(message(&err), "read content gap: ", 18) == 0);
    CHECK_INT(gap.n, 1);
    wcr_err_dispose(&err);
    stop(&fx);
}

static int on_event(void *ud, const wcr_event *ev, wcr_err *err)
{
    int *seen = ud;
    (*seen)++;
    if (strcmp(ev->topic, "/tasks/exit") == 0)
        return 1;
    if (!ev->event.type_url || strcmp(ev->ns, "default") != 0)
        return wcr_err_set(err, WCR_E_PROTO, "bad event");
    return 0;
}

static int fail_event(void *ud, const wcr_event *ev, wcr_err *err)
{
    (void)ud;
    (void)ev;
    return wcr_err_set(err, WCR_E_INVALID, "callback says no");
}

TEST(subscribe_delivers_events_until_the_callback_stops)
{
    fixture fx;
    REQUIRE(start(&fx));
    wcr_err err = WCR_ERR_INIT;
    int seen = 0;
    const char *filters[] = { "topic~=\"/tasks/\"" };
    CHECK_INT(wcr_events_subscribe(fx.c, filters, 1, on_event, &seen, &err), 0);
    CHECK_INT(seen, 2);
    CHECK_INT(wcr_events_subscribe(fx.c, NULL, 0, fail_event, NULL, &err), -1);
    CHECK_INT(err.code, WCR_E_INVALID);
    CHECK_STR(message(&err), "events: callback says no");
    wcr_err_dispose(&err);
    stop(&fx);
}

TEST(container_list_gathers_the_stream_and_wait_has_no_deadline)
{
    fixture fx;
    REQUIRE(start(&fx));
    wcr_err err = WCR_ERR_INIT;
    wcr_containers l = { 0 };
    CHECK_INT(wcr_containers_list(fx.c, NULL, 0, &l, &err), 0);
    REQUIRE(l.n == 2);
    CHECK_STR(l.items[0].id, "c1");
    CHECK_STR(l.items[1].id, "c2");
    wcr_containers_dispose(&l);
    wcr_task_exit e = { 0 };
    CHECK_INT(wcr_tasks_wait(fx.c, "ctr-1", NULL, &e, &err), 0);
    CHECK_INT(e.exit_status, 3);
    wcr_task_exit_dispose(&e);
    CHECK_INT(wcr_tasks_wait(fx.c, "ctr-1", NULL, NULL, &err), 0);
    wcr_err_dispose(&err);
    stop(&fx);
}

TEST_MAIN()
