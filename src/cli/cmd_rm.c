/* wcr rm [-f] C... */
#include "cli/commands.h"
#include "cli/output.h"
#include "run/manage.h"

typedef struct rm_opts {
    bool force;
} rm_opts;

static const cli_flag rm_flags[] = {
    { "force", 'f', CLI_FLAG_BOOL, offsetof(rm_opts, force), NULL, "Kill a running container first" },
    CLI_FLAGS_END,
};

static int rm_run(const cli_globals *g, void *opts, int argc, char **argv, wcr_err *err)
{
    const rm_opts *o = opts;
    wcr_ctd *c = cli_connect(g, err);
    if (!c)
        return -1;
    int rc = 0;
    for (int i = 0; i < argc && rc == 0; i++) {
        rc = wcr_container_remove(c, argv[i], o->force, err);
        if (rc == 0)
            fprintf(g->out, "%s\n", argv[i]);
    }
    wcr_ctd_close(c);
    return rc;
}

const cli_command cmd_rm = {
    .name = "rm",
    .summary = "Remove containers, their tasks and their snapshots",
    .usage = "[OPTIONS] CONTAINER...",
    .flags = rm_flags,
    .opts_size = sizeof(rm_opts),
    .min_args = 1,
    .max_args = -1,
    .run = rm_run,
};
