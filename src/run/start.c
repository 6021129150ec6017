/* wcr start: a new task for a container whose process ended (or never
 * started), detached, its output appended to the container's log. */
#include <stdlib.h>
#include <string.h>

#include "containerd/containers.h"
#include "containerd/snapshots.h"
#include "containerd/tasks.h"
#include "core/str.h"
#include "run/logs.h"
#include "run/manage.h"

/* The old task, if any, must go first: containerd keeps one per container. */
static int clear_old_task(wcr_ctd *c, const char *id, bool *running, wcr_err *err)
{
    wcr_task_process t = { 0 };
    wcr_err e = WCR_ERR_INIT;
    *running = false;
    if (wcr_tasks_get(c, id, NULL, &t, &e) < 0) {
        bool none = e.code == WCR_E_NOT_FOUND;
        if (!none)
            wcr_err_move(err, &e);
        wcr_err_dispose(&e);
        return none ? 0 : -1;
    }
    *running = t.status == WCR_TASK_RUNNING || t.status == WCR_TASK_PAUSED || t.status == WCR_TASK_PAUSING;
    wcr_task_process_dispose(&t);
    if (*running)
        return 0;
    wcr_task_exit ex = { 0 };
    int rc = wcr_tasks_delete(c, id, &ex, err);
    wcr_task_exit_dispose(&ex);
    return rc < 0 ? wcr_err_wrap(err, "remove the stopped task") : 0;
}

/* The log file: the one run -d chose, else a new one, recorded. */
static char *log_path(wcr_ctd *c, wcr_container *ct, wcr_err *err)
{
    const char *have = wcr_labels_get(&ct->labels, WCR_LABEL_LOG);
    if (have)
        return wcr_strdup(have);
    char *path = wcr_logs_path_for(wcr_ctd_namespace(c), ct->id, err);
    const char *paths[] = { "labels" };
    if (path && (wcr_labels_set(&ct->labels, WCR_LABEL_LOG, path, err) < 0 ||
                 wcr_containers_update(c, ct, paths, 1, NULL, err) < 0)) {
        free(path);
        return NULL;
    }
    return path;
}

int wcr_container_start(wcr_ctd *c, const char *id, uint32_t *pid, wcr_err *err)
{
    wcr_container ct = { 0 };
    wcr_mounts mounts = { 0 };
    char *log = NULL, *uri = NULL;
    bool running = false;
    *pid = 0;
    int rc = wcr_containers_get(c, id, &ct, err);
    if (rc == 0)
        rc = clear_old_task(c, id, &running, err);
    if (rc == 0 && running)
        rc = wcr_err_set(err, WCR_E_EXISTS, "container %s is already running", id);
    if (rc == 0 && ct.snapshot_key && ct.snapshot_key[0] &&
        (rc = wcr_snapshots_mounts(c, ct.snapshotter, ct.snapshot_key, &mounts, err)) < 0)
        wcr_err_wrap(err, "its snapshot %s", ct.snapshot_key);
    if (rc == 0 && !(log = log_path(c, &ct, err)))
        rc = -1;
    if (rc == 0 && !(uri = wcr_asprintf("file://%s", log)))
        rc = wcr_err_set(err, WCR_E_NOMEM, "start: out of memory");
    if (rc == 0) {
        const char *tty = wcr_labels_get(&ct.labels, WCR_LABEL_TTY);
        wcr_task_create_request req = { 0 };
        req.container_id = id;
        req.rootfs = &mounts;
        req.stdin_path = "";
        req.stdout_path = uri;
        req.stderr_path = uri;
        req.terminal = tty && strcmp(tty, "true") == 0;
        if ((rc = wcr_tasks_create(c, &req, pid, err)) < 0)
            wcr_err_wrap(err, "create the task");
    }
    if (rc == 0 && (rc = wcr_tasks_start(c, id, NULL, pid, err)) < 0) {
        wcr_task_exit ex = { 0 };
        wcr_tasks_delete(c, id, &ex, NULL);
        wcr_task_exit_dispose(&ex);
    }
    free(uri);
    free(log);
    wcr_mounts_dispose(&mounts);
    wcr_container_dispose(&ct);
    return rc < 0 ? wcr_err_wrap(err, "start %s", id) : 0;
}
