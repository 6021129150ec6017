/* wcr stop [-t SECONDS] C... */
#include "cli/commands.h"
#include "cli/output.h"
#include "run/manage.h"

typedef struct stop_opts {
    long long timeout;
} stop_opts;

static void stop_defaults(void *opts)
{
    ((stop_opts *)opts)->timeout = 10;
}

static const cli_flag stop_flags[] = {
    { "time", 't', CLI_FLAG_INT, offsetof(stop_opts, timeout), "SECONDS",
      "Seconds to wait after SIGTERM before SIGKILL (default 10)", 0, 86400 },
    CLI_FLAGS_END,
};

static int stop_run(const cli_globals *g, void *opts, int argc, char **argv, wcr_err *err)
{
    const stop_opts *o = opts;
    unsigned timeout = (unsigned)o->timeout;
    wcr_ctd *c = cli_connect(g, err);
    if (!c)
        return -1;
    int rc = 0;
    for (int i = 0; i < argc && rc == 0; i++) {
        rc = wcr_container_stop(c, argv[i], timeout, err);
        if (rc == 0)
            fprintf(g->out, "%s\n", argv[i]);
    }
    wcr_ctd_close(c);
    return rc;
}

const cli_command cmd_stop = {
    .name = "stop",
    .summary = "Stop containers: SIGTERM, then SIGKILL after a timeout",
    .usage = "[OPTIONS] CONTAINER...",
    .flags = stop_flags,
    .opts_size = sizeof(stop_opts),
    .min_args = 1,
    .max_args = -1,
    .run = stop_run,
    .init_opts = stop_defaults,
};
