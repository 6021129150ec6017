/* wcr exec [OPTIONS] CONTAINER COMMAND [ARG...] */
#include <stdlib.h>

#include "cli/commands.h"
#include "cli/output.h"
#include "os/os.h"
#include "run/exec.h"

typedef struct exec_opts {
    cli_list env, env_files;
    const char *workdir, *user;
    bool interactive, tty, detach;
} exec_opts;

static const cli_flag exec_flags[] = {
    { "interactive", 'i', CLI_FLAG_BOOL, offsetof(exec_opts, interactive), NULL,
      "Connect our stdin to the process" },
    { "tty", 't', CLI_FLAG_BOOL, offsetof(exec_opts, tty), NULL, "Give the process a terminal" },
    { "detach", 'd', CLI_FLAG_BOOL, offsetof(exec_opts, detach), NULL,
      "Start the process and return; its output is discarded" },
    { "env", 'e', CLI_FLAG_LIST, offsetof(exec_opts, env), "KEY=VALUE",
      "Set a variable (KEY alone: its value here, or unset when not set here)" },
    { "env-file", 0, CLI_FLAG_LIST, offsetof(exec_opts, env_files), "FILE",
      "Read variables from a file of KEY=VALUE lines (# comments)" },
    { "workdir", 'w', CLI_FLAG_STRING, offsetof(exec_opts, workdir), "DIR",
      "Working directory (default: the container's)" },
    { "user", 'u', CLI_FLAG_STRING, offsetof(exec_opts, user), "USER[:GROUP]",
      "User to run as (default: the container's): NAME, UID, NAME:GROUP, UID:GID; "
      "Windows: an account name" },
    CLI_FLAGS_END,
};

static void on_signal(void *ud, int sig)
{
    wcr_exec_signal(ud, sig);
}

static int exec_run(const cli_globals *g, void *opts, int argc, char **argv, wcr_err *err)
{
    const exec_opts *o = opts;
    if (o->detach && (o->interactive || o->tty))
        return cli_usage_error(err, "exec", "-d cannot be used with -i or -t");
    wcr_exec_options xo = { WCR_EXEC_OPTIONS_VERSION };
    xo.container = argv[0];
    xo.args = (const char *const *)argv + 1;
    xo.n_args = (size_t)argc - 1;
    xo.env = (const char *const *)o->env.items;
    xo.n_env = o->env.len;
    xo.env_files = (const char *const *)o->env_files.items;
    xo.n_env_files = o->env_files.len;
    xo.workdir = o->workdir;
    xo.user = o->user;
    xo.interactive = o->interactive;
    xo.tty = o->tty;
    xo.detach = o->detach;

    int rc = -1, code = 0;
    wcr_ctd *c = cli_connect(g, err);
    wcr_exec *x = c ? wcr_exec_new(c, &xo, err) : NULL;
    if (x && wcr_os_interrupt_watch(on_signal, x, o->tty, err) == 0) {
        rc = wcr_exec_start(x, err);
        if (rc == 0 && !o->detach)
            rc = wcr_exec_wait(x, &code, err);
        wcr_os_interrupt_stop();
    }
    wcr_exec_free(x);
    wcr_ctd_close(c);
    return rc < 0 ? -1 : code;
}

const cli_command cmd_exec = {
    .name = "exec",
    .summary = "Run a command in a running container",
    .usage = "[OPTIONS] CONTAINER COMMAND [ARG...]",
    .description =
        "Runs COMMAND next to the container's own process, with the container's\n"
        "environment, working directory and user unless -e, -w or -u say\n"
        "otherwise. Flags end at CONTAINER.\n"
        "\n"
        "The exit status is the command's own; 125 when wcr fails, 126 when the\n"
        "command cannot be executed, 127 when it does not exist. SIGINT, SIGTERM\n"
        "and SIGHUP are passed to the process.\n",
    .flags = exec_flags,
    .opts_size = sizeof(exec_opts),
    .min_args = 2,
    .max_args = -1,
    .flags_first = true,
    .run = exec_run,
};
