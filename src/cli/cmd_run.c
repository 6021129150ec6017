/* wcr run [OPTIONS] IMAGE [CMD...] */
#include <stdlib.h>
#include <string.h>

#include "cli/commands.h"
#include "cli/output.h"
#include "cli/run_flags.h"
#include "os/os.h"
#include "run/run.h"

typedef struct run_opts {
    cli_run_opts run;
    bool rm, detach, interactive;
    const char *name, *runtime, *snapshotter, *pull;
} run_opts;

static const cli_flag run_flags[] = {
    CLI_RUN_FLAGS(run_opts, run),
    { "rm", 0, CLI_FLAG_BOOL, offsetof(run_opts, rm), NULL,
      "Remove the container (and its snapshot) when it exits" },
    { "detach", 'd', CLI_FLAG_BOOL, offsetof(run_opts, detach), NULL,
      "Run in the background; its output goes to a log (wcr logs)" },
    { "interactive", 'i', CLI_FLAG_BOOL, offsetof(run_opts, interactive), NULL,
      "Connect our stdin to the process" },
    { "name", 0, CLI_FLAG_STRING, offsetof(run_opts, name), "NAME",
      "The container's name (its containerd ID); default: random" },
    { "runtime", 0, CLI_FLAG_STRING, offsetof(run_opts, runtime), "NAME",
      "containerd runtime (default io.containerd.runc.v2; Windows io.containerd.runhcs.v1)" },
    { "snapshotter", 0, CLI_FLAG_STRING, offsetof(run_opts, snapshotter), "NAME",
      "Snapshotter (default overlayfs on Linux, windows on Windows)" },
    { "pull", 0, CLI_FLAG_STRING, offsetof(run_opts, pull), "missing|always|never",
      "When to pull the image (default missing)" },
    CLI_FLAGS_END,
};

static void write_err(void *ud, const char *text, size_t len)
{
    (void)ud;
    wcr_os_std_write(WCR_OS_STDERR, text, len, NULL);
}

static void on_signal(void *ud, int sig)
{
    wcr_run_signal(ud, sig);
}

static int parse_pull(const char *text, wcr_pull_policy *out, wcr_err *err)
{
    if (!text || strcmp(text, "missing") == 0)
        *out = WCR_PULL_MISSING;
    else if (strcmp(text, "always") == 0)
        *out = WCR_PULL_ALWAYS;
    else if (strcmp(text, "never") == 0)
        *out = WCR_PULL_NEVER;
    else
        return cli_usage_error(err, "run", "--pull takes missing, always or never, not \"%s\"", text);
    return 0;
}

static int run_run(const cli_globals *g, void *opts, int argc, char **argv, wcr_err *err)
{
    const run_opts *o = opts;
    if (o->detach && o->rm)
        return cli_usage_error(err, "run", "--rm and -d together: a detached container is removed with wcr rm");
    wcr_run_options ro = { WCR_RUN_OPTIONS_VERSION };
    if (parse_pull(o->pull, &ro.pull, err) < 0)
        return -1;
    cli_run_spec rs;
    if (cli_run_spec_init(&rs, &o->run, argc - 1, argv + 1, "run", err) < 0)
        return -1;
    wcr_pull_options po = WCR_PULL_OPTIONS_INIT;
    po.progress = WCR_PROGRESS_LINES;
    po.write = write_err;
    ro.image = argv[0];
    ro.name = o->name;
    ro.rm = o->rm;
    ro.detach = o->detach;
    ro.interactive = o->interactive;
    ro.runtime = o->runtime;
    ro.snapshotter = o->snapshotter;
    ro.platform = rs.have_platform ? &rs.platform : NULL;
    ro.pull_opts = &po;
    ro.spec = &rs.in;

    int rc = -1, code = 0;
    wcr_ctd *c = cli_connect(g, err);
    wcr_run *r = c ? wcr_run_new(c, &ro, err) : NULL;
    if (r && wcr_os_interrupt_watch(on_signal, r, o->run.tty, err) == 0) {
        rc = wcr_run_start(r, err);
        if (rc == 0 && o->detach)
            fprintf(g->out, "%s\n", wcr_run_id(r));
        else if (rc == 0)
            rc = wcr_run_wait(r, &code, err);
        wcr_os_interrupt_stop();
    }
    wcr_run_free(r);
    wcr_ctd_close(c);
    cli_run_spec_dispose(&rs);
    return rc < 0 ? -1 : code;
}

const cli_command cmd_run = {
    .name = "run",
    .summary = "Run a command in a new container",
    .usage = "[OPTIONS] IMAGE [COMMAND] [ARG...]",
    .description =
        "Pulls the image when it is missing, makes a container from it and runs\n"
        "COMMAND (default: the image's ENTRYPOINT and CMD). Flags end at IMAGE:\n"
        "what follows is the command and its arguments.\n"
        "\n"
        "The exit status is the command's own; 125 when wcr fails, 126 when the\n"
        "command cannot be executed, 127 when it does not exist. SIGINT, SIGTERM\n"
        "and SIGHUP are passed to the process (a third Ctrl+C kills it).\n",
    .flags = run_flags,
    .opts_size = sizeof(run_opts),
    .min_args = 1,
    .max_args = -1,
    .flags_first = true,
    .run = run_run,
};
