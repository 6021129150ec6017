/* wcr inspect C... */
#include "cli/commands.h"
#include "cli/output.h"
#include "core/json.h"
#include "run/manage.h"

static int inspect_run(const cli_globals *g, void *opts, int argc, char **argv, wcr_err *err)
{
    (void)opts;
    wcr_ctd *c = cli_connect(g, err);
    if (!c)
        return -1;
    wcr_buf out = WCR_BUF_INIT("inspect output", WCR_BUF_NO_LIMIT);
    wcr_jsonw w;
    wcr_jsonw_init(&w, &out, WCR_JSONW_PRETTY);
    wcr_jsonw_array_begin(&w);
    int rc = 0;
    for (int i = 0; i < argc && rc == 0; i++)
        rc = wcr_container_inspect(c, argv[i], &w, err);
    wcr_jsonw_array_end(&w);
    if (rc == 0 && (rc = wcr_jsonw_finish(&w, err)) == 0)
        fprintf(g->out, "%.*s\n", (int)out.len, out.data);
    wcr_buf_dispose(&out);
    wcr_ctd_close(c);
    return rc;
}

const cli_command cmd_inspect = {
    .name = "inspect",
    .summary = "Show containers as JSON: record, state, labels, log and spec",
    .usage = "CONTAINER...",
    .description =
        "Prints a JSON array with one object per container (Docker's field names\n"
        "where they exist: Id, Image, Created, State, LogPath, ...) and the\n"
        "container's runtime spec as Spec.\n",
    .min_args = 1,
    .max_args = -1,
    .run = inspect_run,
};
