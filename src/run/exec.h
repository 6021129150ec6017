/* wcr exec: another process in a running container, with its own stdio,
 * the container's process settings (capabilities, rlimits, ...) and the
 * caller's command, environment, directory, user and terminal. */
#ifndef WCR_RUN_EXEC_H
#define WCR_RUN_EXEC_H

#include <stdbool.h>
#include <stddef.h>

#include "containerd/client.h"

typedef struct wcr_exec_options {
    unsigned version;            /* WCR_EXEC_OPTIONS_VERSION */
    const char *container;
    const char *const *args;     /* the command */
    size_t n_args;
    const char *const *env;      /* -e KEY=VALUE (KEY alone: ours, or unset) */
    size_t n_env;
    const char *const *env_files; /* --env-file, applied before -e */
    size_t n_env_files;
    const char *workdir;         /* NULL: the container's */
    const char *user;            /* NULL: the container's */
    bool interactive, tty;
    bool detach;                 /* no stdio; the process outlives wcr */
} wcr_exec_options;

#define WCR_EXEC_OPTIONS_VERSION 1

typedef struct wcr_exec wcr_exec;

wcr_exec *wcr_exec_new(wcr_ctd *c, const wcr_exec_options *o, wcr_err *err);
/* Start the process and attach stdio; the errors are those of wcr_run_start. */
int wcr_exec_start(wcr_exec *x, wcr_err *err);
/* Wait for it; its exit status in *exit_code. */
int wcr_exec_wait(wcr_exec *x, int *exit_code, wcr_err *err);
/* From any thread: a signal for the process (WCR_SIG_WINCH: resize). */
void wcr_exec_signal(wcr_exec *x, int sig);
void wcr_exec_free(wcr_exec *x);

#endif
