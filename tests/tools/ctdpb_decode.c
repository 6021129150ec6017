/* ctdpb's responses: each message decoded with wcr's own decoder and the
 * resulting struct printed whole (unset fields too) in a fixed indented
 * form: strings quoted with \ooo escapes, timestamps as seconds.nanos. */
#include <inttypes.h>
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
#include "ctdpb.h"

/* --- printing ---------------------------------------------------------------------- */

static int depth;

static void indent(void)
{
    for (int i = 0; i < depth; i++)
        fputs("  ", stdout);
}

/* Quoted, with \", \\, \n, \t and other control and non-ASCII bytes as
 * \ooo, so the output is plain ASCII. */
static void quoted(const void *data, size_t len)
{
    const unsigned char *p = data;
    putchar('"');
    for (size_t i = 0; i < len; i++) {
        if (p[i] == '"' || p[i] == '\\')
            printf("\\%c", p[i]);
        else if (p[i] == '\n')
            fputs("\\n", stdout);
        else if (p[i] < 0x20 || p[i] >= 0x7f)
            printf("\\%03o", p[i]);
        else
            putchar(p[i]);
    }
    putchar('"');
}

static void p_str(const char *name, const char *s)
{
    indent();
    printf("%s: ", name);
    if (s)
        quoted(s, strlen(s));
    else
        fputs("null", stdout);
    putchar('\n');
}

static void p_int(const char *name, long long v)
{
    indent();
    printf("%s: %lld\n", name, v);
}

static void p_uint(const char *name, unsigned long long v)
{
    indent();
    printf("%s: %llu\n", name, v);
}

static void p_bool(const char *name, bool v)
{
    indent();
    printf("%s: %s\n", name, v ? "true" : "false");
}

static void p_ts(const char *name, const wcr_pb_timestamp *ts)
{
    indent();
    printf("%s: %" PRId64 ".%09" PRId32 "\n", name, ts->seconds, ts->nanos);
}

static void p_open(const char *name)
{
    indent();
    printf("%s {\n", name);
    depth++;
}

static void p_close(void)
{
    depth--;
    indent();
    puts("}");
}

static void p_labels(const char *name, const wcr_labels *l)
{
    p_open(name);
    for (size_t i = 0; i < l->n; i++) {
        indent();
        quoted(l->keys[i], strlen(l->keys[i]));
        fputs(": ", stdout);
        quoted(l->values[i], strlen(l->values[i]));
        putchar('\n');
    }
    p_close();
}

static void p_strv(const char *name, const wcr_strv *s)
{
    p_open(name);
    for (size_t i = 0; i < s->n; i++)
        p_str("-", s->v[i]);
    p_close();
}

static void p_any(const char *name, const wcr_ctd_any *a)
{
    if (!a->type_url) {
        indent();
        printf("%s: unset\n", name);
        return;
    }
    p_open(name);
    p_str("type_url", a->type_url);
    indent();
    fputs("value: ", stdout);
    quoted(a->value, a->len);
    putchar('\n');
    p_close();
}

static void p_any_map(const char *name, const wcr_ctd_any_map *m)
{
    p_open(name);
    for (size_t i = 0; i < m->n; i++) {
        indent();
        quoted(m->keys[i], strlen(m->keys[i]));
        putchar('\n');
        depth++;
        p_any("value", &m->values[i]);
        depth--;
    }
    p_close();
}

static void p_descriptor(const char *name, const wcr_ctd_descriptor *d)
{
    p_open(name);
    p_str("media_type", d->media_type);
    p_str("digest", d->digest);
    p_int("size", d->size);
    p_labels("annotations", &d->annotations);
    p_close();
}

static void p_namespace(const wcr_namespace *ns)
{
    p_open("namespace");
    p_str("name", ns->name);
    p_labels("labels", &ns->labels);
    p_close();
}

static void p_lease(const wcr_lease *l)
{
    p_open("lease");
    p_str("id", l->id);
    p_ts("created_at", &l->created_at);
    p_labels("labels", &l->labels);
    p_close();
}

static void p_blob_info(const wcr_blob_info *i)
{
    p_open("info");
    p_str("digest", i->digest);
    p_int("size", i->size);
    p_ts("created_at", &i->created_at);
    p_ts("updated_at", &i->updated_at);
    p_labels("labels", &i->labels);
    p_close();
}

static void p_status(const wcr_ingest_status *s)
{
    p_open("status");
    p_ts("started_at", &s->started_at);
    p_ts("updated_at", &s->updated_at);
    p_str("ref", s->ref);
    p_int("offset", s->offset);
    p_int("total", s->total);
    p_str("expected", s->expected);
    p_close();
}

static void p_image(const wcr_image *im)
{
    p_open("image");
    p_str("name", im->name);
    p_labels("labels", &im->labels);
    p_descriptor("target", &im->target);
    p_ts("created_at", &im->created_at);
    p_ts("updated_at", &im->updated_at);
    p_close();
}

static void p_container(const wcr_container *ct)
{
    p_open("container");
    p_str("id", ct->id);
    p_labels("labels", &ct->labels);
    p_str("image", ct->image);
    p_str("runtime_name", ct->runtime_name);
    p_any("runtime_options", &ct->runtime_options);
    p_any("spec", &ct->spec);
    p_str("snapshotter", ct->snapshotter);
    p_str("snapshot_key", ct->snapshot_key);
    p_ts("created_at", &ct->created_at);
    p_ts("updated_at", &ct->updated_at);
    p_any_map("extensions", &ct->extensions);
    p_str("sandbox", ct->sandbox);
    p_close();
}

static void p_process(const wcr_task_process *p)
{
    p_open("process");
    p_str("container_id", p->container_id);
    p_str("id", p->id);
    p_uint("pid", p->pid);
    indent();
    printf("status: %d (%s)\n", p->status, wcr_task_status_name(p->status));
    p_str("stdin_path", p->stdin_path);
    p_str("stdout_path", p->stdout_path);
    p_str("stderr_path", p->stderr_path);
    p_bool("terminal", p->terminal);
    p_uint("exit_status", p->exit_status);
    p_ts("exited_at", &p->exited_at);
    p_close();
}

static void p_exit(const wcr_task_exit *e)
{
    p_open("exit");
    p_str("id", e->id);
    p_uint("pid", e->pid);
    p_uint("exit_status", e->exit_status);
    p_ts("exited_at", &e->exited_at);
    p_close();
}

static void p_plugin(const wcr_plugin *p)
{
    p_open("plugin");
    p_str("type", p->type);
    p_str("id", p->id);
    p_strv("requires", &p->requires);
    p_open("platforms");
    for (size_t i = 0; i < p->platforms.n; i++) {
        const wcr_ctd_platform *pl = &p->platforms.items[i];
        p_open("platform");
        p_str("os", pl->os);
        p_str("architecture", pl->architecture);
        p_str("variant", pl->variant);
        p_str("os_version", pl->os_version);
        p_strv("os_features", &pl->os_features);
        p_close();
    }
    p_close();
    p_labels("exports", &p->exports);
    p_strv("capabilities", &p->capabilities);
    p_bool("failed", p->failed);
    p_int("init_err_code", p->init_err_code);
    p_str("init_err_message", p->init_err_message);
    p_close();
}

/* --- responses --------------------------------------------------------------------- */

static int dec_namespace(const void *d, size_t n, wcr_err *err)
{
    wcr_namespace ns = { 0 };
    if (wcr_namespaces_decode_namespace(d, n, &ns, err) < 0)
        return -1;
    p_namespace(&ns);
    wcr_namespace_dispose(&ns);
    return 0;
}

static int dec_namespaces(const void *d, size_t n, wcr_err *err)
{
    wcr_namespaces l = { 0 };
    if (wcr_namespaces_decode_list(d, n, &l, err) < 0)
        return -1;
    for (size_t i = 0; i < l.n; i++)
        p_namespace(&l.items[i]);
    wcr_namespaces_dispose(&l);
    return 0;
}

static int dec_lease(const void *d, size_t n, wcr_err *err)
{
    wcr_lease l = { 0 };
    if (wcr_leases_decode_create(d, n, &l, err) < 0)
        return -1;
    p_lease(&l);
    wcr_lease_dispose(&l);
    return 0;
}

static int dec_leases(const void *d, size_t n, wcr_err *err)
{
    wcr_leases l = { 0 };
    if (wcr_leases_decode_list(d, n, &l, err) < 0)
        return -1;
    for (size_t i = 0; i < l.n; i++)
        p_lease(&l.items[i]);
    wcr_leases_dispose(&l);
    return 0;
}

static int dec_blob_info(const void *d, size_t n, wcr_err *err)
{
    wcr_blob_info i = { 0 };
    if (wcr_content_decode_info(d, n, &i, err) < 0)
        return -1;
    p_blob_info(&i);
    wcr_blob_info_dispose(&i);
    return 0;
}

static int dec_blob_infos(const void *d, size_t n, wcr_err *err)
{
    wcr_blob_infos l = { 0 };
    int rc = wcr_content_decode_list(d, n, &l, err);
    for (size_t i = 0; rc == 0 && i < l.n; i++)
        p_blob_info(&l.items[i]);
    wcr_blob_infos_dispose(&l);
    return rc;
}

static int dec_read(const void *d, size_t n, wcr_err *err)
{
    int64_t offset;
    const uint8_t *data;
    size_t len;
    if (wcr_content_decode_read(d, n, &offset, &data, &len, err) < 0)
        return -1;
    p_int("offset", offset);
    indent();
    fputs("data: ", stdout);
    quoted(data, len);
    putchar('\n');
    return 0;
}

static int dec_status(const void *d, size_t n, wcr_err *err)
{
    wcr_ingest_status s = { 0 };
    if (wcr_content_decode_status(d, n, &s, err) < 0)
        return -1;
    p_status(&s);
    wcr_ingest_status_dispose(&s);
    return 0;
}

static int dec_statuses(const void *d, size_t n, wcr_err *err)
{
    wcr_ingest_statuses l = { 0 };
    if (wcr_content_decode_statuses(d, n, &l, err) < 0)
        return -1;
    for (size_t i = 0; i < l.n; i++)
        p_status(&l.items[i]);
    wcr_ingest_statuses_dispose(&l);
    return 0;
}

static int dec_write(const void *d, size_t n, wcr_err *err)
{
    wcr_write_response r = { 0 };
    if (wcr_content_decode_write(d, n, &r, err) < 0)
        return -1;
    p_int("action", r.action);
    p_ts("started_at", &r.started_at);
    p_ts("updated_at", &r.updated_at);
    p_int("offset", r.offset);
    p_int("total", r.total);
    p_str("digest", r.digest);
    wcr_write_response_dispose(&r);
    return 0;
}

static int dec_image(const void *d, size_t n, wcr_err *err)
{
    wcr_image im = { 0 };
    if (wcr_images_decode_image(d, n, &im, err) < 0)
        return -1;
    p_image(&im);
    wcr_image_dispose(&im);
    return 0;
}

static int dec_images(const void *d, size_t n, wcr_err *err)
{
    wcr_images l = { 0 };
    if (wcr_images_decode_list(d, n, &l, err) < 0)
        return -1;
    for (size_t i = 0; i < l.n; i++)
        p_image(&l.items[i]);
    wcr_images_dispose(&l);
    return 0;
}

static int dec_apply(const void *d, size_t n, wcr_err *err)
{
    wcr_ctd_descriptor desc = { 0 };
    if (wcr_diff_decode_apply(d, n, &desc, err) < 0)
        return -1;
    p_descriptor("applied", &desc);
    wcr_ctd_descriptor_dispose(&desc);
    return 0;
}

static int dec_container(const void *d, size_t n, wcr_err *err)
{
    wcr_container ct = { 0 };
    if (wcr_containers_decode_container(d, n, &ct, err) < 0)
        return -1;
    p_container(&ct);
    wcr_container_dispose(&ct);
    return 0;
}

static int dec_containers(const void *d, size_t n, wcr_err *err)
{
    wcr_containers l = { 0 };
    int rc = wcr_containers_decode_list(d, n, &l, err);
    for (size_t i = 0; rc == 0 && i < l.n; i++)
        p_container(&l.items[i]);
    wcr_containers_dispose(&l);
    return rc;
}

static int dec_task_create(const void *d, size_t n, wcr_err *err)
{
    char *id = NULL;
    uint32_t pid = 0;
    if (wcr_tasks_decode_create(d, n, &id, &pid, err) < 0)
        return -1;
    p_str("container_id", id);
    p_uint("pid", pid);
    free(id);
    return 0;
}

static int dec_task_start(const void *d, size_t n, wcr_err *err)
{
    uint32_t pid = 0;
    if (wcr_tasks_decode_start(d, n, &pid, err) < 0)
        return -1;
    p_uint("pid", pid);
    return 0;
}

static int dec_task_delete(const void *d, size_t n, wcr_err *err)
{
    wcr_task_exit e = { 0 };
    if (wcr_tasks_decode_delete(d, n, &e, err) < 0)
        return -1;
    p_exit(&e);
    wcr_task_exit_dispose(&e);
    return 0;
}

static int dec_task_wait(const void *d, size_t n, wcr_err *err)
{
    wcr_task_exit e = { 0 };
    if (wcr_tasks_decode_wait(d, n, &e, err) < 0)
        return -1;
    p_exit(&e);
    wcr_task_exit_dispose(&e);
    return 0;
}

static int dec_task_get(const void *d, size_t n, wcr_err *err)
{
    wcr_task_process p = { 0 };
    if (wcr_tasks_decode_get(d, n, &p, err) < 0)
        return -1;
    p_process(&p);
    wcr_task_process_dispose(&p);
    return 0;
}

static int dec_task_list(const void *d, size_t n, wcr_err *err)
{
    wcr_task_processes l = { 0 };
    if (wcr_tasks_decode_list(d, n, &l, err) < 0)
        return -1;
    for (size_t i = 0; i < l.n; i++)
        p_process(&l.items[i]);
    wcr_task_processes_dispose(&l);
    return 0;
}

static int dec_plugins(const void *d, size_t n, wcr_err *err)
{
    wcr_plugins l = { 0 };
    if (wcr_introspection_decode_plugins(d, n, &l, err) < 0)
        return -1;
    for (size_t i = 0; i < l.n; i++)
        p_plugin(&l.items[i]);
    wcr_plugins_dispose(&l);
    return 0;
}

static int dec_server(const void *d, size_t n, wcr_err *err)
{
    wcr_ctd_server_info s = { 0 };
    if (wcr_introspection_decode_server(d, n, &s, err) < 0)
        return -1;
    p_str("uuid", s.uuid);
    p_uint("pid", s.pid);
    p_uint("pidns", s.pidns);
    for (size_t i = 0; i < s.deprecations.n; i++) {
        const wcr_deprecation *dp = &s.deprecations.items[i];
        p_open("deprecation");
        p_str("id", dp->id);
        p_str("message", dp->message);
        p_ts("last_occurrence", &dp->last_occurrence);
        p_close();
    }
    wcr_ctd_server_info_dispose(&s);
    return 0;
}

static int dec_envelope(const void *d, size_t n, wcr_err *err)
{
    wcr_event ev = { { 0, 0 }, NULL, NULL, { NULL, NULL, 0 } };
    if (wcr_events_decode_envelope(d, n, &ev, err) < 0)
        return -1;
    p_ts("timestamp", &ev.timestamp);
    p_str("namespace", ev.ns);
    p_str("topic", ev.topic);
    p_any("event", &ev.event);
    wcr_event_dispose(&ev);
    return 0;
}

/* --- the table -------------------------------------------------------------------- */

const ctdpb_response ctdpb_responses[] = {
    { "namespaces.GetNamespaceResponse", PKG_NS "GetNamespaceResponse", FILE_NS, dec_namespace },
    { "namespaces.ListNamespacesResponse", PKG_NS "ListNamespacesResponse", FILE_NS,
      dec_namespaces },
    { "namespaces.CreateNamespaceResponse", PKG_NS "CreateNamespaceResponse", FILE_NS,
      dec_namespace },
    { "namespaces.UpdateNamespaceResponse", PKG_NS "UpdateNamespaceResponse", FILE_NS,
      dec_namespace },

    { "leases.CreateResponse", PKG_LS "CreateResponse", FILE_LS, dec_lease },
    { "leases.ListResponse", PKG_LS "ListResponse", FILE_LS, dec_leases },

    { "content.InfoResponse", PKG_CT "InfoResponse", FILE_CT, dec_blob_info },
    { "content.UpdateResponse", PKG_CT "UpdateResponse", FILE_CT, dec_blob_info },
    { "content.ListContentResponse", PKG_CT "ListContentResponse", FILE_CT, dec_blob_infos },
    { "content.ReadContentResponse", PKG_CT "ReadContentResponse", FILE_CT, dec_read },
    { "content.StatusResponse", PKG_CT "StatusResponse", FILE_CT, dec_status },
    { "content.ListStatusesResponse", PKG_CT "ListStatusesResponse", FILE_CT, dec_statuses },
    { "content.WriteContentResponse", PKG_CT "WriteContentResponse", FILE_CT, dec_write },

    { "images.GetImageResponse", PKG_IM "GetImageResponse", FILE_IM, dec_image },
    { "images.ListImagesResponse", PKG_IM "ListImagesResponse", FILE_IM, dec_images },
    { "images.CreateImageResponse", PKG_IM "CreateImageResponse", FILE_IM, dec_image },
    { "images.UpdateImageResponse", PKG_IM "UpdateImageResponse", FILE_IM, dec_image },

    { "diff.ApplyResponse", PKG_DF "ApplyResponse", FILE_DF, dec_apply },

    { "containers.GetContainerResponse", PKG_CO "GetContainerResponse", FILE_CO, dec_container },
    { "containers.ListContainersResponse", PKG_CO "ListContainersResponse", FILE_CO,
      dec_containers },
    { "containers.ListContainerMessage", PKG_CO "ListContainerMessage", FILE_CO, dec_containers },
    { "containers.CreateContainerResponse", PKG_CO "CreateContainerResponse", FILE_CO,
      dec_container },
    { "containers.UpdateContainerResponse", PKG_CO "UpdateContainerResponse", FILE_CO,
      dec_container },

    { "tasks.CreateTaskResponse", PKG_TK "CreateTaskResponse", FILE_TK, dec_task_create },
    { "tasks.StartResponse", PKG_TK "StartResponse", FILE_TK, dec_task_start },
    { "tasks.DeleteResponse", PKG_TK "DeleteResponse", FILE_TK, dec_task_delete },
    { "tasks.GetResponse", PKG_TK "GetResponse", FILE_TK, dec_task_get },
    { "tasks.ListTasksResponse", PKG_TK "ListTasksResponse", FILE_TK, dec_task_list },
    { "tasks.WaitResponse", PKG_TK "WaitResponse", FILE_TK, dec_task_wait },

    { "introspection.PluginsResponse", PKG_IN "PluginsResponse", FILE_IN, dec_plugins },
    { "introspection.ServerResponse", PKG_IN "ServerResponse", FILE_IN, dec_server },

    { "events.Envelope", PKG_EV "Envelope", FILE_EV, dec_envelope },

    /* Fields of containerd 1.7 and 2.x, which 1.6's .proto files lack. */
    { "ctd2x.GetContainerResponse", PKG_X2 "GetContainerResponse", FILE_X2, dec_container },
    { "ctd2x.PluginsResponse", PKG_X2 "PluginsResponse", FILE_X2, dec_plugins },
    { "ctd2x.ServerResponse", PKG_X2 "ServerResponse", FILE_X2, dec_server },
};

const size_t ctdpb_nresponses = CTDPB_COUNT(ctdpb_responses);
