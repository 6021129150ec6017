/* wcr run: image (pulled when missing) → lease → snapshot → spec →
 * container → task with stdio (FIFOs, named pipes, or a log file) →
 * start → forward signals and stdio → wait → exit code → undo, in reverse
 * order, what was made. Every resource is pushed on a cleanup stack as it
 * is made, so a failure or an interrupt anywhere unwinds exactly what
 * exists. */
#ifndef WCR_RUN_RUN_H
#define WCR_RUN_RUN_H

#include <stdbool.h>

#include "containerd/client.h"
#include "image/pull.h"
#include "spec/spec.h"

typedef enum wcr_pull_policy {
    WCR_PULL_MISSING = 0,
    WCR_PULL_ALWAYS,
    WCR_PULL_NEVER
} wcr_pull_policy;

typedef struct wcr_run_options {
    unsigned version;              /* WCR_RUN_OPTIONS_VERSION */
    const char *image;
    const char *name;              /* the container's ID; NULL: a random one */
    bool rm;                       /* remove the container when it exits */
    bool detach;                   /* -d: output to a log file, return at once */
    bool interactive;              /* -i: our stdin to the process */
    const char *runtime;           /* NULL: io.containerd.runc.v2 / runhcs.v1 */
    const char *snapshotter;       /* NULL: the OS default */
    const wcr_platform *platform;  /* NULL: the host's */
    wcr_pull_policy pull;
    const wcr_pull_options *pull_opts; /* progress and registry settings for a pull */
    wcr_spec_input *spec;          /* from the flags; the run fills in the rest */
} wcr_run_options;

#define WCR_RUN_OPTIONS_VERSION 1

typedef struct wcr_run wcr_run;

wcr_run *wcr_run_new(wcr_ctd *c, const wcr_run_options *o, wcr_err *err);

/* Everything up to a started process (and attached stdio). A command
 * that does not exist fails with WCR_E_EXEC_NOT_FOUND, one that cannot be
 * executed with WCR_E_EXEC_DENIED (Docker's 127 and 126). */
int wcr_run_start(wcr_run *r, wcr_err *err);

/* Wait for the process to exit: *exit_code is its status (128+n when a
 * signal n ended it). Then the run's resources are released as the
 * options say. */
int wcr_run_wait(wcr_run *r, int *exit_code, wcr_err *err);

/* From any thread: a signal for the process (Ctrl+C, SIGTERM); before it
 * started, it stops the run instead. WCR_SIG_WINCH resizes its terminal. */
void wcr_run_signal(wcr_run *r, int sig);

/* The container's ID. */
const char *wcr_run_id(const wcr_run *r);

/* Release what is left (everything, when the run did not get far). */
void wcr_run_free(wcr_run *r);


#endif
