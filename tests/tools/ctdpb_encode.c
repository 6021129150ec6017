/* ctdpb's requests: a fixed, rich sample of each request message, written
 * with wcr's own encoders. The samples set every field wcr sends, with
 * values that name their field, so a wrong field number shows in protoc's
 * output. */
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
#include "ctdpb.h"

/* --- sample values -------------------------------------------------------------- */

#define DIGEST_LAYER "sha256:1111111111111111111111111111111111111111111111111111111111111111"
#define DIGEST_MANIFEST "sha256:2222222222222222222222222222222222222222222222222222222222222222"
#define SPEC_JSON "{\"ociVersion\":\"1.1.0\",\"process\":{\"args\":[\"cmd.exe\"]}}"
#define PROCESS_JSON "{\"args\":[\"ping\",\"-t\",\"localhost\"],\"cwd\":\"C:\\\\\"}"

static const wcr_pb_timestamp created = { 1700000000, 123456789 };
static const wcr_pb_timestamp updated = { 1700000100, 1 };
static const char *const filters[] = { "labels.\"owner\"==wcr", "name~=^docker.io/" };

static void sample_labels(wcr_labels *l)
{
    wcr_labels_set(l, "containerd.io/gc.ref.content.l.0", DIGEST_LAYER, NULL);
    wcr_labels_set(l, "owner", "wcr", NULL);
    wcr_labels_set(l, "note", "spaces, \"quotes\" and caf\xc3\xa9", NULL);
}

/* Two mounts as the Windows snapshotter gives them, options included. */
static void sample_mounts(wcr_mounts *m)
{
    const char *opts[] = { "rw", "parentLayerPaths=[\"C:\\\\layers\\\\1\"]" };
    wcr_mounts_push(m, "windows-layer", "C:\\layers\\2", "", opts, 2, NULL);
    const char *ro[] = { "ro" };
    wcr_mounts_push(m, "bind", "/var/lib/src", "/mnt/target", ro, 1, NULL);
}

static void sample_descriptor(wcr_ctd_descriptor *d)
{
    wcr_ctd_descriptor_set(d, "application/vnd.oci.image.layer.v1.tar+gzip", DIGEST_LAYER,
                           123456789012, NULL);
    wcr_labels_set(&d->annotations, "org.opencontainers.image.title", "layer.tar.gz", NULL);
    wcr_labels_set(&d->annotations, "containerd.io/uncompressed", DIGEST_MANIFEST, NULL);
}

static void sample_image(wcr_image *im)
{
    im->name = wcr_strdup("mcr.microsoft.com/windows/nanoserver:ltsc2022");
    sample_labels(&im->labels);
    wcr_ctd_descriptor_set(&im->target, "application/vnd.oci.image.index.v1+json",
                           DIGEST_MANIFEST, 1234, NULL);
    wcr_labels_set(&im->target.annotations, "io.containerd.image.name", "nanoserver", NULL);
    im->created_at = created;
    im->updated_at = updated;
}

static void sample_container(wcr_container *ct, bool sandbox)
{
    ct->id = wcr_strdup("ctr-1");
    sample_labels(&ct->labels);
    ct->image = wcr_strdup("mcr.microsoft.com/windows/nanoserver:ltsc2022");
    ct->runtime_name = wcr_strdup("io.containerd.runhcs.v1");
    wcr_ctd_any_set(&ct->runtime_options, "type.googleapis.com/runhcs.Options", "\x08\x01", 2,
                    NULL);
    wcr_ctd_any_set(&ct->spec, WCR_CTD_SPEC_TYPE_URL, SPEC_JSON, strlen(SPEC_JSON), NULL);
    ct->snapshotter = wcr_strdup("windows");
    ct->snapshot_key = wcr_strdup("ctr-1-snapshot");
    ct->created_at = created;
    ct->updated_at = updated;
    wcr_ctd_any_map_set(&ct->extensions, "wcr.io/network", "types.wcr.io/Network", "{\"ns\":1}",
                        8, NULL);
    wcr_ctd_any_map_set(&ct->extensions, "a.first/key", "types.wcr.io/Empty", NULL, 0, NULL);
    if (sandbox)
        ct->sandbox = wcr_strdup("sandbox-1");
}

/* --- requests ---------------------------------------------------------------------- */

static void enc_ns_name(wcr_buf *b)
{
    wcr_namespaces_encode_name(b, "wcr-test");
}

static void enc_ns_list(wcr_buf *b)
{
    wcr_namespaces_encode_list(b, filters[0]);
}

static void enc_ns_create(wcr_buf *b)
{
    wcr_labels l = { 0 };
    sample_labels(&l);
    wcr_namespaces_encode_create(b, "wcr-test", &l);
    wcr_labels_dispose(&l);
}

static void enc_ns_update(wcr_buf *b)
{
    wcr_namespace ns = { wcr_strdup("wcr-test"), { 0 } };
    sample_labels(&ns.labels);
    const char *paths[] = { "labels.owner", "labels.note" };
    wcr_namespaces_encode_update(b, &ns, paths, 2);
    wcr_namespace_dispose(&ns);
}

static void enc_lease_create(wcr_buf *b)
{
    wcr_labels l = { 0 };
    sample_labels(&l);
    wcr_leases_encode_create(b, "wcr-pull-1", &l);
    wcr_labels_dispose(&l);
}

static void enc_lease_delete(wcr_buf *b)
{
    wcr_leases_encode_delete(b, "wcr-pull-1", true);
}

static void enc_filters_leases(wcr_buf *b)
{
    wcr_leases_encode_list(b, filters, CTDPB_COUNT(filters));
}

static void enc_content_digest(wcr_buf *b)
{
    wcr_content_encode_key(b, DIGEST_LAYER);
}

static void enc_content_ref(wcr_buf *b)
{
    wcr_content_encode_key(b, "layer-" DIGEST_LAYER);
}

static void enc_content_update(wcr_buf *b)
{
    wcr_blob_info info = { wcr_strdup(DIGEST_LAYER), 123456789012, created, updated, { 0 } };
    sample_labels(&info.labels);
    const char *paths[] = { "labels.containerd.io/gc.ref.content.l.0", "labels.owner" };
    wcr_content_encode_update(b, &info, paths, 2);
    wcr_blob_info_dispose(&info);
}

static void enc_content_filters(wcr_buf *b)
{
    wcr_content_encode_filters(b, filters, CTDPB_COUNT(filters));
}

static void enc_content_read(wcr_buf *b)
{
    wcr_content_encode_read(b, DIGEST_LAYER, 1048576, 4194304);
}

static void enc_content_write(wcr_buf *b)
{
    wcr_labels l = { 0 };
    sample_labels(&l);
    static const uint8_t data[] = { 0x00, 0x01, 0x7f, 0x80, 0xff, 'w', 'c', 'r' };
    wcr_write_request req = { WCR_WRITE_COMMIT, "layer-" DIGEST_LAYER, 123456789012,
                              DIGEST_LAYER, 99999999999, data, sizeof data, &l };
    wcr_content_encode_write(b, &req);
    wcr_labels_dispose(&l);
}

/* The STAT that opens a write: action 0 and offset 0 are left out. */
static void enc_content_write_stat(wcr_buf *b)
{
    wcr_write_request req = { WCR_WRITE_STAT, "layer-" DIGEST_LAYER, 5, NULL, 0, NULL, 0, NULL };
    wcr_content_encode_write(b, &req);
}

static void enc_image_get(wcr_buf *b)
{
    wcr_images_encode_get(b, "mcr.microsoft.com/windows/nanoserver:ltsc2022");
}

static void enc_image_list(wcr_buf *b)
{
    wcr_images_encode_list(b, filters, CTDPB_COUNT(filters));
}

static void enc_image_create(wcr_buf *b)
{
    wcr_image im = { 0 };
    sample_image(&im);
    wcr_images_encode_create(b, &im);
    wcr_image_dispose(&im);
}

static void enc_image_update(wcr_buf *b)
{
    wcr_image im = { 0 };
    sample_image(&im);
    const char *paths[] = { "labels", "target" };
    wcr_images_encode_update(b, &im, paths, 2);
    wcr_image_dispose(&im);
}

static void enc_image_delete(wcr_buf *b)
{
    wcr_images_encode_delete(b, "mcr.microsoft.com/windows/nanoserver:ltsc2022", true);
}

static void enc_diff_apply(wcr_buf *b)
{
    wcr_ctd_descriptor d = { 0 };
    wcr_mounts m = { 0 };
    wcr_ctd_any_map payloads = { 0 };
    sample_descriptor(&d);
    sample_mounts(&m);
    wcr_ctd_any_map_set(&payloads, "io.containerd.processor.v1.pigz", "types.wcr.io/Payload",
                        "\x0a\x03" "abc", 5, NULL);
    wcr_diff_encode_apply(b, &d, &m, &payloads);
    wcr_ctd_descriptor_dispose(&d);
    wcr_mounts_dispose(&m);
    wcr_ctd_any_map_dispose(&payloads);
}

static void enc_ctr_id(wcr_buf *b)
{
    wcr_containers_encode_id(b, "ctr-1");
}

static void enc_ctr_list(wcr_buf *b)
{
    wcr_containers_encode_list(b, filters, CTDPB_COUNT(filters));
}

static void enc_ctr_create(wcr_buf *b)
{
    wcr_container ct = { 0 };
    sample_container(&ct, false);
    wcr_containers_encode_create(b, &ct);
    wcr_container_dispose(&ct);
}

static void enc_ctr_create_sandbox(wcr_buf *b)
{
    wcr_container ct = { 0 };
    sample_container(&ct, true);
    wcr_containers_encode_create(b, &ct);
    wcr_container_dispose(&ct);
}

static void enc_ctr_update(wcr_buf *b)
{
    wcr_container ct = { 0 };
    sample_container(&ct, false);
    const char *paths[] = { "labels", "spec", "extensions" };
    wcr_containers_encode_update(b, &ct, paths, 3);
    wcr_container_dispose(&ct);
}

static void enc_task_create(wcr_buf *b)
{
    wcr_mounts m = { 0 };
    wcr_ctd_any opts = { 0 };
    sample_mounts(&m);
    wcr_ctd_any_set(&opts, "type.googleapis.com/runhcs.Options", "\x10\x02", 2, NULL);
    wcr_task_create_request req = {
        "ctr-1", &m, "\\\\.\\pipe\\wcr-ctr-1-stdin", "\\\\.\\pipe\\wcr-ctr-1-stdout",
        "\\\\.\\pipe\\wcr-ctr-1-stderr", true, &opts, "C:\\Program Files\\containerd\\shim.exe",
    };
    wcr_tasks_encode_create(b, &req);
    wcr_mounts_dispose(&m);
    wcr_ctd_any_dispose(&opts);
}

static void enc_task_start(wcr_buf *b)
{
    wcr_tasks_encode_process(b, "ctr-1", "exec-1");
}

static void enc_task_delete(wcr_buf *b)
{
    wcr_tasks_encode_process(b, "ctr-1", NULL);
}

static void enc_task_list(wcr_buf *b)
{
    wcr_tasks_encode_list(b, "status==running");
}

static void enc_task_kill(wcr_buf *b)
{
    wcr_tasks_encode_kill(b, "ctr-1", "exec-1", 15, true);
}

static void enc_task_exec(wcr_buf *b)
{
    wcr_ctd_any spec = { 0 };
    wcr_ctd_any_set(&spec, WCR_CTD_PROCESS_TYPE_URL, PROCESS_JSON, strlen(PROCESS_JSON), NULL);
    wcr_task_exec_request req = {
        "ctr-1", "exec-1", "\\\\.\\pipe\\exec-1-stdin", "\\\\.\\pipe\\exec-1-stdout",
        "\\\\.\\pipe\\exec-1-stderr", true, &spec,
    };
    wcr_tasks_encode_exec(b, &req);
    wcr_ctd_any_dispose(&spec);
}

static void enc_task_resize(wcr_buf *b)
{
    wcr_tasks_encode_resize_pty(b, "ctr-1", "exec-1", 120, 40);
}

static void enc_task_close_io(wcr_buf *b)
{
    wcr_tasks_encode_close_io(b, "ctr-1", "exec-1", true);
}

static void enc_plugins(wcr_buf *b)
{
    wcr_introspection_encode_plugins(b, filters, CTDPB_COUNT(filters));
}

static void enc_subscribe(wcr_buf *b)
{
    wcr_events_encode_subscribe(b, filters, CTDPB_COUNT(filters));
}

/* --- the table -------------------------------------------------------------------- */

const ctdpb_request ctdpb_requests[] = {
    { "namespaces.GetNamespaceRequest", PKG_NS "GetNamespaceRequest", FILE_NS, enc_ns_name },
    { "namespaces.ListNamespacesRequest", PKG_NS "ListNamespacesRequest", FILE_NS, enc_ns_list },
    { "namespaces.CreateNamespaceRequest", PKG_NS "CreateNamespaceRequest", FILE_NS,
      enc_ns_create },
    { "namespaces.UpdateNamespaceRequest", PKG_NS "UpdateNamespaceRequest", FILE_NS,
      enc_ns_update },
    { "namespaces.DeleteNamespaceRequest", PKG_NS "DeleteNamespaceRequest", FILE_NS, enc_ns_name },

    { "leases.CreateRequest", PKG_LS "CreateRequest", FILE_LS, enc_lease_create },
    { "leases.DeleteRequest", PKG_LS "DeleteRequest", FILE_LS, enc_lease_delete },
    { "leases.ListRequest", PKG_LS "ListRequest", FILE_LS, enc_filters_leases },

    { "content.InfoRequest", PKG_CT "InfoRequest", FILE_CT, enc_content_digest },
    { "content.UpdateRequest", PKG_CT "UpdateRequest", FILE_CT, enc_content_update },
    { "content.ListContentRequest", PKG_CT "ListContentRequest", FILE_CT, enc_content_filters },
    { "content.DeleteContentRequest", PKG_CT "DeleteContentRequest", FILE_CT, enc_content_digest },
    { "content.ReadContentRequest", PKG_CT "ReadContentRequest", FILE_CT, enc_content_read },
    { "content.StatusRequest", PKG_CT "StatusRequest", FILE_CT, enc_content_ref },
    { "content.ListStatusesRequest", PKG_CT "ListStatusesRequest", FILE_CT, enc_content_filters },
    { "content.WriteContentRequest", PKG_CT "WriteContentRequest", FILE_CT, enc_content_write },
    { "content.WriteContentRequest.stat", PKG_CT "WriteContentRequest", FILE_CT,
      enc_content_write_stat },
    { "content.AbortRequest", PKG_CT "AbortRequest", FILE_CT, enc_content_ref },

    { "images.GetImageRequest", PKG_IM "GetImageRequest", FILE_IM, enc_image_get },
    { "images.ListImagesRequest", PKG_IM "ListImagesRequest", FILE_IM, enc_image_list },
    { "images.CreateImageRequest", PKG_IM "CreateImageRequest", FILE_IM, enc_image_create },
    { "images.UpdateImageRequest", PKG_IM "UpdateImageRequest", FILE_IM, enc_image_update },
    { "images.DeleteImageRequest", PKG_IM "DeleteImageRequest", FILE_IM, enc_image_delete },

    { "diff.ApplyRequest", PKG_DF "ApplyRequest", FILE_DF, enc_diff_apply },

    { "containers.GetContainerRequest", PKG_CO "GetContainerRequest", FILE_CO, enc_ctr_id },
    { "containers.ListContainersRequest", PKG_CO "ListContainersRequest", FILE_CO, enc_ctr_list },
    { "containers.CreateContainerRequest", PKG_CO "CreateContainerRequest", FILE_CO,
      enc_ctr_create },
    { "containers.UpdateContainerRequest", PKG_CO "UpdateContainerRequest", FILE_CO,
      enc_ctr_update },
    { "containers.DeleteContainerRequest", PKG_CO "DeleteContainerRequest", FILE_CO, enc_ctr_id },

    { "tasks.CreateTaskRequest", PKG_TK "CreateTaskRequest", FILE_TK, enc_task_create },
    { "tasks.StartRequest", PKG_TK "StartRequest", FILE_TK, enc_task_start },
    { "tasks.DeleteTaskRequest", PKG_TK "DeleteTaskRequest", FILE_TK, enc_task_delete },
    { "tasks.DeleteProcessRequest", PKG_TK "DeleteProcessRequest", FILE_TK, enc_task_start },
    { "tasks.GetRequest", PKG_TK "GetRequest", FILE_TK, enc_task_start },
    { "tasks.ListTasksRequest", PKG_TK "ListTasksRequest", FILE_TK, enc_task_list },
    { "tasks.KillRequest", PKG_TK "KillRequest", FILE_TK, enc_task_kill },
    { "tasks.ExecProcessRequest", PKG_TK "ExecProcessRequest", FILE_TK, enc_task_exec },
    { "tasks.ResizePtyRequest", PKG_TK "ResizePtyRequest", FILE_TK, enc_task_resize },
    { "tasks.CloseIORequest", PKG_TK "CloseIORequest", FILE_TK, enc_task_close_io },
    { "tasks.WaitRequest", PKG_TK "WaitRequest", FILE_TK, enc_task_start },

    { "introspection.PluginsRequest", PKG_IN "PluginsRequest", FILE_IN, enc_plugins },

    { "events.SubscribeRequest", PKG_EV "SubscribeRequest", FILE_EV, enc_subscribe },

    /* Fields of containerd 1.7 and 2.x, which 1.6's .proto files lack. */
    { "ctd2x.CreateContainerRequest", PKG_X2 "CreateContainerRequest", FILE_X2,
      enc_ctr_create_sandbox },
};

const size_t ctdpb_nrequests = CTDPB_COUNT(ctdpb_requests);
