/* wcr exec (see exec.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "containerd/containers.h"
#include "containerd/snapshots.h"
#include "containerd/tasks.h"
#include "core/json.h"
#include "core/str.h"
#include "run/exec.h"
#include "run/rootfs.h"
#include "run/session.h"
#include "spec/passwd.h"
#include "spec/spec.h"

struct wcr_exec {
    wcr_ctd *c;
    const wcr_exec_options *o;
    char exec_id[32];
    wcr_session session;
    bool have_session, created, started;
    wcr_os_mutex *mu;
};

wcr_exec *wcr_exec_new(wcr_ctd *c, const wcr_exec_options *o, wcr_err *err)
{
    wcr_exec *x = calloc(1, sizeof *x);
    if (!x || !(x->mu = wcr_os_mutex_new(err))) {
        free(x);
        if (!x)
            wcr_err_set(err, WCR_E_NOMEM, "exec: out of memory");
        return NULL;
    }
    x->c = c;
    x->o = o;
    return x;
}

/* The container's env with --env-file and -e applied. */
static int merge_env(wcr_strv *out, const wcr_json *env, const wcr_exec_options *o, bool windows, wcr_err *err)
{
    for (const wcr_json *e = wcr_json_first(env); e; e = wcr_json_next(e))
        if (wcr_json_string(e) && wcr_strv_push(out, wcr_json_string(e), err) < 0)
            return -1;
    wcr_spec_env_user u = { o->env_files, o->n_env_files, o->env, o->n_env, windows, NULL, NULL };
    return wcr_spec_env_apply_user(out, &u, err);
}

/* uid/gid for -u on Linux, through the container's own passwd/group. */
static int resolve_user(wcr_exec *x, const wcr_container *ct, wcr_user *out, wcr_err *err)
{
    wcr_mounts m = { 0 };
    char *passwd = NULL, *group = NULL;
    if (ct->snapshot_key && wcr_snapshots_mounts(x->c, ct->snapshotter, ct->snapshot_key, &m, NULL) == 0) {
        wcr_rootfs_read(&m, "etc/passwd", &passwd);
        wcr_rootfs_read(&m, "etc/group", &group);
    }
    int rc = wcr_user_resolve(out, x->o->user, passwd, group, err);
    wcr_mounts_dispose(&m);
    free(passwd);
    free(group);
    return rc;
}

/* The process JSON: the container's process with our changes. */
static int build_process(wcr_exec *x, const wcr_container *ct, wcr_buf *out, wcr_err *err)
{
    wcr_json_doc *doc = NULL;
    if (wcr_json_parse(&doc, (const char *)ct->spec.value, ct->spec.len, NULL, err) < 0)
        return wcr_err_wrap(err, "the container's spec");
    const wcr_json *root = wcr_json_root(doc), *proc = wcr_json_get(root, "process");
    bool windows = wcr_json_get(root, "windows") != NULL;
    wcr_strv env = { 0 };
    wcr_user user = { 0 };
    int rc = merge_env(&env, wcr_json_get(proc, "env"), x->o, windows, err);
    bool linux_user = x->o->user && !windows;
    if (rc == 0 && linux_user)
        rc = resolve_user(x, ct, &user, err);
    wcr_jsonw w;
    wcr_jsonw_init(&w, out, WCR_JSONW_COMPACT);
    wcr_jsonw_object_begin(&w);
    for (const wcr_json *m = wcr_json_first(proc); rc == 0 && m; m = wcr_json_next(m)) {
        const char *k = wcr_json_key(m);
        if (!strcmp(k, "args") || !strcmp(k, "env") || !strcmp(k, "terminal") || !strcmp(k, "commandLine") ||
            (!strcmp(k, "cwd") && x->o->workdir) || (!strcmp(k, "user") && x->o->user) || !strcmp(k, "consoleSize"))
            continue;
        wcr_jsonw_key(&w, k);
        wcr_jsonw_value(&w, m);
    }
    wcr_jsonw_kv_bool(&w, "terminal", x->o->tty && !x->o->detach);
    /* The pty exists only once the process starts, so a resize can come
     * too late for its first look: the runtime sizes it from this. */
    unsigned cols, rows;
    if (x->o->tty && !x->o->detach && wcr_os_terminal_size(WCR_OS_STDOUT, &cols, &rows) == 0) {
        wcr_jsonw_key(&w, "consoleSize");
        wcr_jsonw_object_begin(&w);
        wcr_jsonw_kv_uint64(&w, "height", rows);
        wcr_jsonw_kv_uint64(&w, "width", cols);
        wcr_jsonw_object_end(&w);
    }
    wcr_jsonw_key(&w, "args");
    wcr_jsonw_array_begin(&w);
    for (size_t i = 0; i < x->o->n_args; i++)
        wcr_jsonw_string(&w, x->o->args[i]);
    wcr_jsonw_array_end(&w);
    wcr_jsonw_key(&w, "env");
    wcr_jsonw_array_begin(&w);
    for (size_t i = 0; i < env.n; i++)
        wcr_jsonw_string(&w, env.v[i]);
    wcr_jsonw_array_end(&w);
    if (x->o->workdir)
        wcr_jsonw_kv_string(&w, "cwd", x->o->workdir);
    if (x->o->user) {
        wcr_jsonw_key(&w, "user");
        wcr_jsonw_object_begin(&w);
        if (windows) {
            wcr_jsonw_kv_string(&w, "username", x->o->user);
        } else {
            wcr_jsonw_kv_uint64(&w, "uid", user.uid);
            wcr_jsonw_kv_uint64(&w, "gid", user.gid);
            wcr_jsonw_key(&w, "additionalGids");
            wcr_jsonw_array_begin(&w);
            for (size_t i = 0; i < user.n_gids; i++)
                wcr_jsonw_uint64(&w, user.gids[i]);
            wcr_jsonw_array_end(&w);
        }
        wcr_jsonw_object_end(&w);
    }
    wcr_jsonw_object_end(&w);
    if (rc == 0)
        rc = wcr_jsonw_finish(&w, err);
    wcr_user_dispose(&user);
    wcr_strv_dispose(&env);
    wcr_json_doc_free(doc);
    return rc;
}

int wcr_exec_start(wcr_exec *x, wcr_err *err)
{
    const wcr_exec_options *o = x->o;
    if (o->n_args == 0)
        return wcr_err_set(err, WCR_E_USAGE, "exec: no command given");
    unsigned char r[6];
    if (wcr_os_random(r, sizeof r, err) < 0)
        return -1;
    snprintf(x->exec_id, sizeof x->exec_id, "exec-%02x%02x%02x%02x%02x%02x", r[0], r[1], r[2], r[3], r[4], r[5]);
    wcr_container ct = { 0 };
    wcr_task_process t = { 0 };
    wcr_buf proc = WCR_BUF_INIT("process spec", (size_t)4 << 20);
    int rc = wcr_containers_get(x->c, o->container, &ct, err);
    if (rc == 0 && (rc = wcr_tasks_get(x->c, o->container, NULL, &t, err)) < 0 && wcr_err_is(err, WCR_E_NOT_FOUND))
        wcr_err_set(err, WCR_E_NOT_FOUND, "container %s is not running", o->container);
    if (rc == 0 && t.status != WCR_TASK_RUNNING)
        rc = wcr_err_set(err, WCR_E_INVALID, "container %s is not running (%s)", o->container,
                         wcr_task_status_name(t.status));
    if (rc == 0)
        rc = build_process(x, &ct, &proc, err);
    if (rc == 0 && !o->detach &&
        (rc = wcr_session_open(&x->session, x->c, o->container, x->exec_id, o->interactive, o->tty, err)) == 0)
        x->have_session = true;
    if (rc == 0) {
        wcr_ctd_any spec = { (char *)WCR_CTD_PROCESS_TYPE_URL, (uint8_t *)proc.data, proc.len };
        bool s = x->have_session;
        wcr_task_exec_request req = { o->container, x->exec_id, s ? wcr_session_path(&x->session, WCR_STDIO_IN) : "",
                                      s ? wcr_session_path(&x->session, WCR_STDIO_OUT) : "",
                                      s ? wcr_session_path(&x->session, WCR_STDIO_ERR) : "", o->tty && s, &spec };
        rc = wcr_tasks_exec(x->c, &req, err);
        x->created = rc == 0;
    }
    /* runc's shim opens an exec's FIFOs in Start, not in Exec (hcsshim
     * connects in Exec; the pipe waits for us): attach after Start, or our
     * readers would see no writer and end at once. */
    uint32_t pid = 0;
    if (rc == 0)
        rc = wcr_tasks_start(x->c, o->container, x->exec_id, &pid, err);
    if (rc == 0) {
        wcr_os_mutex_lock(x->mu);
        x->started = true;
        wcr_os_mutex_unlock(x->mu);
    }
    if (rc == 0 && x->have_session)
        rc = wcr_session_attach(&x->session, err);
    if (rc < 0 && !x->started) {
        int code = wcr_session_failure_code(err);
        if (code && x->created)
            err->code = code == 127 ? WCR_E_EXEC_NOT_FOUND : WCR_E_EXEC_DENIED;
    }
    wcr_buf_dispose(&proc);
    wcr_task_process_dispose(&t);
    wcr_container_dispose(&ct);
    return rc < 0 ? wcr_err_wrap(err, "exec in %s", o->container) : 0;
}

int wcr_exec_wait(wcr_exec *x, int *exit_code, wcr_err *err)
{
    wcr_task_exit ex = { 0 };
    int rc = wcr_tasks_wait(x->c, x->o->container, x->exec_id, &ex, err);
    *exit_code = rc == 0 ? (int)ex.exit_status : 0;
    wcr_task_exit_dispose(&ex);
    if (x->have_session)
        wcr_session_wait(&x->session);
    return rc;
}

void wcr_exec_signal(wcr_exec *x, int sig)
{
    wcr_os_mutex_lock(x->mu);
    bool started = x->started;
    wcr_os_mutex_unlock(x->mu);
    if (!started)
        return;
    if (sig == WCR_SIG_WINCH)
        wcr_session_resize(&x->session);
    else
        wcr_tasks_kill(x->c, x->o->container, x->exec_id, (uint32_t)sig, false, NULL);
}

void wcr_exec_free(wcr_exec *x)
{
    if (!x)
        return;
    if (x->created && !(x->o->detach && x->started)) {
        wcr_task_exit ex = { 0 };
        if (x->started)
            wcr_tasks_kill(x->c, x->o->container, x->exec_id, 9, false, NULL);
        wcr_tasks_delete_process(x->c, x->o->container, x->exec_id, &ex, NULL);
        wcr_task_exit_dispose(&ex);
    }
    if (x->have_session)
        wcr_session_close(&x->session);
    wcr_os_mutex_free(x->mu);
    free(x);
}
