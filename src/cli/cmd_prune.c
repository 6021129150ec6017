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
    wcr_buf out = WCR_BUF_INIT("prune output", WCR_BUF_NO_LIMIT);
    if (rc == 0 && g->format == CLI_FORMAT_JSON) {
        wcr_jsonw w;
        cli_json_init(&w, &out);
        wcr_jsonw_object_begin(&w);
        wcr_jsonw_key(&w, "removedContainers");
        wcr_jsonw_array_begin(&w);
        for (size_t i = 0; i < r.containers; i++)
            wcr_jsonw_string(&w, r.removed[i]);
        wcr_jsonw_array_end(&w);
        wcr_jsonw_kv_uint64(&w, "containers", r.containers);
        wcr_jsonw_kv_uint64(&w, "tasks", r.tasks);
        wcr_jsonw_kv_uint64(&w, "snapshots", r.snapshots);
        wcr_jsonw_kv_uint64(&w, "leases", r.leases);
        wcr_jsonw_kv_uint64(&w, "fifoDirs", r.fifo_dirs);
        wcr_jsonw_object_end(&w);
        rc = wcr_jsonw_finish(&w, err);
    } else if (rc == 0) {
        for (size_t i = 0; i < r.containers; i++)
            wcr_buf_printf(&out, "%s\n", r.removed[i]);
        wcr_buf_printf(&out, "Removed %zu containers, %zu tasks, %zu snapshots, %zu leases, %zu FIFO directories\n",
                       r.containers, r.tasks, r.snapshots, r.leases, r.fifo_dirs);
    }
    if (rc == 0)
        rc = cli_print(g, &out, err);
    wcr_buf_dispose(&out);
    wcr_prune_report_dispose(&r);
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
        "24 hours).\n"
        "\n"
        "Prints the ID of each removed container, then what was removed in all.\n",
    .run = prune_run,
};
