/* wcr prune */
#include "cli/commands.h"
#include "cli/output.h"
#include "run/manage.h"

static int prune_run(const cli_globals *g, void *opts, int argc, char **argv, wcr_err *err)
{
    (void)opts, (void)argc, (void)argv;
    wcr_ctd *c = cli_connect(g, err);
    if (!c)
        return -1;
    wcr_prune_report r;
    int rc = wcr_prune(c, &r, err);
    if (rc == 0 && g->format == CLI_FORMAT_JSON)
        fprintf(g->out, "{\"containers\": %zu, \"tasks\": %zu, \"snapshots\": %zu, \"leases\": %zu, \"fifoDirs\": %zu}\n",
                r.containers, r.tasks, r.snapshots, r.leases, r.fifo_dirs);
    else if (rc == 0)
        fprintf(g->out, "Removed %zu containers, %zu tasks, %zu snapshots, %zu leases, %zu FIFO directories\n",
                r.containers, r.tasks, r.snapshots, r.leases, r.fifo_dirs);
    wcr_ctd_close(c);
    return rc;
}

const cli_command cmd_prune = {
    .name = "prune",
    .summary = "Remove stopped containers and what an interrupted wcr left behind",
    .usage = "",
    .description =
        "Removes wcr's stopped containers with their snapshots; containers run with\n"
        "--rm whose wcr process is gone (their task is killed); wcr's snapshots whose\n"
        "container is gone; leases of wcr processes that are gone; and FIFO\n"
        "directories of runs that are over. Running containers are left alone, and\n"
        "so are the leases that let an interrupted pull resume (they expire within\n"
        "24 hours).\n",
    .run = prune_run,
};
