/* The run pipeline (see run.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "containerd/containers.h"
#include "containerd/leases.h"
#include "containerd/snapshots.h"
#include "containerd/tasks.h"
#include "core/log.h"
#include "core/str.h"
#include "core/timefmt.h"
#include "image/local.h"
#include "run/cleanup.h"
#include "run/logs.h"
#include "run/manage.h"
#include "run/rootfs.h"
#include "run/run.h"
#include "run/session.h"

#define SPEC_TYPE_URL "types.containerd.io/opencontainers/runtime-spec/1/Spec"
#define LEASE_EXPIRY_SECONDS 3600
#define INTERRUPTS_BEFORE_KILL 3

struct wcr_run {
    wcr_ctd *c;
    const wcr_run_options *o;
    char id[80];
    const char *snapshotter;
    wcr_local_image img;
    bool have_img;
    wcr_cleanup cleanup;
    int undo_task, undo_container, undo_snapshot;
    char *lease;
    wcr_mounts mounts;
    wcr_buf spec_json;
    wcr_session session;
    bool have_session;
    char *log_path;

    wcr_os_mutex *mu;      /* guards what signals touch */
    wcr_pull *pulling;
    bool started, cancelled;
    int interrupts;
};

/* ---- undo steps ------------------------------------------------------------ */

static void undo_lease(void *ctx, void *arg)
{
    wcr_run *r = ctx;
    (void)arg;
    wcr_ctd_set_lease(r->c, NULL, NULL);
    wcr_leases_delete(r->c, r->lease, false, NULL);
}

static void undo_snapshot(void *ctx, void *arg)
{
    wcr_run *r = ctx;
    (void)arg;
    wcr_snapshots_remove(r->c, r->snapshotter, r->id, NULL);
}

static void undo_container(void *ctx, void *arg)
{
    wcr_run *r = ctx;
    (void)arg;
    wcr_containers_delete(r->c, r->id, NULL);
}

static void undo_task(void *ctx, void *arg)
{
    wcr_run *r = ctx;
    (void)arg;
    wcr_task_exit ex = { 0 };
    wcr_tasks_kill(r->c, r->id, NULL, 9, true, NULL);
    /* The task must have stopped before containerd deletes it. */
    for (int i = 0; i < 100; i++) {
        wcr_err e = WCR_ERR_INIT;
        int rc = wcr_tasks_delete(r->c, r->id, &ex, &e);
        bool again = rc < 0 && e.code != WCR_E_NOT_FOUND;
        wcr_err_dispose(&e);
        wcr_task_exit_dispose(&ex);
        if (!again)
            break;
        wcr_os_sleep_ms(50);
    }
}

static void undo_stdio(void *ctx, void *arg)
{
    wcr_run *r = ctx;
    (void)arg;
    wcr_session_close(&r->session);
    r->have_session = false;
}

/* ---- steps ---------------------------------------------------------------------- */

wcr_run *wcr_run_new(wcr_ctd *c, const wcr_run_options *o, wcr_err *err)
{
    wcr_run *r = calloc(1, sizeof *r);
    if (!r || !(r->mu = wcr_os_mutex_new(err))) {
        if (r)
            free(r);
        else
            wcr_err_set(err, WCR_E_NOMEM, "run: out of memory");
        return NULL;
    }
    r->c = c;
    r->o = o;
    r->snapshotter = o->snapshotter && o->snapshotter[0] ? o->snapshotter : wcr_os_default_snapshotter();
    r->undo_task = r->undo_container = r->undo_snapshot = -1;
    wcr_buf_init(&r->spec_json, "runtime spec", (size_t)16 << 20);
    wcr_cleanup_init(&r->cleanup, r);
    return r;
}

const char *wcr_run_id(const wcr_run *r)
{
    return r->id;
}

static bool cancelled(wcr_run *r)
{
    wcr_os_mutex_lock(r->mu);
    bool c = r->cancelled;
    wcr_os_mutex_unlock(r->mu);
    return c;
}

static int pull_image(wcr_run *r, wcr_err *err)
{
    wcr_pull_options po = r->o->pull_opts ? *r->o->pull_opts : (wcr_pull_options)WCR_PULL_OPTIONS_INIT;
    po.ref = r->o->image;
    po.snapshotter = r->snapshotter;
    char plat[WCR_PLATFORM_STRLEN];
    if (r->o->platform) {
        wcr_platform_format(r->o->platform, plat, sizeof plat);
        po.platform = plat;
    }
    po.isolation = r->o->spec ? r->o->spec->isolation : WCR_ISOLATION_DEFAULT;
    wcr_pull *p = wcr_pull_new(r->c, &po, err);
    if (!p)
        return -1;
    wcr_os_mutex_lock(r->mu);
    r->pulling = p;
    bool stop = r->cancelled;
    wcr_os_mutex_unlock(r->mu);
    if (stop)
        wcr_pull_cancel(p);
    wcr_pull_result res = { 0 };
    int rc = wcr_pull_run(p, &res, err);
    wcr_os_mutex_lock(r->mu);
    r->pulling = NULL;
    wcr_os_mutex_unlock(r->mu);
    wcr_pull_result_dispose(&res);
    wcr_pull_free(p);
    return rc;
}

/* The image, pulled as the policy says, unpacked for our snapshotter. */
static int resolve_image(wcr_run *r, wcr_err *err)
{
    wcr_isolation iso = r->o->spec ? r->o->spec->isolation : WCR_ISOLATION_DEFAULT;
    if (r->o->pull == WCR_PULL_ALWAYS && pull_image(r, err) < 0)
        return -1;
    wcr_err e = WCR_ERR_INIT;
    int rc = wcr_local_image_load(r->c, r->o->image, r->o->platform, iso, &r->img, &e);
    if (rc < 0 && e.code == WCR_E_NOT_FOUND && r->o->pull == WCR_PULL_MISSING) {
        wcr_err_dispose(&e);
        if (pull_image(r, err) < 0)
            return -1;
        rc = wcr_local_image_load(r->c, r->o->image, r->o->platform, iso, &r->img, &e);
    }
    if (rc < 0) {
        wcr_err_move(err, &e);
        if (err && err->code == WCR_E_NOT_FOUND && r->o->pull == WCR_PULL_NEVER)
            wcr_err_hint(err, "pull it first, or leave out --pull never");
        return -1;
    }
    r->have_img = true;
    if (strcmp(r->img.config.platform.os, wcr_os_name()) != 0)
        return wcr_err_set(err, WCR_E_PLATFORM, "%s is a %s image; wcr runs on %s and cannot run it",
                           r->img.name, r->img.config.platform.os, wcr_os_name());
    if (!wcr_local_image_unpacked(r->c, &r->img, r->snapshotter, NULL) &&
        wcr_local_image_unpack(r->c, &r->img, r->snapshotter, err) < 0)
        return -1;
    return 0;
}

static int choose_id(wcr_run *r, wcr_err *err)
{
    if (r->o->name && r->o->name[0]) {
        snprintf(r->id, sizeof r->id, "%s", r->o->name);
        return 0;
    }
    unsigned char b[6];
    if (wcr_os_random(b, sizeof b, err) < 0)
        return -1;
    snprintf(r->id, sizeof r->id, "%02x%02x%02x%02x%02x%02x", b[0], b[1], b[2], b[3], b[4], b[5]);
    return 0;
}

static int take_lease(wcr_run *r, wcr_err *err)
{
    r->lease = wcr_asprintf("wcr-run-%s", r->id);
    int64_t now;
    int32_t nanos;
    wcr_os_wall_time(&now, &nanos);
    char expire[WCR_TIME_TEXT_MAX], owner[24];
    wcr_time_format(now + LEASE_EXPIRY_SECONDS, 0, expire);
    snprintf(owner, sizeof owner, "%lu", wcr_os_pid());
    wcr_labels l = { 0 };
    int rc = r->lease ? wcr_labels_set(&l, "containerd.io/gc.expire", expire, err)
                      : wcr_err_set(err, WCR_E_NOMEM, "out of memory");
    if (rc == 0)
        rc = wcr_labels_set(&l, WCR_LABEL_OWNER, owner, err);
    if (rc == 0)
        rc = wcr_leases_create(r->c, r->lease, &l, NULL, err);
    wcr_labels_dispose(&l);
    if (rc < 0)
        return -1;
    if (wcr_cleanup_push(&r->cleanup, undo_lease, NULL, "delete the lease", err) < 0)
        return -1;
    return wcr_ctd_set_lease(r->c, r->lease, err);
}

static int check_name_free(wcr_run *r, wcr_err *err)
{
    wcr_container ct = { 0 };
    wcr_err e = WCR_ERR_INIT;
    int rc = wcr_containers_get(r->c, r->id, &ct, &e);
    wcr_container_dispose(&ct);
    if (rc == 0) {
        wcr_err_dispose(&e);
        wcr_err_set(err, WCR_E_EXISTS, "the name %s is taken by another container", r->id);
        return wcr_err_hint(err, "remove it with wcr rm %s, or choose another --name", r->id);
    }
    if (e.code != WCR_E_NOT_FOUND) {
        wcr_err_move(err, &e);
        return -1;
    }
    wcr_err_dispose(&e);
    return 0;
}

/* A bind from a missing host path would fail deep in the runtime with an
 * errno text; say which one, before anything is created. */
static int check_binds(wcr_run *r, wcr_err *err)
{
    const wcr_spec_input *in = r->o->spec;
    if (!in || strcmp(r->img.config.platform.os, wcr_os_name()) != 0)
        return 0;
    for (size_t i = 0; i < in->n_binds; i++) {
        const char *src = in->binds[i].source;
        if (src && !wcr_str_starts_with(src, "\\\\.\\pipe\\") && !wcr_os_path_exists(src))
            return wcr_err_set(err, WCR_E_NOT_FOUND, "bind mount %s:%s: the source %s does not exist", src,
                               in->binds[i].destination, src);
    }
    return 0;
}

static int prepare_snapshot(wcr_run *r, wcr_err *err)
{
    wcr_labels l = { 0 };
    int rc = wcr_labels_set(&l, WCR_LABEL_CONTAINER, r->id, err);
    if (rc == 0)
        rc = wcr_snapshots_prepare(r->c, r->snapshotter, r->id, wcr_local_image_top(&r->img), &l, &r->mounts, err);
    wcr_labels_dispose(&l);
    if (rc < 0)
        return wcr_err_wrap(err, "prepare the snapshot");
    r->undo_snapshot = wcr_cleanup_push(&r->cleanup, undo_snapshot, NULL, "remove the snapshot", err);
    return r->undo_snapshot < 0 ? -1 : 0;
}

static int build_spec(wcr_run *r, wcr_err *err)
{
    wcr_spec_input *in = r->o->spec;
    wcr_spec_input local = WCR_SPEC_INPUT_INIT;
    if (!in)
        in = &local;
    wcr_spec_os os;
    if (wcr_spec_os_parse(r->img.config.platform.os, &os) < 0)
        return wcr_err_set(err, WCR_E_UNSUPPORTED, "%s: images for %s are not supported", r->img.name,
                           r->img.config.platform.os);
    char *passwd = NULL, *group = NULL;
    if (os == WCR_SPEC_LINUX) {
        /* The user is resolved by name through the image's own files. */
        wcr_rootfs_read(&r->mounts, "etc/passwd", &passwd);
        wcr_rootfs_read(&r->mounts, "etc/group", &group);
    }
    in->os = os;
    in->image = &r->img.config;
    in->ns = wcr_ctd_namespace(r->c);
    in->id = r->id;
    in->passwd = passwd;
    in->group = group;
    /* The default host name: the container's ID (Docker's random IDs are
     * cut to 12; ours are 12 already, and a --name is kept whole up to the
     * 63 bytes a host name may have). */
    char host[64];
    const char *given_host = in->hostname;
    if ((!given_host || !given_host[0]) && in->net != WCR_SPEC_NET_HOST) {
        size_t n = strlen(r->id) < sizeof host - 1 ? strlen(r->id) : sizeof host - 1;
        memcpy(host, r->id, n);
        host[n] = '\0';
        in->hostname = host;
    }
    int rc = wcr_spec_build(&r->spec_json, in, WCR_SPEC_COMPACT, err);
    in->hostname = given_host;
    in->passwd = in->group = NULL;
    free(passwd);
    free(group);
    return rc;
}

static int create_container(wcr_run *r, wcr_err *err)
{
    wcr_container ct = { 0 };
    char owner[24];
    snprintf(owner, sizeof owner, "%lu", wcr_os_pid());
    ct.id = r->id;
    ct.image = r->img.name;
    ct.runtime_name = (char *)(r->o->runtime && r->o->runtime[0] ? r->o->runtime
                               : strcmp(wcr_os_name(), "windows") == 0 ? "io.containerd.runhcs.v1"
                                                                       : "io.containerd.runc.v2");
    ct.spec.type_url = (char *)SPEC_TYPE_URL;
    ct.spec.value = (uint8_t *)r->spec_json.data;
    ct.spec.len = r->spec_json.len;
    ct.snapshotter = (char *)r->snapshotter;
    ct.snapshot_key = r->id;
    int rc = wcr_labels_set(&ct.labels, WCR_LABEL_MANAGED, "true", err);
    if (rc == 0)
        rc = wcr_labels_set(&ct.labels, WCR_LABEL_OWNER, owner, err);
    if (rc == 0 && r->o->rm)
        rc = wcr_labels_set(&ct.labels, WCR_LABEL_RM, "true", err);
    if (rc == 0 && r->o->spec && r->o->spec->tty)
        rc = wcr_labels_set(&ct.labels, WCR_LABEL_TTY, "true", err);
    if (rc == 0 && r->log_path)
        rc = wcr_labels_set(&ct.labels, WCR_LABEL_LOG, r->log_path, err);
    if (rc == 0)
        rc = wcr_containers_create(r->c, &ct, NULL, err);
    wcr_labels_dispose(&ct.labels);
    if (rc < 0)
        return wcr_err_wrap(err, "create the container");
    r->undo_container = wcr_cleanup_push(&r->cleanup, undo_container, NULL, "delete the container", err);
    return r->undo_container < 0 ? -1 : 0;
}

static int make_stdio(wcr_run *r, wcr_err *err)
{
    if (r->o->detach) {
        r->log_path = wcr_logs_path_for(wcr_ctd_namespace(r->c), r->id, err);
        return r->log_path ? 0 : -1;
    }
    bool tty = r->o->spec && r->o->spec->tty;
    if (wcr_session_open(&r->session, r->c, r->id, NULL, r->o->interactive, tty, err) < 0)
        return -1;
    r->have_session = true;
    return wcr_cleanup_push(&r->cleanup, undo_stdio, NULL, "close stdio", err) < 0 ? -1 : 0;
}

static int create_task(wcr_run *r, wcr_err *err)
{
    char *log_uri = r->log_path ? wcr_asprintf("file://%s", r->log_path) : NULL;
    wcr_task_create_request req = { 0 };
    req.container_id = r->id;
    req.rootfs = &r->mounts;
    req.stdin_path = r->have_session ? wcr_session_path(&r->session, WCR_STDIO_IN) : "";
    req.stdout_path = r->have_session ? wcr_session_path(&r->session, WCR_STDIO_OUT) : log_uri;
    req.stderr_path = r->have_session ? wcr_session_path(&r->session, WCR_STDIO_ERR) : log_uri;
    req.terminal = r->o->spec && r->o->spec->tty;
    uint32_t pid = 0;
    int rc = wcr_tasks_create(r->c, &req, &pid, err);
    free(log_uri);
    if (rc < 0)
        return wcr_err_wrap(err, "create the task");
    r->undo_task = wcr_cleanup_push(&r->cleanup, undo_task, NULL, "delete the task", err);
    return r->undo_task < 0 ? -1 : 0;
}

int wcr_run_start(wcr_run *r, wcr_err *err)
{
    int rc = resolve_image(r, err);
    if (rc == 0)
        rc = check_binds(r, err);
    if (rc == 0)
        rc = choose_id(r, err);
    if (rc == 0)
        rc = take_lease(r, err);
    if (rc == 0)
        rc = check_name_free(r, err);
    if (rc == 0)
        rc = prepare_snapshot(r, err);
    if (rc == 0)
        rc = build_spec(r, err);
    if (rc == 0)
        rc = make_stdio(r, err);
    if (rc == 0)
        rc = create_container(r, err);
    if (rc == 0 && cancelled(r))
        rc = wcr_err_set(err, WCR_E_CANCELLED, "interrupted");
    if (rc == 0)
        rc = create_task(r, err);
    if (rc == 0 && r->have_session)
        rc = wcr_session_attach(&r->session, err);
    uint32_t pid = 0;
    if (rc == 0 && cancelled(r))
        rc = wcr_err_set(err, WCR_E_CANCELLED, "interrupted");
    if (rc == 0 && (rc = wcr_tasks_start(r->c, r->id, NULL, &pid, err)) < 0)
        wcr_err_wrap(err, "start");
    if (rc < 0) {
        if (cancelled(r) && err && err->code != WCR_E_CANCELLED)
            wcr_err_set(err, WCR_E_CANCELLED, "interrupted");
        int code = err ? wcr_session_failure_code(err) : 0;
        if (code && (r->undo_task >= 0 || r->undo_container >= 0))
            err->code = code == 127 ? WCR_E_EXEC_NOT_FOUND : WCR_E_EXEC_DENIED;
        wcr_cleanup_unwind(&r->cleanup);
        return wcr_err_wrap(err, "run %s", r->o->image);
    }
    wcr_os_mutex_lock(r->mu);
    r->started = true;
    wcr_os_mutex_unlock(r->mu);
    if (r->o->detach) {
        /* The container lives on: only the lease and our stdio go. */
        wcr_cleanup_drop(&r->cleanup, r->undo_task);
        wcr_cleanup_drop(&r->cleanup, r->undo_container);
        wcr_cleanup_drop(&r->cleanup, r->undo_snapshot);
        wcr_cleanup_unwind(&r->cleanup);
    }
    return 0;
}

/* The task is gone with its exit status: keep it on the record for ps. */
int wcr_run_wait(wcr_run *r, int *exit_code, wcr_err *err)
{
    *exit_code = 0;
    wcr_task_exit ex = { 0 };
    int rc = wcr_tasks_wait(r->c, r->id, NULL, &ex, err);
    if (rc == 0)
        *exit_code = (int)ex.exit_status;
    wcr_task_exit_dispose(&ex);
    /* The output the process wrote before it ended, all of it. */
    if (r->have_session)
        wcr_session_wait(&r->session);
    if (rc == 0) {
        wcr_task_exit del = { 0 };
        if (wcr_tasks_delete(r->c, r->id, &del, NULL) == 0)
            wcr_cleanup_drop(&r->cleanup, r->undo_task);
        wcr_task_exit_dispose(&del);
    }
    if (rc == 0 && !r->o->rm) {
        wcr_container_record_exit(r->c, r->id, (uint32_t)*exit_code);
        /* Kept for wcr ps -a, logs, start and rm; the record holds the snapshot. */
        wcr_cleanup_drop(&r->cleanup, r->undo_container);
        wcr_cleanup_drop(&r->cleanup, r->undo_snapshot);
    }
    wcr_cleanup_unwind(&r->cleanup);
    return rc < 0 ? wcr_err_wrap(err, "wait for %s", r->id) : 0;
}

void wcr_run_signal(wcr_run *r, int sig)
{
    wcr_os_mutex_lock(r->mu);
    bool started = r->started;
    if (!started) {
        /* Not running yet: stop setting it up. */
        r->cancelled = true;
        if (r->pulling)
            wcr_pull_cancel(r->pulling);
    }
    int interrupts = sig == WCR_SIG_INT ? ++r->interrupts : r->interrupts;
    wcr_os_mutex_unlock(r->mu);
    if (!started) {
        wcr_ctd_cancel_all(r->c);
        return;
    }
    if (sig == WCR_SIG_WINCH) {
        if (r->have_session)
            wcr_session_resize(&r->session);
        return;
    }
    /* A process that ignores SIGINT (pid 1 without a handler) is killed
     * when Ctrl+C comes a third time. */
    uint32_t send = interrupts >= INTERRUPTS_BEFORE_KILL ? 9 : (uint32_t)sig;
    if (send == 9)
        wcr_log_debug("run %s: interrupted %d times: SIGKILL", r->id, interrupts);
    wcr_tasks_kill(r->c, r->id, NULL, send, send == 9, NULL);
}

void wcr_run_free(wcr_run *r)
{
    if (!r)
        return;
    wcr_cleanup_unwind(&r->cleanup);
    if (r->have_img)
        wcr_local_image_dispose(&r->img);
    wcr_mounts_dispose(&r->mounts);
    wcr_buf_dispose(&r->spec_json);
    free(r->lease);
    free(r->log_path);
    wcr_os_mutex_free(r->mu);
    free(r);
}
