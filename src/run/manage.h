/* Managing wcr's containers after they run: listing with their task's
 * state, stopping, killing, removing (with the snapshot), logs, and
 * pruning what a killed wcr left behind. */
#ifndef WCR_RUN_MANAGE_H
#define WCR_RUN_MANAGE_H

#include <stdbool.h>
#include <stdint.h>

#include "containerd/client.h"
#include "containerd/containers.h"
#include "core/buf.h"
#include "core/json.h"

/* Labels wcr puts on what it creates. */
#define WCR_LABEL_MANAGED "io.wcr.managed"  /* "true" */
#define WCR_LABEL_RM "io.wcr.rm"            /* "true": remove when it exits */
#define WCR_LABEL_OWNER "io.wcr.owner"      /* pid of the attached wcr */
#define WCR_LABEL_LOG "io.wcr.log"          /* the log file of a detached run */
#define WCR_LABEL_TTY "io.wcr.tty"          /* "true" with -t */
#define WCR_LABEL_CONTAINER "io.wcr.container" /* on a snapshot: its container */
#define WCR_LABEL_EXIT "io.wcr.exit"        /* exit status of an attached run, its task gone */

typedef struct wcr_ps_entry {
    wcr_container ct;
    int status;            /* wcr_task_status; WCR_TASK_UNKNOWN: no task */
    uint32_t pid;
    uint32_t exit_status;
    bool exited;
} wcr_ps_entry;

typedef struct wcr_ps_list {
    wcr_ps_entry *items;
    size_t n;
} wcr_ps_list;

void wcr_ps_list_dispose(wcr_ps_list *l);

/* wcr's containers (all, or only those with a running task). */
int wcr_ps(wcr_ctd *c, bool all, wcr_ps_list *out, wcr_err *err);

/* The status text ps shows: "Up", "Exited (3)", "Created". */
void wcr_ps_status(const wcr_ps_entry *e, char *out, size_t size);

/* The exit status recorded (as a label) when wcr deleted the task, so
 * ps -a and inspect still tell how the container ended. */
bool wcr_container_recorded_exit(const wcr_container *ct, uint32_t *status);
void wcr_container_record_exit(wcr_ctd *c, const char *id, uint32_t status);

/* Signal a container's task (all its processes with all). */
int wcr_container_kill(wcr_ctd *c, const char *id, uint32_t signal, wcr_err *err);

/* SIGTERM, then SIGKILL after timeout_s seconds, then delete the task.
 * A container without a running task is fine. */
int wcr_container_stop(wcr_ctd *c, const char *id, unsigned timeout_s, wcr_err *err);

/* Remove a container, its task (force: killed first; else it must have
 * stopped) and its snapshot. */
int wcr_container_remove(wcr_ctd *c, const char *id, bool force, wcr_err *err);

/* Start a container whose process has ended (or never started): a new
 * task, detached, output appended to its log (wcr logs). Already running:
 * WCR_E_EXISTS. *pid gets the new process's. */
int wcr_container_start(wcr_ctd *c, const char *id, uint32_t *pid, wcr_err *err);

/* Its record, task state and log as one JSON object, for wcr inspect:
 * {"Id","Image","Created","Runtime","Snapshotter","SnapshotKey","Labels",
 *  "State":{"Status","Running","Pid","ExitCode","FinishedAt"},"LogPath",
 *  "Spec"}, as the next value of w. */
int wcr_container_inspect(wcr_ctd *c, const char *id, wcr_jsonw *w, wcr_err *err);

/* The log file of a detached container (from its label). malloc'd. */
char *wcr_container_log_path(wcr_ctd *c, const char *id, wcr_err *err);

/* What prune did. */
typedef struct wcr_prune_report {
    size_t containers, tasks, snapshots, leases, fifo_dirs;
    char **removed; /* the IDs of the removed containers, `containers` of them */
} wcr_prune_report;

void wcr_prune_report_dispose(wcr_prune_report *r);

/* Remove stopped wcr containers, --rm containers whose wcr died (their task
 * killed), wcr snapshots without a container, wcr leases whose owner died,
 * and FIFO directories of dead runs. */
int wcr_prune(wcr_ctd *c, wcr_prune_report *report, wcr_err *err);

#endif
