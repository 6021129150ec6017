/* wcr start C... */
#include "cli/commands.h"
#include "cli/output.h"
#include "run/manage.h"

static int start_run(const cli_globals *g, void *opts, int argc, char **argv, wcr_err *err)
{
    (void)opts;
    wcr_ctd *c = cli_connect(g, err);
    if (!c)
        return -1;
    int rc = 0;
    for (int i = 0; i < argc && rc == 0; i++) {
        uint32_t pid;
        rc = wcr_container_start(c, argv[i], &pid, err);
        if (rc == 0)
            fprintf(g->out, "%s\n", argv[i]);
    }
    wcr_ctd_close(c);
    return rc;
}

const cli_command cmd_start = {
    .name = "start",
    .summary = "Start stopped containers again, in the background",
    .usage = "CONTAINER...",
    .description =
        "Runs the container's command once more in a new task, detached; its output\n"
        "is appended to the container's log (wcr logs).\n",
    .min_args = 1,
    .max_args = -1,
    .run = start_run,
};
