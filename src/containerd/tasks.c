/* containerd.services.tasks.v1.Tasks: field numbers from
 * api/services/tasks/v1/tasks.proto and, for Process,
 * api/types/task/task.proto (package containerd.v1.types). The messages
 * wcr uses are the same in 1.6, 1.7 and 2.x; 2.4 only added
 * CreateTaskRequest fields wcr does not send (see tasks.h). */
#include <stdlib.h>
#include <string.h>

#include "containerd/rpc.h"
#include "containerd/tasks.h"

#define SVC "/containerd.services.tasks.v1.Tasks/"

const char *wcr_task_status_name(int status)
{
    switch (status) {
    case WCR_TASK_CREATED: return "CREATED";
    case WCR_TASK_RUNNING: return "RUNNING";
    case WCR_TASK_STOPPED: return "STOPPED";
    case WCR_TASK_PAUSED: return "PAUSED";
    case WCR_TASK_PAUSING: return "PAUSING";
    default: return "UNKNOWN";
    }
}

/* --- Process ------------------------------------------------------------------------ */

void wcr_task_process_dispose(wcr_task_process *p)
{
    if (!p)
        return;
    free(p->container_id);
    free(p->id);
    free(p->stdin_path);
    free(p->stdout_path);
    free(p->stderr_path);
    memset(p, 0, sizeof *p);
}

/* Process: container_id = 1, id = 2, pid = 3, status = 4, stdin = 5,
 * stdout = 6, stderr = 7, terminal = 8, exit_status = 9, exited_at = 10. */
static int read_process(wcr_pb_reader *r, void *out, wcr_err *err)
{
    wcr_task_process *p = out;
    wcr_pb_field f;
    int rc;
    while ((rc = wcr_pb_next(r, &f, err)) > 0) {
        switch (f.number) {
        case 1: rc = wcr_pb_get_string_dup(&f, &p->container_id, err); break;
        case 2: rc = wcr_pb_get_string_dup(&f, &p->id, err); break;
        case 3: rc = wcr_pb_get_uint32(&f, &p->pid, err); break;
        case 4: rc = wcr_pb_get_enum(&f, &p->status, err); break;
        case 5: rc = wcr_pb_get_string_dup(&f, &p->stdin_path, err); break;
        case 6: rc = wcr_pb_get_string_dup(&f, &p->stdout_path, err); break;
        case 7: rc = wcr_pb_get_string_dup(&f, &p->stderr_path, err); break;
        case 8: rc = wcr_pb_get_bool(&f, &p->terminal, err); break;
        case 9: rc = wcr_pb_get_uint32(&f, &p->exit_status, err); break;
        case 10: rc = wcr_pb_get_timestamp(&f, &p->exited_at, err); break;
        default: rc = 0; break;
        }
        if (rc < 0)
            return -1;
    }
    return rc;
}

static void dispose_process(void *p)
{
    wcr_task_process_dispose(p);
}

static const wcr_ctd_type process_type = { "process", sizeof(wcr_task_process), read_process,
                                           dispose_process };

void wcr_task_processes_dispose(wcr_task_processes *l)
{
    if (!l)
        return;
    wcr_ctd_list_free(l->items, l->n, &process_type);
    l->items = NULL;
    l->n = 0;
}

WCR_CTD_DEFINE_LIST_ADD(add_process, wcr_task_processes, process_type)

void wcr_task_exit_dispose(wcr_task_exit *e)
{
    if (!e)
        return;
    free(e->id);
    memset(e, 0, sizeof *e);
}

/* --- requests ----------------------------------------------------------------------- */

/* CreateTaskRequest: container_id = 1, rootfs = 3, stdin = 4, stdout = 5,
 * stderr = 6, terminal = 7, checkpoint = 8, options = 9, runtime_path =
 * 10 (2 is unused in every version). */
void wcr_tasks_encode_create(wcr_buf *b, const wcr_task_create_request *req)
{
    wcr_pb_put_string_opt(b, 1, req->container_id);
    wcr_mounts_put(b, 3, req->rootfs);
    wcr_pb_put_string_opt(b, 4, req->stdin_path);
    wcr_pb_put_string_opt(b, 5, req->stdout_path);
    wcr_pb_put_string_opt(b, 6, req->stderr_path);
    wcr_pb_put_bool_opt(b, 7, req->terminal);
    wcr_ctd_any_put(b, 9, req->options);
    wcr_pb_put_string_opt(b, 10, req->runtime_path);
}

/* ExecProcessRequest: container_id = 1, stdin = 2, stdout = 3, stderr = 4,
 * terminal = 5, spec = 6, exec_id = 7. */
void wcr_tasks_encode_exec(wcr_buf *b, const wcr_task_exec_request *req)
{
    wcr_pb_put_string_opt(b, 1, req->container_id);
    wcr_pb_put_string_opt(b, 2, req->stdin_path);
    wcr_pb_put_string_opt(b, 3, req->stdout_path);
    wcr_pb_put_string_opt(b, 4, req->stderr_path);
    wcr_pb_put_bool_opt(b, 5, req->terminal);
    wcr_ctd_any_put(b, 6, req->spec);
    wcr_pb_put_string_opt(b, 7, req->exec_id);
}

void wcr_tasks_encode_process(wcr_buf *b, const char *container_id, const char *exec_id)
{
    wcr_pb_put_string_opt(b, 1, container_id);
    wcr_pb_put_string_opt(b, 2, exec_id);
}

void wcr_tasks_encode_list(wcr_buf *b, const char *filter)
{
    wcr_pb_put_string_opt(b, 1, filter);
}

void wcr_tasks_encode_kill(wcr_buf *b, const char *container_id, const char *exec_id,
                           uint32_t signal, bool all)
{
    wcr_tasks_encode_process(b, container_id, exec_id);
    wcr_pb_put_uint32_opt(b, 3, signal);
    wcr_pb_put_bool_opt(b, 4, all);
}

void wcr_tasks_encode_resize_pty(wcr_buf *b, const char *container_id, const char *exec_id,
                                 uint32_t width, uint32_t height)
{
    wcr_tasks_encode_process(b, container_id, exec_id);
    wcr_pb_put_uint32_opt(b, 3, width);
    wcr_pb_put_uint32_opt(b, 4, height);
}

void wcr_tasks_encode_close_io(wcr_buf *b, const char *container_id, const char *exec_id,
                               bool stdin_)
{
    wcr_tasks_encode_process(b, container_id, exec_id);
    wcr_pb_put_bool_opt(b, 3, stdin_);
}

/* --- responses ----------------------------------------------------------------------- */

int wcr_tasks_decode_create(const void *data, size_t len, char **container_id, uint32_t *pid,
                            wcr_err *err)
{
    char *id = NULL;
    uint32_t p = 0;
    wcr_pb_reader r;
    wcr_pb_field f;
    int rc;
    wcr_pb_reader_init(&r, data, len);
    while ((rc = wcr_pb_next(&r, &f, err)) > 0) {
        if (f.number == 1)
            rc = wcr_pb_get_string_dup(&f, &id, err);
        else if (f.number == 2)
            rc = wcr_pb_get_uint32(&f, &p, err);
        if (rc < 0)
            break;
    }
    if (rc < 0) {
        free(id);
        return wcr_err_wrap(err, "CreateTaskResponse");
    }
    if (container_id) {
        free(*container_id);
        *container_id = id;
    } else {
        free(id);
    }
    *pid = p;
    return 0;
}

/* StartResponse {pid = 1}. */
int wcr_tasks_decode_start(const void *data, size_t len, uint32_t *pid, wcr_err *err)
{
    uint32_t p = 0;
    wcr_pb_reader r;
    wcr_pb_field f;
    int rc;
    wcr_pb_reader_init(&r, data, len);
    while ((rc = wcr_pb_next(&r, &f, err)) > 0)
        if (f.number == 1 && (rc = wcr_pb_get_uint32(&f, &p, err)) < 0)
            break;
    if (rc < 0)
        return wcr_err_wrap(err, "StartResponse");
    *pid = p;
    return 0;
}

/* DeleteResponse and WaitResponse fill the same struct from different
 * field numbers: `numbers` maps id, pid, exit_status, exited_at to theirs
 * (0: absent). */
static int decode_exit(const void *data, size_t len, const uint32_t numbers[4],
                       wcr_task_exit *out, const char *what, wcr_err *err)
{
    wcr_pb_reader r;
    wcr_pb_field f;
    int rc;
    wcr_pb_reader_init(&r, data, len);
    while ((rc = wcr_pb_next(&r, &f, err)) > 0) {
        if (f.number == numbers[0])
            rc = wcr_pb_get_string_dup(&f, &out->id, err);
        else if (f.number == numbers[1])
            rc = wcr_pb_get_uint32(&f, &out->pid, err);
        else if (f.number == numbers[2])
            rc = wcr_pb_get_uint32(&f, &out->exit_status, err);
        else if (f.number == numbers[3])
            rc = wcr_pb_get_timestamp(&f, &out->exited_at, err);
        if (rc < 0)
            break;
    }
    if (rc < 0) {
        wcr_task_exit_dispose(out);
        return wcr_err_wrap(err, "%s", what);
    }
    return 0;
}

int wcr_tasks_decode_delete(const void *data, size_t len, wcr_task_exit *out, wcr_err *err)
{
    static const uint32_t numbers[4] = { 1, 2, 3, 4 };
    return decode_exit(data, len, numbers, out, "DeleteResponse", err);
}

int wcr_tasks_decode_wait(const void *data, size_t len, wcr_task_exit *out, wcr_err *err)
{
    static const uint32_t numbers[4] = { 0, 0, 1, 2 };
    return decode_exit(data, len, numbers, out, "WaitResponse", err);
}

int wcr_tasks_decode_get(const void *data, size_t len, wcr_task_process *out, wcr_err *err)
{
    return wcr_ctd_decode_field(data, len, 1, &process_type, out, err);
}

int wcr_tasks_decode_list(const void *data, size_t len, wcr_task_processes *out, wcr_err *err)
{
    if (wcr_ctd_decode_each(data, len, 1, add_process, out, err) < 0) {
        wcr_task_processes_dispose(out);
        return -1;
    }
    return 0;
}

static int decode_create(const void *data, size_t len, void *out, wcr_err *err)
{
    return wcr_tasks_decode_create(data, len, NULL, out, err);
}

static int decode_start(const void *data, size_t len, void *out, wcr_err *err)
{
    return wcr_tasks_decode_start(data, len, out, err);
}

static int decode_delete(const void *data, size_t len, void *out, wcr_err *err)
{
    return wcr_tasks_decode_delete(data, len, out, err);
}

static int decode_wait(const void *data, size_t len, void *out, wcr_err *err)
{
    return wcr_tasks_decode_wait(data, len, out, err);
}

static int decode_get(const void *data, size_t len, void *out, wcr_err *err)
{
    return wcr_tasks_decode_get(data, len, out, err);
}

static int decode_list(const void *data, size_t len, void *out, wcr_err *err)
{
    return wcr_tasks_decode_list(data, len, out, err);
}

/* --- calls ---------------------------------------------------------------------------- */

/* Context for errors: "start task ctr1", "start process sh of task ctr1". */
static int wrap(wcr_err *err, const char *verb, const char *container_id, const char *exec_id)
{
    if (exec_id && exec_id[0])
        return wcr_err_wrap(err, "%s process %s of task %s", verb, exec_id,
                            container_id ? container_id : "");
    return wcr_err_wrap(err, "%s task %s", verb, container_id ? container_id : "");
}

int wcr_tasks_create(wcr_ctd *c, const wcr_task_create_request *req, uint32_t *pid,
                     wcr_err *err)
{
    wcr_buf b = WCR_BUF_INIT("request", WCR_BUF_NO_LIMIT);
    uint32_t p = 0;
    wcr_tasks_encode_create(&b, req);
    if (wcr_ctd_rpc(c, SVC "Create", &b, decode_create, &p, err) < 0)
        return wrap(err, "create", req->container_id, NULL);
    if (pid)
        *pid = p;
    return 0;
}

int wcr_tasks_start(wcr_ctd *c, const char *container_id, const char *exec_id, uint32_t *pid,
                    wcr_err *err)
{
    wcr_buf b = WCR_BUF_INIT("request", WCR_BUF_NO_LIMIT);
    uint32_t p = 0;
    wcr_tasks_encode_process(&b, container_id, exec_id);
    if (wcr_ctd_rpc(c, SVC "Start", &b, decode_start, &p, err) < 0)
        return wrap(err, "start", container_id, exec_id);
    if (pid)
        *pid = p;
    return 0;
}

int wcr_tasks_delete(wcr_ctd *c, const char *container_id, wcr_task_exit *out, wcr_err *err)
{
    wcr_buf b = WCR_BUF_INIT("request", WCR_BUF_NO_LIMIT);
    wcr_tasks_encode_process(&b, container_id, NULL);
    if (wcr_ctd_rpc(c, SVC "Delete", &b, out ? decode_delete : NULL, out, err) < 0)
        return wrap(err, "delete", container_id, NULL);
    return 0;
}

int wcr_tasks_delete_process(wcr_ctd *c, const char *container_id, const char *exec_id,
                             wcr_task_exit *out, wcr_err *err)
{
    wcr_buf b = WCR_BUF_INIT("request", WCR_BUF_NO_LIMIT);
    wcr_tasks_encode_process(&b, container_id, exec_id);
    if (wcr_ctd_rpc(c, SVC "DeleteProcess", &b, out ? decode_delete : NULL, out, err) < 0)
        return wrap(err, "delete", container_id, exec_id);
    return 0;
}

int wcr_tasks_get(wcr_ctd *c, const char *container_id, const char *exec_id,
                  wcr_task_process *out, wcr_err *err)
{
    wcr_buf b = WCR_BUF_INIT("request", WCR_BUF_NO_LIMIT);
    wcr_tasks_encode_process(&b, container_id, exec_id);
    if (wcr_ctd_rpc(c, SVC "Get", &b, decode_get, out, err) < 0)
        return wrap(err, "get", container_id, exec_id);
    return 0;
}

int wcr_tasks_list(wcr_ctd *c, const char *filter, wcr_task_processes *out, wcr_err *err)
{
    wcr_buf b = WCR_BUF_INIT("request", WCR_BUF_NO_LIMIT);
    wcr_tasks_encode_list(&b, filter);
    if (wcr_ctd_rpc(c, SVC "List", &b, decode_list, out, err) < 0)
        return wcr_err_wrap(err, "list tasks");
    return 0;
}

int wcr_tasks_kill(wcr_ctd *c, const char *container_id, const char *exec_id, uint32_t signal,
                   bool all, wcr_err *err)
{
    wcr_buf b = WCR_BUF_INIT("request", WCR_BUF_NO_LIMIT);
    wcr_tasks_encode_kill(&b, container_id, exec_id, signal, all);
    if (wcr_ctd_rpc(c, SVC "Kill", &b, NULL, NULL, err) < 0)
        return wrap(err, "signal", container_id, exec_id);
    return 0;
}

int wcr_tasks_exec(wcr_ctd *c, const wcr_task_exec_request *req, wcr_err *err)
{
    wcr_buf b = WCR_BUF_INIT("request", WCR_BUF_NO_LIMIT);
    wcr_tasks_encode_exec(&b, req);
    if (wcr_ctd_rpc(c, SVC "Exec", &b, NULL, NULL, err) < 0)
        return wrap(err, "exec", req->container_id, req->exec_id);
    return 0;
}

int wcr_tasks_resize_pty(wcr_ctd *c, const char *container_id, const char *exec_id,
                         uint32_t width, uint32_t height, wcr_err *err)
{
    wcr_buf b = WCR_BUF_INIT("request", WCR_BUF_NO_LIMIT);
    wcr_tasks_encode_resize_pty(&b, container_id, exec_id, width, height);
    if (wcr_ctd_rpc(c, SVC "ResizePty", &b, NULL, NULL, err) < 0)
        return wrap(err, "resize the terminal of", container_id, exec_id);
    return 0;
}

int wcr_tasks_close_io(wcr_ctd *c, const char *container_id, const char *exec_id, bool stdin_,
                       wcr_err *err)
{
    wcr_buf b = WCR_BUF_INIT("request", WCR_BUF_NO_LIMIT);
    wcr_tasks_encode_close_io(&b, container_id, exec_id, stdin_);
    if (wcr_ctd_rpc(c, SVC "CloseIO", &b, NULL, NULL, err) < 0)
        return wrap(err, "close the input of", container_id, exec_id);
    return 0;
}

int wcr_tasks_wait(wcr_ctd *c, const char *container_id, const char *exec_id,
                   wcr_task_exit *out, wcr_err *err)
{
    wcr_buf b = WCR_BUF_INIT("request", WCR_BUF_NO_LIMIT);
    wcr_tasks_encode_process(&b, container_id, exec_id);
    if (wcr_ctd_rpc_wait(c, SVC "Wait", &b, out ? decode_wait : NULL, out, err) < 0)
        return wrap(err, "wait for", container_id, exec_id);
    return 0;
}
