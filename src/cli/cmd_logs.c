/* wcr logs [-f] C */
#include <stdlib.h>

#include "cli/commands.h"
#include "cli/output.h"
#include "run/logs.h"

typedef struct logs_opts {
    bool follow;
} logs_opts;

static const cli_flag logs_flags[] = {
    { "follow", 'f', CLI_FLAG_BOOL, offsetof(logs_opts, follow), NULL,
      "Keep printing new output until the container stops" },
    CLI_FLAGS_END,
};

static int logs_run(const cli_globals *g, void *opts, int argc, char **argv, wcr_err *err)
{
    (void)argc;
    const logs_opts *o = opts;
    fflush(g->out);
    wcr_ctd *c = cli_connect(g, err);
    int rc = c ? wcr_logs_copy(c, argv[0], o->follow, err) : -1;
    wcr_ctd_close(c);
    return rc;
}

const cli_command cmd_logs = {
    .name = "logs",
    .summary = "Print the output of a container run with -d",
    .usage = "[OPTIONS] CONTAINER",
    .flags = logs_flags,
    .opts_size = sizeof(logs_opts),
    .min_args = 1,
    .max_args = 1,
    .run = logs_run,
};
