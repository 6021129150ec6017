/* Tests of the containerd message codecs (src/containerd/types.c and the
 * service files): round trips, input cut at every byte, wrong wire types,
 * unknown fields, merging. tests/tools/ctd-oracle.sh holds the same codecs
 * against protoc and containerd's .proto files. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "containerd/containers.h"
#include "containerd/content.h"
#include "containerd/diff.h"
#include "containerd/events.h"
#include "containerd/images.h"
#include "containerd/introspection.h"
#include "containerd/leases.h"
#include "containerd/namespaces.h"
#include "containerd/tasks.h"
#include "core/str.h"
#include "test.h"

/* --- helpers -------------------------------------------------------------------- */

#define DG "sha256:abababababababababababababababababababababababababababababababab"

static wcr_buf newbuf(void)
{
    return (wcr_buf)WCR_BUF_INIT("test message", WCR_BUF_NO_LIMIT);
}

static bool all_zero(const void *p, size_t n)
{
    const unsigned char *c = p;
    for (size_t i = 0; i < n; i++)
        if (c[i])
            return false;
    return true;
}

/* Fields of every wire type no containerd message uses, a group among
 * them: what a newer containerd might send. */
static void put_unknown(wcr_buf *b)
{
    wcr_pb_put_uint64(b, 90, 12345);
    wcr_pb_put_fixed64(b, 91, 1);
    wcr_pb_put_string(b, 92, "from the future");
    wcr_pb_put_fixed32(b, 93, 7);
    wcr_pb_put_tag(b, 94, WCR_PB_SGROUP);
    wcr_pb_put_uint32(b, 1, 5);
    wcr_pb_put_tag(b, 94, WCR_PB_EGROUP);
    size_t m = wcr_pb_begin(b, 95);
    wcr_pb_put_string(b, 1, "nested");
    wcr_pb_end(b, m);
}

/* Wrap a message as field 1 of another (GetXResponse {X x = 1}). */
static wcr_buf wrap1(const wcr_buf *inner)
{
    wcr_buf b = newbuf();
    wcr_pb_put_bytes(&b, 1, inner->data, inner->len);
    return b;
}

static void sample_image(wcr_image *im)
{
    im->name = wcr_strdup("docker.io/library/busybox:latest");
    wcr_labels_set(&im->labels, "b", "2", NULL);
    wcr_labels_set(&im->labels, "a", "1", NULL);
    wcr_ctd_descriptor_set(&im->target, "application/vnd.oci.image.index.v1+json", DG, 4321, NULL);
    wcr_labels_set(&im->target.annotations, "k", "v", NULL);
    im->created_at = (wcr_pb_timestamp){ 1600000000, 5 };
    im->updated_at = (wcr_pb_timestamp){ 1600000001, 999999999 };
}

static void check_same_image(const wcr_image *a, const wcr_image *b)
{
    CHECK_STR(a->name, b->name);
    CHECK_INT(a->labels.n, b->labels.n);
    for (size_t i = 0; i < a->labels.n; i++)
        CHECK_STR(wcr_labels_get(&b->labels, a->labels.keys[i]), a->labels.values[i]);
    CHECK_STR(a->target.media_type, b->target.media_type);
    CHECK_STR(a->target.digest, b->target.digest);
    CHECK_INT(a->target.size, b->target.size);
    CHECK_STR(wcr_labels_get(&b->target.annotations, "k"), "v");
    CHECK_INT(a->created_at.seconds, b->created_at.seconds);
    CHECK_INT(a->created_at.nanos, b->created_at.nanos);
    CHECK_INT(a->updated_at.seconds, b->updated_at.seconds);
    CHECK_INT(a->updated_at.nanos, b->updated_at.nanos);
}

static void sample_container(wcr_container *ct)
{
    ct->id = wcr_strdup("c1");
    wcr_labels_set(&ct->labels, "x", "y", NULL);
    ct->image = wcr_strdup("img");
    ct->runtime_name = wcr_strdup("io.containerd.runhcs.v1");
    wcr_ctd_any_set(&ct->runtime_options, "t/opts", "\x01\x00\x02", 3, NULL);
    wcr_ctd_any_set(&ct->spec, WCR_CTD_SPEC_TYPE_URL, "{}", 2, NULL);
    ct->snapshotter = wcr_strdup("windows");
    ct->snapshot_key = wcr_strdup("c1-key");
    ct->created_at = (wcr_pb_timestamp){ 1, 2 };
    ct->updated_at = (wcr_pb_timestamp){ 3, 4 };
    wcr_ctd_any_map_set(&ct->extensions, "ext/b", "t/b", "B", 1, NULL);
    wcr_ctd_any_map_set(&ct->extensions, "ext/a", "t/a", NULL, 0, NULL);
    ct->sandbox = wcr_strdup("sb");
}

/* A decoder under test: decode data into a fresh struct, check that a
 * failure leaves it all zero (nothing allocated), free it. */
typedef int (*try_fn)(const void *data, size_t len, wcr_err *err);

#define DEFINE_TRY(name, type, decode, dispose)                                \
    static int name(const void *data, size_t len, wcr_err *err)                \
    {                                                                          \
        type v;                                                                \
        memset(&v, 0, sizeof v);                                               \
        int rc = decode(data, len, &v, err);                                   \
        if (rc < 0 && !all_zero(&v, sizeof v))                                 \
            test_fail(__FILE__, __LINE__, "%s left data behind", #decode);     \
        dispose(&v);                                                           \
        return rc;                                                             \
    }

DEFINE_TRY(try_image, wcr_image, wcr_images_decode_image, wcr_image_dispose)
DEFINE_TRY(try_images, wcr_images, wcr_images_decode_list, wcr_images_dispose)
DEFINE_TRY(try_container, wcr_container, wcr_containers_decode_container, wcr_container_dispose)
DEFINE_TRY(try_namespaces, wcr_namespaces, wcr_namespaces_decode_list, wcr_namespaces_dispose)
DEFINE_TRY(try_lease, wcr_lease, wcr_leases_decode_create, wcr_lease_dispose)
DEFINE_TRY(try_blob_info, wcr_blob_info, wcr_content_decode_info, wcr_blob_info_dispose)
DEFINE_TRY(try_statuses, wcr_ingest_statuses, wcr_content_decode_statuses,
           wcr_ingest_statuses_dispose)
DEFINE_TRY(try_write, wcr_write_response, wcr_content_decode_write, wcr_write_response_dispose)
DEFINE_TRY(try_process, wcr_task_process, wcr_tasks_decode_get, wcr_task_process_dispose)
DEFINE_TRY(try_processes, wcr_task_processes, wcr_tasks_decode_list, wcr_task_processes_dispose)
DEFINE_TRY(try_exit, wcr_task_exit, wcr_tasks_decode_delete, wcr_task_exit_dispose)
DEFINE_TRY(try_plugins, wcr_plugins, wcr_introspection_decode_plugins, wcr_plugins_dispose)
DEFINE_TRY(try_server, wcr_ctd_server_info, wcr_introspection_decode_server,
           wcr_ctd_server_info_dispose)
DEFINE_TRY(try_event, wcr_event, wcr_events_decode_envelope, wcr_event_dispose)
DEFINE_TRY(try_applied, wcr_ctd_descriptor, wcr_diff_decode_apply, wcr_ctd_descriptor_dispose)

/* Every prefix of a valid message must decode when it ends on a
 * top-level field boundary (a shorter valid message) and fail otherwise,
 * cleanly. */
static void check_cuts(const char *file, int line, try_fn fn, const wcr_buf *msg)
{
    wcr_err err = WCR_ERR_INIT;
    if (fn(msg->data, msg->len, &err) != 0) {
        char *m = wcr_err_format(&err, false);
        test_fail(file, line, "the whole message fails: %s", m ? m : "?");
        free(m);
    }
    bool *boundary = calloc(msg->len + 1, sizeof *boundary);
    wcr_pb_reader r;
    wcr_pb_field f;
    wcr_pb_reader_init(&r, msg->data, msg->len);
    boundary[0] = true;
    while (wcr_pb_next(&r, &f, NULL) > 0)
        boundary[(size_t)(r.p - (const uint8_t *)msg->data)] = true;
    for (size_t cut = 0; cut < msg->len; cut++) {
        wcr_err_dispose(&err);
        int rc = fn(msg->data, cut, &err);
        if (boundary[cut] ? rc != 0 : rc != -1)
            test_fail(file, line, "cut at %zu of %zu: rc %d", cut, msg->len, rc);
        else if (rc < 0 && err.code != WCR_E_PARSE)
            test_fail(file, line, "cut at %zu: error code %s", cut, wcr_err_code_name(err.code));
    }
    free(boundary);
    wcr_err_dispose(&err);
}

#define CHECK_CUTS(fn, msg) check_cuts(__FILE__, __LINE__, (fn), (msg))

/* The decoder fails on data with WCR_E_PARSE and a message that contains
 * `text`. */
static void check_bad(const char *file, int line, try_fn fn, const wcr_buf *msg,
                      const char *text)
{
    wcr_err err = WCR_ERR_INIT;
    int rc = fn(msg->data, msg->len, &err);
    char *m = wcr_err_format(&err, false);
    if (rc != -1 || err.code != WCR_E_PARSE || !m || !strstr(m, text))
        test_fail(file, line, "rc %d, code %s, message \"%s\" (want \"%s\")", rc,
                  wcr_err_code_name(err.code), m ? m : "", text);
    free(m);
    wcr_err_dispose(&err);
}

#define CHECK_BAD(fn, msg, text) check_bad(__FILE__, __LINE__, (fn), (msg), (text))

/* --- round trips ------------------------------------------------------------------- */

TEST(image_survives_a_round_trip)
{
    /* CreateImageRequest and CreateImageResponse are both {Image image = 1}. */
    wcr_image in = { 0 }, out = { 0 };
    wcr_buf b = newbuf();
    sample_image(&in);
    wcr_images_encode_create(&b, &in);
    wcr_err err = WCR_ERR_INIT;
    REQUIRE(wcr_images_decode_image(b.data, b.len, &out, &err) == 0);
    check_same_image(&in, &out);
    CHECK_CUTS(try_image, &b);
    wcr_image_dispose(&in);
    wcr_image_dispose(&out);
    wcr_buf_dispose(&b);
}

TEST(container_survives_a_round_trip)
{
    wcr_container in = { 0 }, out = { 0 };
    wcr_buf b = newbuf();
    sample_container(&in);
    wcr_containers_encode_create(&b, &in);
    wcr_err err = WCR_ERR_INIT;
    REQUIRE(wcr_containers_decode_container(b.data, b.len, &out, &err) == 0);
    CHECK_STR(out.id, "c1");
    CHECK_STR(wcr_labels_get(&out.labels, "x"), "y");
    CHECK_STR(out.image, "img");
    CHECK_STR(out.runtime_name, "io.containerd.runhcs.v1");
    CHECK_STR(out.runtime_options.type_url, "t/opts");
    CHECK_MEM(out.runtime_options.value, out.runtime_options.len, "\x01\x00\x02", 3);
    CHECK_STR(out.spec.type_url, WCR_CTD_SPEC_TYPE_URL);
    CHECK_MEM(out.spec.value, out.spec.len, "{}", 2);
    CHECK_STR(out.snapshotter, "windows");
    CHECK_STR(out.snapshot_key, "c1-key");
    CHECK_INT(out.created_at.nanos, 2);
    CHECK_INT(out.updated_at.seconds, 3);
    CHECK_INT(out.extensions.n, 2);
    const wcr_ctd_any *a = wcr_ctd_any_map_get(&out.extensions, "ext/a");
    const wcr_ctd_any *e = wcr_ctd_any_map_get(&out.extensions, "ext/b");
    REQUIRE(a && e);
    CHECK_STR(a->type_url, "t/a");
    CHECK_INT(a->len, 0);
    CHECK_STR(e->type_url, "t/b");
    CHECK_MEM(e->value, e->len, "B", 1);
    CHECK_STR(out.sandbox, "sb");
    CHECK_CUTS(try_container, &b);
    wcr_container_dispose(&in);
    wcr_container_dispose(&out);
    wcr_buf_dispose(&b);
}

TEST(unset_any_and_runtime_are_left_out)
{
    wcr_container ct = { 0 };
    ct.id = wcr_strdup("c");
    wcr_buf b = newbuf();
    wcr_containers_encode_create(&b, &ct);
    /* container { id: "c" } and nothing else */
    CHECK_MEM(b.data, b.len, "\x0a\x03\x0a\x01" "c", 5);
    wcr_container out = { 0 };
    REQUIRE(wcr_containers_decode_container(b.data, b.len, &out, NULL) == 0);
    CHECK(out.spec.type_url == NULL);
    CHECK(out.runtime_options.type_url == NULL);
    CHECK(out.runtime_name == NULL);
    wcr_container_dispose(&out);
    wcr_container_dispose(&ct);
    wcr_buf_dispose(&b);
}

TEST(lease_and_namespace_survive_a_round_trip)
{
    wcr_labels l = { 0 };
    wcr_labels_set(&l, "containerd.io/gc.expire", "2030-01-01T00:00:00Z", NULL);
    /* CreateRequest {id = 1, labels = 3} has the numbering of Lease. */
    wcr_buf req = newbuf();
    wcr_leases_encode_create(&req, "lease-1", &l);
    wcr_buf resp = wrap1(&req);
    wcr_lease lease = { 0 };
    REQUIRE(wcr_leases_decode_create(resp.data, resp.len, &lease, NULL) == 0);
    CHECK_STR(lease.id, "lease-1");
    CHECK_STR(wcr_labels_get(&lease.labels, "containerd.io/gc.expire"), "2030-01-01T00:00:00Z");
    CHECK_CUTS(try_lease, &resp);
    wcr_lease_dispose(&lease);

    wcr_buf ns = newbuf();
    wcr_namespaces_encode_create(&ns, "wcr", &l);
    wcr_namespace got = { 0 };
    REQUIRE(wcr_namespaces_decode_namespace(ns.data, ns.len, &got, NULL) == 0);
    CHECK_STR(got.name, "wcr");
    CHECK_INT(got.labels.n, 1);
    wcr_namespace_dispose(&got);
    wcr_labels_dispose(&l);
    wcr_buf_dispose(&req);
    wcr_buf_dispose(&resp);
    wcr_buf_dispose(&ns);
}

TEST(blob_info_round_trips_and_the_mask_is_skipped)
{
    /* UpdateRequest {info = 1, update_mask = 2} read as UpdateResponse
     * {info = 1}: the mask is an unknown field there. */
    wcr_blob_info in = { wcr_strdup(DG), 77, { 10, 0 }, { 20, 0 }, { 0 } };
    wcr_labels_set(&in.labels, "containerd.io/gc.ref.content.l.0", DG, NULL);
    const char *paths[] = { "labels.containerd.io/gc.ref.content.l.0" };
    wcr_buf b = newbuf();
    wcr_content_encode_update(&b, &in, paths, 1);
    wcr_blob_info out = { 0 };
    REQUIRE(wcr_content_decode_info(b.data, b.len, &out, NULL) == 0);
    CHECK_STR(out.digest, DG);
    CHECK_INT(out.size, 77);
    CHECK_INT(out.created_at.seconds, 10);
    CHECK_INT(out.updated_at.seconds, 20);
    CHECK_STR(wcr_labels_get(&out.labels, "containerd.io/gc.ref.content.l.0"), DG);
    CHECK_CUTS(try_blob_info, &b);
    wcr_blob_info_dispose(&in);
    wcr_blob_info_dispose(&out);
    wcr_buf_dispose(&b);
}

TEST(descriptor_round_trips_through_apply)
{
    /* ApplyRequest's diff = 1 read as ApplyResponse's applied = 1; mounts
     * (2) and payloads (3) are skipped. */
    wcr_ctd_descriptor d = { 0 }, out = { 0 };
    wcr_mounts m = { 0 };
    wcr_ctd_any_map payloads = { 0 };
    wcr_ctd_descriptor_set(&d, "application/vnd.oci.image.layer.v1.tar", DG, 1 << 20, NULL);
    wcr_labels_set(&d.annotations, "a", "b", NULL);
    const char *opts[] = { "ro" };
    wcr_mounts_push(&m, "windows-layer", "C:\\x", "", opts, 1, NULL);
    wcr_ctd_any_map_set(&payloads, "p", "t/p", "v", 1, NULL);
    wcr_buf b = newbuf();
    wcr_diff_encode_apply(&b, &d, &m, &payloads);
    REQUIRE(wcr_diff_decode_apply(b.data, b.len, &out, NULL) == 0);
    CHECK_STR(out.media_type, d.media_type);
    CHECK_STR(out.digest, DG);
    CHECK_INT(out.size, 1 << 20);
    CHECK_STR(wcr_labels_get(&out.annotations, "a"), "b");
    CHECK_CUTS(try_applied, &b);
    wcr_ctd_descriptor_dispose(&d);
    wcr_ctd_descriptor_dispose(&out);
    wcr_mounts_dispose(&m);
    wcr_ctd_any_map_dispose(&payloads);
    wcr_buf_dispose(&b);
}

TEST(mounts_and_any_maps_survive_a_round_trip)
{
    wcr_mounts in = { 0 }, out = { 0 };
    const char *opts[] = { "rw", "parentLayerPaths=[]" };
    wcr_mounts_push(&in, "windows-layer", "C:\\l\\2", "", opts, 2, NULL);
    wcr_mounts_push(&in, "bind", "/a", "/b", NULL, 0, NULL);
    wcr_buf b = newbuf();
    wcr_mounts_put(&b, 2, &in);
    wcr_pb_reader r;
    wcr_pb_field f;
    wcr_pb_reader_init(&r, b.data, b.len);
    while (wcr_pb_next(&r, &f, NULL) > 0)
        REQUIRE(wcr_mounts_add(&out, &f, NULL) == 0);
    REQUIRE(out.n == 2);
    CHECK_STR(out.items[0].type, "windows-layer");
    CHECK_STR(out.items[0].source, "C:\\l\\2");
    CHECK(out.items[0].target == NULL);
    CHECK_INT(out.items[0].noptions, 2);
    CHECK_STR(out.items[0].options[1], "parentLayerPaths=[]");
    CHECK_STR(out.items[1].target, "/b");
    CHECK_INT(out.items[1].noptions, 0);

    wcr_ctd_any_map m = { 0 }, back = { 0 };
    wcr_ctd_any_map_set(&m, "z", "t/z", "1", 1, NULL);
    wcr_ctd_any_map_set(&m, "a", "t/a", "22", 2, NULL);
    wcr_ctd_any_map_set(&m, "z", "t/z2", "333", 3, NULL); /* replaces */
    CHECK_INT(m.n, 2);
    wcr_buf_reset(&b);
    wcr_ctd_any_map_put(&b, 10, &m);
    wcr_pb_reader_init(&r, b.data, b.len);
    while (wcr_pb_next(&r, &f, NULL) > 0)
        REQUIRE(wcr_ctd_any_map_add_entry(&back, &f, NULL) == 0);
    REQUIRE(back.n == 2);
    /* Written in key order. */
    CHECK_STR(back.keys[0], "a");
    CHECK_STR(back.values[1].type_url, "t/z2");
    CHECK_MEM(back.values[1].value, back.values[1].len, "333", 3);
    CHECK(wcr_ctd_any_map_get(&back, "nope") == NULL);
    wcr_ctd_any_map_dispose(&m);
    wcr_ctd_any_map_dispose(&back);
    wcr_mounts_dispose(&in);
    wcr_mounts_dispose(&out);
    wcr_buf_dispose(&b);
}

TEST(labels_are_written_in_key_order)
{
    wcr_labels a = { 0 }, b = { 0 };
    wcr_labels_set(&a, "b", "2", NULL);
    wcr_labels_set(&a, "a", "1", NULL);
    wcr_labels_set(&a, "c", "3", NULL);
    wcr_labels_set(&b, "c", "3", NULL);
    wcr_labels_set(&b, "a", "1", NULL);
    wcr_labels_set(&b, "b", "2", NULL);
    wcr_buf x = newbuf(), y = newbuf();
    wcr_labels_put(&x, 7, &a);
    wcr_labels_put(&y, 7, &b);
    CHECK_MEM(x.data, x.len, y.data, y.len);
    CHECK_MEM(x.data, 8, "\x3a\x06\x0a\x01" "a" "\x12\x01" "1", 8);
    wcr_labels_dispose(&a);
    wcr_labels_dispose(&b);
    wcr_buf_dispose(&x);
    wcr_buf_dispose(&y);
}

/* --- hand-built responses --------------------------------------------------------- */

/* A Process with every field, as containerd sends it. */
static void put_process(wcr_buf *b, uint32_t field, const char *id, int status)
{
    size_t m = wcr_pb_begin(b, field);
    wcr_pb_put_string(b, 1, "ctr");
    wcr_pb_put_string(b, 2, id);
    wcr_pb_put_uint32(b, 3, 4242);
    wcr_pb_put_enum(b, 4, status);
    wcr_pb_put_string(b, 5, "in");
    wcr_pb_put_string(b, 6, "out");
    wcr_pb_put_string(b, 7, "err");
    wcr_pb_put_bool(b, 8, true);
    wcr_pb_put_uint32(b, 9, 0xC000013Au);
    wcr_pb_timestamp ts = { 1700000000, 1 };
    wcr_pb_put_timestamp(b, 10, &ts);
    wcr_pb_end(b, m);
}

TEST(process_reads_every_field)
{
    wcr_buf b = newbuf();
    put_process(&b, 1, "exec-1", WCR_TASK_STOPPED);
    wcr_task_process p = { 0 };
    REQUIRE(wcr_tasks_decode_get(b.data, b.len, &p, NULL) == 0);
    CHECK_STR(p.container_id, "ctr");
    CHECK_STR(p.id, "exec-1");
    CHECK_INT(p.pid, 4242);
    CHECK_INT(p.status, WCR_TASK_STOPPED);
    CHECK_STR(wcr_task_status_name(p.status), "STOPPED");
    CHECK_STR(p.stdin_path, "in");
    CHECK_STR(p.stdout_path, "out");
    CHECK_STR(p.stderr_path, "err");
    CHECK(p.terminal);
    CHECK_INT(p.exit_status, 0xC000013Au);
    CHECK_INT(p.exited_at.nanos, 1);
    CHECK_CUTS(try_process, &b);
    wcr_task_process_dispose(&p);

    /* A list, with a status no version defines yet (enums are open). */
    wcr_buf_reset(&b);
    put_process(&b, 1, "a", WCR_TASK_RUNNING);
    put_process(&b, 1, "b", 42);
    wcr_task_processes l = { 0 };
    REQUIRE(wcr_tasks_decode_list(b.data, b.len, &l, NULL) == 0);
    REQUIRE(l.n == 2);
    CHECK_STR(l.items[1].id, "b");
    CHECK_INT(l.items[1].status, 42);
    CHECK_STR(wcr_task_status_name(42), "UNKNOWN");
    CHECK_CUTS(try_processes, &b);
    wcr_task_processes_dispose(&l);
    wcr_buf_dispose(&b);
}

TEST(delete_and_wait_responses_use_their_own_numbers)
{
    wcr_buf b = newbuf();
    wcr_pb_timestamp ts = { 5, 6 };
    wcr_pb_put_string(&b, 1, "exec-1");
    wcr_pb_put_uint32(&b, 2, 99);
    wcr_pb_put_uint32(&b, 3, 137);
    wcr_pb_put_timestamp(&b, 4, &ts);
    wcr_task_exit e = { 0 };
    REQUIRE(wcr_tasks_decode_delete(b.data, b.len, &e, NULL) == 0);
    CHECK_STR(e.id, "exec-1");
    CHECK_INT(e.pid, 99);
    CHECK_INT(e.exit_status, 137);
    CHECK_INT(e.exited_at.nanos, 6);
    CHECK_CUTS(try_exit, &b);
    wcr_task_exit_dispose(&e);

    wcr_buf_reset(&b);
    wcr_pb_put_uint32(&b, 1, 3);
    wcr_pb_put_timestamp(&b, 2, &ts);
    REQUIRE(wcr_tasks_decode_wait(b.data, b.len, &e, NULL) == 0);
    CHECK(e.id == NULL);
    CHECK_INT(e.exit_status, 3);
    CHECK_INT(e.exited_at.seconds, 5);
    wcr_task_exit_dispose(&e);

    /* CreateTaskResponse and StartResponse. */
    wcr_buf_reset(&b);
    wcr_pb_put_string(&b, 1, "ctr");
    wcr_pb_put_uint32(&b, 2, 7);
    char *id = NULL;
    uint32_t pid = 0;
    REQUIRE(wcr_tasks_decode_create(b.data, b.len, &id, &pid, NULL) == 0);
    CHECK_STR(id, "ctr");
    CHECK_INT(pid, 7);
    free(id);
    wcr_buf_reset(&b);
    wcr_pb_put_uint32(&b, 1, 8);
    REQUIRE(wcr_tasks_decode_start(b.data, b.len, &pid, NULL) == 0);
    CHECK_INT(pid, 8);
    wcr_buf_dispose(&b);
}

static void put_plugin(wcr_buf *b, bool failed)
{
    size_t m = wcr_pb_begin(b, 1);
    wcr_pb_put_string(b, 1, "io.containerd.snapshotter.v1");
    wcr_pb_put_string(b, 2, "windows");
    wcr_pb_put_string(b, 3, "io.containerd.content.v1");
    size_t p = wcr_pb_begin(b, 4);
    wcr_pb_put_string(b, 1, "windows");
    wcr_pb_put_string(b, 2, "amd64");
    wcr_pb_put_string(b, 4, "10.0.20348");
    wcr_pb_put_string(b, 5, "win32k");
    wcr_pb_end(b, p);
    wcr_pb_put_map_string(b, 5, "root", "C:\\root");
    wcr_pb_put_string(b, 6, "remap-ids");
    if (failed) {
        size_t s = wcr_pb_begin(b, 7);
        wcr_pb_put_int32(b, 1, 2);
        wcr_pb_put_string(b, 2, "no such thing");
        wcr_pb_put_any(b, 3, "t/detail", "x", 1);
        wcr_pb_end(b, s);
    }
    wcr_pb_end(b, m);
}

TEST(plugins_and_server_info_are_read)
{
    wcr_buf b = newbuf();
    put_plugin(&b, false);
    put_plugin(&b, true);
    wcr_plugins l = { 0 };
    REQUIRE(wcr_introspection_decode_plugins(b.data, b.len, &l, NULL) == 0);
    REQUIRE(l.n == 2);
    CHECK_STR(l.items[0].id, "windows");
    CHECK_STR(l.items[0].requires.v[0], "io.containerd.content.v1");
    REQUIRE(l.items[0].platforms.n == 1);
    CHECK_STR(l.items[0].platforms.items[0].os_version, "10.0.20348");
    CHECK_STR(l.items[0].platforms.items[0].os_features.v[0], "win32k");
    CHECK_STR(wcr_labels_get(&l.items[0].exports, "root"), "C:\\root");
    CHECK_STR(l.items[0].capabilities.v[0], "remap-ids");
    CHECK(!l.items[0].failed);
    CHECK(l.items[1].failed);
    CHECK_INT(l.items[1].init_err_code, 2);
    CHECK_STR(l.items[1].init_err_message, "no such thing");
    CHECK_CUTS(try_plugins, &b);
    wcr_plugins_dispose(&l);

    /* 1.6 sends the uuid alone; 1.7 adds pid, pidns, deprecations. */
    wcr_buf_reset(&b);
    wcr_pb_put_string(&b, 1, "uuid-1");
    wcr_pb_put_uint64(&b, 2, 10);
    wcr_pb_put_uint64(&b, 3, 4026531836u);
    size_t d = wcr_pb_begin(&b, 4);
    wcr_pb_put_string(&b, 1, "io.containerd.deprecation/x");
    wcr_pb_put_string(&b, 2, "x is going away");
    wcr_pb_end(&b, d);
    wcr_ctd_server_info s = { 0 };
    REQUIRE(wcr_introspection_decode_server(b.data, b.len, &s, NULL) == 0);
    CHECK_STR(s.uuid, "uuid-1");
    CHECK_INT(s.pid, 10);
    CHECK_INT(s.pidns, 4026531836u);
    REQUIRE(s.deprecations.n == 1);
    CHECK_STR(s.deprecations.items[0].message, "x is going away");
    CHECK_CUTS(try_server, &b);
    wcr_ctd_server_info_dispose(&s);
    wcr_buf_dispose(&b);
}

TEST(content_responses_are_read)
{
    /* ReadContentResponse: the data is borrowed from the message. */
    wcr_buf b = newbuf();
    wcr_pb_put_int64(&b, 1, 65536);
    wcr_pb_put_bytes(&b, 2, "\x00\xff", 2);
    int64_t off = -1;
    const uint8_t *data = NULL;
    size_t len = 0;
    REQUIRE(wcr_content_decode_read(b.data, b.len, &off, &data, &len, NULL) == 0);
    CHECK_INT(off, 65536);
    CHECK_MEM(data, len, "\x00\xff", 2);
    CHECK(data > (const uint8_t *)b.data && data < (const uint8_t *)b.data + b.len);

    /* WriteContentResponse. */
    wcr_buf_reset(&b);
    wcr_pb_timestamp ts = { 9, 9 };
    wcr_pb_put_enum(&b, 1, WCR_WRITE_COMMIT);
    wcr_pb_put_timestamp(&b, 2, &ts);
    wcr_pb_put_timestamp(&b, 3, &ts);
    wcr_pb_put_int64(&b, 4, 100);
    wcr_pb_put_int64(&b, 5, 100);
    wcr_pb_put_string(&b, 6, DG);
    wcr_write_response w = { 0 };
    REQUIRE(wcr_content_decode_write(b.data, b.len, &w, NULL) == 0);
    CHECK_INT(w.action, WCR_WRITE_COMMIT);
    CHECK_INT(w.offset, 100);
    CHECK_INT(w.total, 100);
    CHECK_STR(w.digest, DG);
    CHECK_CUTS(try_write, &b);
    wcr_write_response_dispose(&w);

    /* ListStatusesResponse. */
    wcr_buf_reset(&b);
    for (int i = 0; i < 2; i++) {
        size_t m = wcr_pb_begin(&b, 1);
        wcr_pb_put_timestamp(&b, 1, &ts);
        wcr_pb_put_string(&b, 3, i ? "ref-2" : "ref-1");
        wcr_pb_put_int64(&b, 4, 10 * i);
        wcr_pb_put_int64(&b, 5, 20);
        wcr_pb_put_string(&b, 6, DG);
        wcr_pb_end(&b, m);
    }
    wcr_ingest_statuses st = { 0 };
    REQUIRE(wcr_content_decode_statuses(b.data, b.len, &st, NULL) == 0);
    REQUIRE(st.n == 2);
    CHECK_STR(st.items[1].ref, "ref-2");
    CHECK_INT(st.items[1].offset, 10);
    CHECK_STR(st.items[0].expected, DG);
    CHECK_CUTS(try_statuses, &b);
    wcr_ingest_statuses_dispose(&st);
    wcr_buf_dispose(&b);
}

TEST(write_requests_leave_out_defaults)
{
    /* The STAT that opens a write: ref and nothing else. */
    wcr_write_request req = { WCR_WRITE_STAT, "r", 0, NULL, 0, NULL, 0, NULL };
    wcr_buf b = newbuf();
    wcr_content_encode_write(&b, &req);
    CHECK_MEM(b.data, b.len, "\x12\x01r", 3);
    /* A WRITE at offset 3 with 2 bytes. */
    wcr_buf_reset(&b);
    wcr_write_request w = { WCR_WRITE_WRITE, NULL, 0, NULL, 3, "ab", 2, NULL };
    wcr_content_encode_write(&b, &w);
    CHECK_MEM(b.data, b.len, "\x08\x01\x28\x03\x32\x02" "ab", 8);
    wcr_buf_dispose(&b);
}

TEST(event_envelope_is_read)
{
    wcr_buf b = newbuf();
    wcr_pb_timestamp ts = { 1700000000, 0 };
    wcr_pb_put_timestamp(&b, 1, &ts);
    wcr_pb_put_string(&b, 2, "default");
    wcr_pb_put_string(&b, 3, "/tasks/exit");
    wcr_pb_put_any(&b, 4, "containerd.events.TaskExit", "\x0a\x01x", 3);
    wcr_event ev = { { 0, 0 }, NULL, NULL, { NULL, NULL, 0 } };
    REQUIRE(wcr_events_decode_envelope(b.data, b.len, &ev, NULL) == 0);
    CHECK_INT(ev.timestamp.seconds, 1700000000);
    CHECK_STR(ev.ns, "default");
    CHECK_STR(ev.topic, "/tasks/exit");
    CHECK_STR(ev.event.type_url, "containerd.events.TaskExit");
    CHECK_MEM(ev.event.value, ev.event.len, "\x0a\x01x", 3);
    CHECK_CUTS(try_event, &b);
    wcr_event_dispose(&ev);
    wcr_buf_dispose(&b);
}

/* --- robustness ----------------------------------------------------------------------- */

TEST(unknown_fields_are_skipped_at_every_level)
{
    /* An image with unknown fields before, inside and after everything:
     * in the response, in Image, in its Descriptor, in a label entry and
     * in the timestamp. */
    wcr_buf b = newbuf();
    put_unknown(&b);
    size_t m = wcr_pb_begin(&b, 1);
    put_unknown(&b);
    wcr_pb_put_string(&b, 1, "img");
    size_t e = wcr_pb_begin(&b, 2);
    wcr_pb_put_string(&b, 1, "k");
    put_unknown(&b);
    wcr_pb_put_string(&b, 2, "v");
    wcr_pb_end(&b, e);
    size_t t = wcr_pb_begin(&b, 3);
    put_unknown(&b);
    wcr_pb_put_string(&b, 2, DG);
    wcr_pb_put_int64(&b, 3, 5);
    wcr_pb_end(&b, t);
    size_t ts = wcr_pb_begin(&b, 7);
    wcr_pb_put_int64(&b, 1, 1000);
    put_unknown(&b);
    wcr_pb_end(&b, ts);
    wcr_pb_put_string(&b, 4, "field 4 is unused in every version");
    put_unknown(&b);
    wcr_pb_end(&b, m);
    put_unknown(&b);

    wcr_image im = { 0 };
    wcr_err err = WCR_ERR_INIT;
    REQUIRE(wcr_images_decode_image(b.data, b.len, &im, &err) == 0);
    CHECK_STR(im.name, "img");
    CHECK_STR(wcr_labels_get(&im.labels, "k"), "v");
    CHECK_STR(im.target.digest, DG);
    CHECK_INT(im.target.size, 5);
    CHECK_INT(im.created_at.seconds, 1000);
    CHECK_CUTS(try_image, &b);
    wcr_image_dispose(&im);
    wcr_err_dispose(&err);
    wcr_buf_dispose(&b);
}

TEST(a_message_field_sent_twice_is_merged)
{
    /* protobuf merges repeated occurrences of a message field. */
    wcr_buf b = newbuf();
    size_t m = wcr_pb_begin(&b, 1);
    wcr_pb_put_string(&b, 1, "first");
    wcr_pb_put_map_string(&b, 2, "a", "1");
    wcr_pb_end(&b, m);
    m = wcr_pb_begin(&b, 1);
    wcr_pb_put_string(&b, 1, "second");
    wcr_pb_put_map_string(&b, 2, "b", "2");
    wcr_pb_end(&b, m);
    wcr_image im = { 0 };
    REQUIRE(wcr_images_decode_image(b.data, b.len, &im, NULL) == 0);
    CHECK_STR(im.name, "second");
    CHECK_STR(wcr_labels_get(&im.labels, "a"), "1");
    CHECK_STR(wcr_labels_get(&im.labels, "b"), "2");
    wcr_image_dispose(&im);
    wcr_buf_dispose(&b);
}

TEST(wrong_wire_types_are_errors_that_say_where)
{
    wcr_buf b = newbuf();
    /* Image.name as a varint. */
    size_t m = wcr_pb_begin(&b, 1);
    wcr_pb_put_uint32(&b, 1, 5);
    wcr_pb_end(&b, m);
    CHECK_BAD(try_image, &b, "image: protobuf: field 1");

    /* Descriptor.size as a string, inside the image's target. */
    wcr_buf_reset(&b);
    m = wcr_pb_begin(&b, 1);
    size_t t = wcr_pb_begin(&b, 3);
    wcr_pb_put_string(&b, 3, "12");
    wcr_pb_end(&b, t);
    wcr_pb_end(&b, m);
    CHECK_BAD(try_image, &b, "image: descriptor: protobuf: field 3");

    /* The response's image field as a fixed32. */
    wcr_buf_reset(&b);
    wcr_pb_put_fixed32(&b, 1, 1);
    CHECK_BAD(try_image, &b, "image: protobuf: field 1");

    /* A label entry as a varint; a label value as a varint. */
    wcr_buf_reset(&b);
    m = wcr_pb_begin(&b, 1);
    wcr_pb_put_uint32(&b, 2, 1);
    wcr_pb_end(&b, m);
    CHECK_BAD(try_image, &b, "field 2");
    wcr_buf_reset(&b);
    m = wcr_pb_begin(&b, 1);
    size_t e = wcr_pb_begin(&b, 2);
    wcr_pb_put_string(&b, 1, "k");
    wcr_pb_put_uint32(&b, 2, 1);
    wcr_pb_end(&b, e);
    wcr_pb_end(&b, m);
    CHECK_BAD(try_image, &b, "image");

    /* Process.pid as bytes; Process.status as a string. */
    wcr_buf_reset(&b);
    m = wcr_pb_begin(&b, 1);
    wcr_pb_put_string(&b, 3, "4242");
    wcr_pb_end(&b, m);
    CHECK_BAD(try_process, &b, "process: protobuf: field 3");
    wcr_buf_reset(&b);
    m = wcr_pb_begin(&b, 1);
    wcr_pb_put_string(&b, 4, "RUNNING");
    wcr_pb_end(&b, m);
    CHECK_BAD(try_process, &b, "field 4");

    /* A timestamp as a varint; a container's spec Any as a varint. */
    wcr_buf_reset(&b);
    wcr_pb_put_uint64(&b, 4, 1700000000);
    CHECK_BAD(try_exit, &b, "field 4");
    wcr_buf_reset(&b);
    m = wcr_pb_begin(&b, 1);
    wcr_pb_put_uint32(&b, 5, 1);
    wcr_pb_end(&b, m);
    CHECK_BAD(try_container, &b, "container");

    /* Container.Runtime.name as a fixed64; an extension value that is not
     * a message. */
    wcr_buf_reset(&b);
    m = wcr_pb_begin(&b, 1);
    size_t rt = wcr_pb_begin(&b, 4);
    wcr_pb_put_fixed64(&b, 1, 1);
    wcr_pb_end(&b, rt);
    wcr_pb_end(&b, m);
    CHECK_BAD(try_container, &b, "container: runtime");
    wcr_buf_reset(&b);
    m = wcr_pb_begin(&b, 1);
    e = wcr_pb_begin(&b, 10);
    wcr_pb_put_string(&b, 1, "ext");
    wcr_pb_put_uint32(&b, 2, 7);
    wcr_pb_end(&b, e);
    wcr_pb_end(&b, m);
    CHECK_BAD(try_container, &b, "container");

    /* Plugin.init_err.code as a string; Platform.os as a varint. */
    wcr_buf_reset(&b);
    m = wcr_pb_begin(&b, 1);
    size_t s = wcr_pb_begin(&b, 7);
    wcr_pb_put_string(&b, 1, "2");
    wcr_pb_end(&b, s);
    wcr_pb_end(&b, m);
    CHECK_BAD(try_plugins, &b, "plugin: init_err");
    wcr_buf_reset(&b);
    m = wcr_pb_begin(&b, 1);
    s = wcr_pb_begin(&b, 4);
    wcr_pb_put_uint32(&b, 1, 2);
    wcr_pb_end(&b, s);
    wcr_pb_end(&b, m);
    CHECK_BAD(try_plugins, &b, "plugin: platform");

    /* Lists: one bad element spoils the list, and nothing is kept. */
    wcr_buf_reset(&b);
    m = wcr_pb_begin(&b, 1);
    wcr_pb_put_string(&b, 1, "good");
    wcr_pb_end(&b, m);
    m = wcr_pb_begin(&b, 1);
    wcr_pb_put_uint32(&b, 1, 1);
    wcr_pb_end(&b, m);
    CHECK_BAD(try_images, &b, "image");
    CHECK_BAD(try_namespaces, &b, "namespace");

    /* WriteContentResponse.digest as a varint; ServerResponse.pid as a
     * string; Envelope.topic as a fixed32. */
    wcr_buf_reset(&b);
    wcr_pb_put_uint32(&b, 6, 1);
    CHECK_BAD(try_write, &b, "write response");
    wcr_buf_reset(&b);
    wcr_pb_put_string(&b, 2, "10");
    CHECK_BAD(try_server, &b, "ServerResponse");
    wcr_buf_reset(&b);
    wcr_pb_put_fixed32(&b, 3, 1);
    CHECK_BAD(try_event, &b, "event envelope");
    wcr_buf_dispose(&b);
}

TEST(bad_strings_and_timestamps_are_errors)
{
    wcr_buf b = newbuf();
    /* Invalid UTF-8 in a name. */
    size_t m = wcr_pb_begin(&b, 1);
    wcr_pb_put_string_len(&b, 1, "a\xff", 2);
    wcr_pb_end(&b, m);
    CHECK_BAD(try_image, &b, "image");
    /* A NUL inside a C string. */
    wcr_buf_reset(&b);
    m = wcr_pb_begin(&b, 1);
    wcr_pb_put_string_len(&b, 1, "a\0b", 3);
    wcr_pb_end(&b, m);
    CHECK_BAD(try_image, &b, "image");
    /* A NUL inside an Any's type URL. */
    wcr_buf_reset(&b);
    m = wcr_pb_begin(&b, 4);
    wcr_pb_put_string_len(&b, 1, "t\0x", 3);
    wcr_pb_end(&b, m);
    CHECK_BAD(try_event, &b, "type URL");
    /* Nanos out of range. */
    wcr_buf_reset(&b);
    wcr_pb_timestamp ts = { 1, 1000000000 };
    wcr_pb_put_timestamp(&b, 1, &ts);
    CHECK_BAD(try_event, &b, "timestamp");
    wcr_buf_dispose(&b);
}

TEST(every_dispose_accepts_null_and_twice)
{
    wcr_image_dispose(NULL);
    wcr_images_dispose(NULL);
    wcr_container_dispose(NULL);
    wcr_containers_dispose(NULL);
    wcr_namespace_dispose(NULL);
    wcr_namespaces_dispose(NULL);
    wcr_lease_dispose(NULL);
    wcr_leases_dispose(NULL);
    wcr_blob_info_dispose(NULL);
    wcr_blob_infos_dispose(NULL);
    wcr_ingest_status_dispose(NULL);
    wcr_ingest_statuses_dispose(NULL);
    wcr_write_response_dispose(NULL);
    wcr_task_process_dispose(NULL);
    wcr_task_processes_dispose(NULL);
    wcr_task_exit_dispose(NULL);
    wcr_plugin_dispose(NULL);
    wcr_plugins_dispose(NULL);
    wcr_ctd_server_info_dispose(NULL);
    wcr_event_dispose(NULL);
    wcr_ctd_descriptor_dispose(NULL);
    wcr_ctd_platform_dispose(NULL);
    wcr_ctd_platforms_dispose(NULL);
    wcr_ctd_any_dispose(NULL);
    wcr_ctd_any_map_dispose(NULL);
    wcr_content_writer_free(NULL);
    wcr_container ct = { 0 };
    sample_container(&ct);
    wcr_container_dispose(&ct);
    wcr_container_dispose(&ct);
    CHECK(all_zero(&ct, sizeof ct));
}

TEST_MAIN()
