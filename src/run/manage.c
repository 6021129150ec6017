/* wcr's containers after the run: ps, kill, stop, rm, logs, prune. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "containerd/leases.h"
#include "containerd/snapshots.h"
#include "containerd/tasks.h"
#include "core/log.h"
#include "core/str.h"
#include "os/os.h"
#include "run/manage.h"

#define POLL_MS 100

static const char managed_filter[] = "labels.\"" WCR_LABEL_MANAGED "\"==true";

void wcr_ps_list_dispose(wcr_ps_list *l)
{
    if (!l)
        return;
    for (size_t i = 0; i < l->n; i++)
        wcr_container_dispose(&l->items[i].ct);
    free(l->items);
    l->items = NULL;
    l->n = 0;
}

int wcr_ps(wcr_ctd *c, bool all, wcr_ps_list *out, wcr_err *err)
{
    memset(out, 0, sizeof *out);
    wcr_containers cts = { 0 };
    wcr_task_processes tasks = { 0 };
    const char *filters[] = { managed_filter };
    if (wcr_containers_list(c, filters, 1, &cts, err) < 0 || wcr_tasks_list(c, NULL, &tasks, err) < 0) {
        wcr_containers_dispose(&cts);
        return wcr_err_wrap(err, "list containers");
    }
    out->items = calloc(cts.n ? cts.n : 1, sizeof *out->items);
    if (!out->items) {
        wcr_containers_dispose(&cts);
        wcr_task_processes_dispose(&tasks);
        return wcr_err_set(err, WCR_E_NOMEM, "out of memory");
    }
    for (size_t i = 0; i < cts.n; i++) {
        wcr_ps_entry e = { .ct = cts.items[i] };
        memset(&cts.items[i], 0, sizeof cts.items[i]);
        for (size_t k = 0; k < tasks.n; k++) {
            const wcr_task_process *t = &tasks.items[k];
            const char *tid = t->container_id && t->container_id[0] ? t->container_id : t->id;
            if (tid && strcmp(tid, e.ct.id) == 0) {
                e.status = t->status;
                e.pid = t->pid;
                e.exit_status = t->exit_status;
                e.exited = t->status == WCR_TASK_STOPPED;
            }
        }
        if (e.status == WCR_TASK_UNKNOWN && wcr_container_recorded_exit(&e.ct, &e.exit_status)) {
            e.status = WCR_TASK_STOPPED;
            e.exited = true;
        }
        if (!all && e.status != WCR_TASK_RUNNING && e.status != WCR_TASK_PAUSED) {
            wcr_container_dispose(&e.ct);
            continue;
        }
        out->items[out->n++] = e;
    }
    wcr_containers_dispose(&cts);
    wcr_task_processes_dispose(&tasks);
    return 0;
}

bool wcr_container_recorded_exit(const wcr_container *ct, uint32_t *status)
{
    const char *text = wcr_labels_get(&ct->labels, WCR_LABEL_EXIT);
    int64_t v;
    if (!text || wcr_str_to_int64(text, 0, UINT32_MAX, &v) < 0)
        return false;
    *status = (uint32_t)v;
    return true;
}

void wcr_container_record_exit(wcr_ctd *c, const char *id, uint32_t status)
{
    wcr_container ct = { 0 };
    char text[16];
    snprintf(text, sizeof text, "%u", status);
    const char *paths[] = { "labels" };
    if (wcr_containers_get(c, id, &ct, NULL) == 0 && wcr_labels_set(&ct.labels, WCR_LABEL_EXIT, text, NULL) == 0)
        wcr_containers_update(c, &ct, paths, 1, NULL, NULL);
    wcr_container_dispose(&ct);
}

void wcr_ps_status(const wcr_ps_entry *e, char *out, size_t size)
{
    switch (e->status) {
    case WCR_TASK_RUNNING: snprintf(out, size, "Up"); break;
    case WCR_TASK_PAUSED: snprintf(out, size, "Paused"); break;
    case WCR_TASK_STOPPED: snprintf(out, size, "Exited (%u)", (unsigned)e->exit_status); break;
    case WCR_TASK_CREATED: snprintf(out, size, "Created"); break;
    default: snprintf(out, size, "Stopped"); break;
    }
}

int wcr_container_kill(wcr_ctd *c, const char *id, uint32_t signal, wcr_err *err)
{
    if (wcr_tasks_kill(c, id, NULL, signal, false, err) < 0) {
        if (wcr_err_is(err, WCR_E_NOT_FOUND)) {
            wcr_err_set(err, WCR_E_NOT_FOUND, "container %s is not running", id);
            return -1;
        }
        return wcr_err_wrap(err, "kill %s", id);
    }
    return 0;
}

/* Wait until the task stopped (or is gone), at most timeout_ms. */
static bool wait_stopped(wcr_ctd *c, const char *id, unsigned timeout_ms)
{
    uint64_t deadline = wcr_os_monotonic_ns() + (uint64_t)timeout_ms * 1000000u;
    for (;;) {
        wcr_task_process t = { 0 };
        wcr_err e = WCR_ERR_INIT;
        int rc = wcr_tasks_get(c, id, NULL, &t, &e);
        bool stopped = rc < 0 ? e.code == WCR_E_NOT_FOUND : t.status == WCR_TASK_STOPPED;
        wcr_task_process_dispose(&t);
        wcr_err_dispose(&e);
        if (stopped)
            return true;
        if (wcr_os_monotonic_ns() >= deadline)
            return false;
        wcr_os_sleep_ms(POLL_MS);
    }
}

/* Delete the task; one that is already gone is fine. */
static int delete_task(wcr_ctd *c, const char *id, wcr_err *err)
{
    wcr_task_exit ex = { 0 };
    wcr_err e = WCR_ERR_INIT;
    int rc = wcr_tasks_delete(c, id, &ex, &e);
    if (rc < 0 && e.code != WCR_E_NOT_FOUND) {
        wcr_err_move(err, &e);
        wcr_err_wrap(err, "delete the task of %s", id);
    } else {
        if (rc == 0)
            wcr_container_record_exit(c, id, ex.exit_status);
        rc = 0;
    }
    wcr_err_dispose(&e);
    wcr_task_exit_dispose(&ex);
    return rc;
}

int wcr_container_stop(wcr_ctd *c, const char *id, unsigned timeout_s, wcr_err *err)
{
    wcr_task_process t = { 0 };
    wcr_err e = WCR_ERR_INIT;
    if (wcr_tasks_get(c, id, NULL, &t, &e) < 0) {
        wcr_task_process_dispose(&t);
        if (e.code != WCR_E_NOT_FOUND) {
            wcr_err_move(err, &e);
            return wcr_err_wrap(err, "stop %s", id);
        }
        wcr_err_dispose(&e);
        /* No task: nothing runs, but the container must exist. */
        wcr_container ct = { 0 };
        int rc = wcr_containers_get(c, id, &ct, err);
        wcr_container_dispose(&ct);
        return rc < 0 ? wcr_err_wrap(err, "stop %s", id) : 0;
    }
    bool running = t.status == WCR_TASK_RUNNING || t.status == WCR_TASK_PAUSED;
    wcr_task_process_dispose(&t);
    if (running) {
        if (wcr_tasks_kill(c, id, NULL, 15, false, &e) < 0 && e.code != WCR_E_NOT_FOUND) {
            wcr_err_move(err, &e);
            return wcr_err_wrap(err, "stop %s", id);
        }
        wcr_err_dispose(&e);
        if (!wait_stopped(c, id, timeout_s * 1000u)) {
            wcr_log_debug("stop %s: still running after %us: SIGKILL", id, timeout_s);
            wcr_tasks_kill(c, id, NULL, 9, true, NULL);
            if (!wait_stopped(c, id, 10000))
                return wcr_err_set(err, WCR_E_TIMEOUT, "stop %s: it did not end even after SIGKILL", id);
        }
    }
    return delete_task(c, id, err) < 0 ? wcr_err_wrap(err, "stop %s", id) : 0;
}

int wcr_container_remove(wcr_ctd *c, const char *id, bool force, wcr_err *err)
{
    wcr_container ct = { 0 };
    if (wcr_containers_get(c, id, &ct, err) < 0)
        return wcr_err_wrap(err, "remove %s", id);
    wcr_task_process t = { 0 };
    wcr_err e = WCR_ERR_INIT;
    int rc = 0;
    if (wcr_tasks_get(c, id, NULL, &t, &e) == 0) {
        bool running = t.status == WCR_TASK_RUNNING || t.status == WCR_TASK_PAUSED;
        if (running && !force) {
            rc = wcr_err_set(err, WCR_E_EXISTS, "remove %s: it is running", id);
            wcr_err_hint(err, "stop it first, or use rm -f");
        } else if (running) {
            wcr_tasks_kill(c, id, NULL, 9, true, NULL);
            if (!wait_stopped(c, id, 10000))
                rc = wcr_err_set(err, WCR_E_TIMEOUT, "remove %s: it did not end after SIGKILL", id);
        }
        if (rc == 0)
            rc = delete_task(c, id, err);
    } else if (e.code != WCR_E_NOT_FOUND) {
        wcr_err_move(err, &e);
        rc = -1;
    }
    wcr_err_dispose(&e);
    wcr_task_process_dispose(&t);
    if (rc == 0 && wcr_containers_delete(c, id, err) < 0)
        rc = -1;
    if (rc == 0 && ct.snapshot_key && ct.snapshot_key[0] &&
        wcr_snapshots_remove(c, ct.snapshotter, ct.snapshot_key, &e) < 0 && e.code != WCR_E_NOT_FOUND) {
        wcr_err_move(err, &e);
        rc = wcr_err_wrap(err, "remove the snapshot %s", ct.snapshot_key);
    }
    wcr_err_dispose(&e);
    const char *log = wcr_labels_get(&ct.labels, WCR_LABEL_LOG);
    if (rc == 0 && log)
        wcr_os_remove_file(log, NULL);
    wcr_container_dispose(&ct);
    return rc < 0 ? wcr_err_wrap(err, "remove %s", id) : 0;
}

char *wcr_container_log_path(wcr_ctd *c, const char *id, wcr_err *err)
{
    wcr_container ct = { 0 };
    if (wcr_containers_get(c, id, &ct, err) < 0)
        return NULL;
    const char *log = wcr_labels_get(&ct.labels, WCR_LABEL_LOG);
    char *out = log ? wcr_strdup(log) : NULL;
    if (!log)
        wcr_err_set(err, WCR_E_NOT_FOUND, "%s has no log: only containers run with -d keep one", id);
    wcr_container_dispose(&ct);
    return out;
}

/* ---- prune -------------------------------------------------------------------- */

static bool owner_dead(const wcr_labels *labels)
{
    const char *owner = wcr_labels_get(labels, WCR_LABEL_OWNER);
    int64_t pid;
    return owner && wcr_str_to_int64(owner, 1, INT64_MAX, &pid) == 0 && !wcr_os_process_alive((unsigned long)pid);
}

static int prune_containers(wcr_ctd *c, wcr_prune_report *r, wcr_err *err)
{
    wcr_ps_list ps;
    if (wcr_ps(c, true, &ps, err) < 0)
        return -1;
    int rc = 0;
    for (size_t i = 0; i < ps.n && rc == 0; i++) {
        const wcr_ps_entry *e = &ps.items[i];
        bool running = e->status == WCR_TASK_RUNNING || e->status == WCR_TASK_PAUSED ||
                       e->status == WCR_TASK_CREATED;
        bool orphan_rm = wcr_labels_get(&e->ct.labels, WCR_LABEL_RM) && owner_dead(&e->ct.labels);
        /* A created task with no live wcr will never be started. */
        if (e->status == WCR_TASK_CREATED && owner_dead(&e->ct.labels))
            orphan_rm = true;
        if (running && !orphan_rm)
            continue;
        if (e->status != WCR_TASK_UNKNOWN)
            r->tasks++;
        char *id = wcr_strdup(e->ct.id);
        char **grown = id ? realloc(r->removed, (r->containers + 1) * sizeof *grown) : NULL;
        if (!grown) {
            free(id);
            rc = wcr_err_set(err, WCR_E_NOMEM, "prune: out of memory");
        } else if (r->removed = grown, wcr_container_remove(c, id, true, err) < 0) {
            free(id);
            rc = -1;
        } else {
            r->removed[r->containers++] = id;
        }
    }
    wcr_ps_list_dispose(&ps);
    return rc;
}

/* Snapshots wcr made for containers that no longer exist. */
static int prune_snapshots(wcr_ctd *c, wcr_prune_report *r, wcr_err *err)
{
    wcr_snapshot_infos snaps = { 0 };
    const char *filters[] = { "labels.\"" WCR_LABEL_CONTAINER "\"" };
    if (wcr_snapshots_list(c, wcr_os_default_snapshotter(), filters, 1, &snaps, err) < 0)
        return -1;
    for (size_t i = 0; i < snaps.n; i++) {
        const char *owner = wcr_labels_get(&snaps.items[i].labels, WCR_LABEL_CONTAINER);
        wcr_container ct = { 0 };
        wcr_err e = WCR_ERR_INIT;
        if (owner && wcr_containers_get(c, owner, &ct, &e) < 0 && e.code == WCR_E_NOT_FOUND &&
            wcr_snapshots_remove(c, wcr_os_default_snapshotter(), snaps.items[i].name, NULL) == 0)
            r->snapshots++;
        wcr_err_dispose(&e);
        wcr_container_dispose(&ct);
    }
    wcr_snapshot_infos_dispose(&snaps);
    return 0;
}

static int prune_leases(wcr_ctd *c, wcr_prune_report *r, wcr_err *err)
{
    wcr_leases leases = { 0 };
    if (wcr_leases_list(c, NULL, 0, &leases, err) < 0)
        return -1;
    for (size_t i = 0; i < leases.n; i++) {
        const wcr_lease *l = &leases.items[i];
        bool ours = wcr_str_starts_with(l->id, "wcr-run-") || wcr_str_starts_with(l->id, "wcr-pull-");
        if (ours && owner_dead(&l->labels) && wcr_leases_delete(c, l->id, false, NULL) == 0)
            r->leases++;
    }
    wcr_leases_dispose(&leases);
    return 0;
}

/* FIFO directories are named "<container>.<pid>-XXXXXX". */
static void prune_fifos(wcr_prune_report *r)
{
    char *dir = wcr_os_state_dir(true, NULL);
    char *fifo = dir ? wcr_asprintf("%s%cfifo", dir, wcr_os_path_sep()) : NULL;
    char **names = NULL;
    size_t n = 0;
    if (fifo && wcr_os_list_dir(fifo, &names, &n, NULL) == 0) {
        for (size_t i = 0; i < n; i++) {
            const char *dot = strrchr(names[i], '.');
            int64_t pid;
            char num[24];
            size_t len = dot ? strcspn(dot + 1, "-") : 0;
            if (!dot || len == 0 || len >= sizeof num)
                continue;
            memcpy(num, dot + 1, len);
            num[len] = '\0';
            if (wcr_str_to_int64(num, 1, INT64_MAX, &pid) < 0 || wcr_os_process_alive((unsigned long)pid))
                continue;
            char *path = wcr_asprintf("%s%c%s", fifo, wcr_os_path_sep(), names[i]);
            if (path && wcr_os_remove_tree(path, NULL) == 0)
                r->fifo_dirs++;
            free(path);
        }
    }
    wcr_os_names_free(names);
    free(fifo);
    free(dir);
}

void wcr_prune_report_dispose(wcr_prune_report *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->containers; i++)
        free(r->removed[i]);
    free(r->removed);
    memset(r, 0, sizeof *r);
}

int wcr_prune(wcr_ctd *c, wcr_prune_report *report, wcr_err *err)
{
    memset(report, 0, sizeof *report);
    if (prune_containers(c, report, err) < 0 || prune_snapshots(c, report, err) < 0 ||
        prune_leases(c, report, err) < 0)
        return wcr_err_wrap(err, "prune");
    prune_fifos(report);
    return 0;
}
