/* wcr kill [-s SIGNAL] C... */
#include <string.h>

#include "cli/commands.h"
#include "cli/output.h"
#include "core/str.h"
#include "run/manage.h"
#include "run/signals.h"

typedef struct kill_opts {
    const char *signal;
} kill_opts;

static const cli_flag kill_flags[] = {
    { "signal", 's', CLI_FLAG_STRING, offsetof(kill_opts, signal), "SIGNAL",
      "Signal to send: a name (TERM, SIGINT) or a number (default KILL)" },
    CLI_FLAGS_END,
};

static int kill_run(const cli_globals *g, void *opts, int argc, char **argv, wcr_err *err)
{
    const kill_opts *o = opts;
    int sig = 9;
    if (o->signal && wcr_signal_parse(o->signal, &sig) < 0)
        return cli_usage_error(err, "kill", "unknown signal \"%s\"", o->signal);
    wcr_ctd *c = cli_connect(g, err);
    if (!c)
        return -1;
    int rc = 0;
    for (int i = 0; i < argc && rc == 0; i++) {
        rc = wcr_container_kill(c, argv[i], (uint32_t)sig, err);
        if (rc == 0)
            fprintf(g->out, "%s\n", argv[i]);
    }
    wcr_ctd_close(c);
    return rc;
}

const cli_command cmd_kill = {
    .name = "kill",
    .summary = "Send a signal to containers",
    .usage = "[OPTIONS] CONTAINER...",
    .flags = kill_flags,
    .opts_size = sizeof(kill_opts),
    .min_args = 1,
    .max_args = -1,
    .run = kill_run,
};
