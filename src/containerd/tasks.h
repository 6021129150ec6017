/* containerd.services.tasks.v1.Tasks: a container's processes (the task
 * is its init process; exec adds more). */
#ifndef WCR_CONTAINERD_TASKS_H
#define WCR_CONTAINERD_TASKS_H

#include <stdbool.h>

#include "containerd/client.h"
#include "containerd/types.h"

/* containerd.v1.types.Status (api/types/task/task.proto). */
typedef enum wcr_task_status {
    WCR_TASK_UNKNOWN = 0,
    WCR_TASK_CREATED = 1,
    WCR_TASK_RUNNING = 2,
    WCR_TASK_STOPPED = 3,
    WCR_TASK_PAUSED = 4,
    WCR_TASK_PAUSING = 5,
} wcr_task_status;

/* "CREATED", "RUNNING", ... as ctr prints them; "UNKNOWN" for others. */
const char *wcr_task_status_name(int status);

/* containerd.v1.types.Process. containerd (1.6 to 2.x) fills id and
 * leaves container_id empty in Get and List answers. (The stdio members
 * are not called stdin etc.: those are macros in <stdio.h>.) */
typedef struct wcr_task_process {
    char *container_id;
    char *id;           /* the exec ID, or for a task the container's ID */
    uint32_t pid;
    int status;         /* wcr_task_status */
    char *stdin_path;
    char *stdout_path;
    char *stderr_path;
    bool terminal;
    uint32_t exit_status;
    wcr_pb_timestamp exited_at;
} wcr_task_process;

typedef struct wcr_task_processes {
    wcr_task_process *items;
    size_t n;
} wcr_task_processes;

void wcr_task_process_dispose(wcr_task_process *p);
void wcr_task_processes_dispose(wcr_task_processes *l);

/* How a process ended: DeleteResponse (all four; containerd sets id only
 * for DeleteProcess, to the exec ID) and WaitResponse (exit_status,
 * exited_at). */
typedef struct wcr_task_exit {
    char *id;
    uint32_t pid;
    uint32_t exit_status;
    wcr_pb_timestamp exited_at;
} wcr_task_exit;

void wcr_task_exit_dispose(wcr_task_exit *e);

/* CreateTaskRequest. Borrowed; NULL and 0 are left out. checkpoint = 8 is
 * never sent; task_api_address = 11 and task_api_version = 12 (the 2.4
 * API, for sandboxed shims) are not sent either: older versions would
 * ignore them. */
typedef struct wcr_task_create_request {
    const char *container_id;
    const wcr_mounts *rootfs;
    const char *stdin_path;   /* FIFO or named-pipe paths the shim opens */
    const char *stdout_path;
    const char *stderr_path;
    bool terminal;
    const wcr_ctd_any *options;
    const char *runtime_path;
} wcr_task_create_request;

/* ExecProcessRequest: spec is the process's JSON (runtime-spec Process),
 * as an Any. Borrowed. */
typedef struct wcr_task_exec_request {
    const char *container_id;
    const char *exec_id;
    const char *stdin_path;
    const char *stdout_path;
    const char *stderr_path;
    bool terminal;
    const wcr_ctd_any *spec;
} wcr_task_exec_request;

/* The spec Any type URL of an exec'd process. */
#define WCR_CTD_PROCESS_TYPE_URL "types.containerd.io/opencontainers/runtime-spec/1/Process"

/* exec_id NULL or "" means the task (its init process) throughout. */
int wcr_tasks_create(wcr_ctd *c, const wcr_task_create_request *req, uint32_t *pid,
                     wcr_err *err);
int wcr_tasks_start(wcr_ctd *c, const char *container_id, const char *exec_id, uint32_t *pid,
                    wcr_err *err);
/* Delete a stopped task; out (may be NULL) gets how it ended. */
int wcr_tasks_delete(wcr_ctd *c, const char *container_id, wcr_task_exit *out, wcr_err *err);
int wcr_tasks_delete_process(wcr_ctd *c, const char *container_id, const char *exec_id,
                             wcr_task_exit *out, wcr_err *err);
int wcr_tasks_get(wcr_ctd *c, const char *container_id, const char *exec_id,
                  wcr_task_process *out, wcr_err *err);
/* filter: containerd's filter syntax, NULL for all. */
int wcr_tasks_list(wcr_ctd *c, const char *filter, wcr_task_processes *out, wcr_err *err);
/* all: every process of the task, not only exec_id's. */
int wcr_tasks_kill(wcr_ctd *c, const char *container_id, const char *exec_id, uint32_t signal,
                   bool all, wcr_err *err);
int wcr_tasks_exec(wcr_ctd *c, const wcr_task_exec_request *req, wcr_err *err);
int wcr_tasks_resize_pty(wcr_ctd *c, const char *container_id, const char *exec_id,
                         uint32_t width, uint32_t height, wcr_err *err);
/* stdin: close the process's stdin (EOF for it). */
int wcr_tasks_close_io(wcr_ctd *c, const char *container_id, const char *exec_id, bool stdin_,
                       wcr_err *err);
/* Block until the process exits (no deadline; Ctrl+C through
 * wcr_ctd_cancel_all). out (may be NULL) gets exit_status and exited_at. */
int wcr_tasks_wait(wcr_ctd *c, const char *container_id, const char *exec_id,
                   wcr_task_exit *out, wcr_err *err);

/* --- messages, for tests against protoc ----------------------------------------- */

void wcr_tasks_encode_create(wcr_buf *b, const wcr_task_create_request *req);
void wcr_tasks_encode_exec(wcr_buf *b, const wcr_task_exec_request *req);
/* StartRequest, DeleteProcessRequest, GetRequest, WaitRequest
 * (container_id = 1, exec_id = 2); DeleteTaskRequest (container_id = 1,
 * with exec_id NULL). */
void wcr_tasks_encode_process(wcr_buf *b, const char *container_id, const char *exec_id);
/* ListTasksRequest: filter = 1. */
void wcr_tasks_encode_list(wcr_buf *b, const char *filter);
/* KillRequest: container_id = 1, exec_id = 2, signal = 3, all = 4. */
void wcr_tasks_encode_kill(wcr_buf *b, const char *container_id, const char *exec_id,
                           uint32_t signal, bool all);
/* ResizePtyRequest: container_id = 1, exec_id = 2, width = 3, height = 4. */
void wcr_tasks_encode_resize_pty(wcr_buf *b, const char *container_id, const char *exec_id,
                                 uint32_t width, uint32_t height);
/* CloseIORequest: container_id = 1, exec_id = 2, stdin = 3. */
void wcr_tasks_encode_close_io(wcr_buf *b, const char *container_id, const char *exec_id,
                               bool stdin_);

/* CreateTaskResponse: container_id = 1, pid = 2 (container_id may be NULL
 * when not wanted). */
int wcr_tasks_decode_create(const void *data, size_t len, char **container_id, uint32_t *pid,
                            wcr_err *err);
/* StartResponse: pid = 1. */
int wcr_tasks_decode_start(const void *data, size_t len, uint32_t *pid, wcr_err *err);
/* DeleteResponse: id = 1, pid = 2, exit_status = 3, exited_at = 4. */
int wcr_tasks_decode_delete(const void *data, size_t len, wcr_task_exit *out, wcr_err *err);
/* WaitResponse: exit_status = 1, exited_at = 2. */
int wcr_tasks_decode_wait(const void *data, size_t len, wcr_task_exit *out, wcr_err *err);
/* GetResponse: process = 1. */
int wcr_tasks_decode_get(const void *data, size_t len, wcr_task_process *out, wcr_err *err);
/* ListTasksResponse: tasks = 1. */
int wcr_tasks_decode_list(const void *data, size_t len, wcr_task_processes *out, wcr_err *err);

#endif
