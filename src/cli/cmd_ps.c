/* wcr ps [-a]: wcr's containers and their tasks. */
#include <string.h>

#include "cli/commands.h"
#include "cli/output.h"
#include "core/timefmt.h"
#include "run/manage.h"

typedef struct ps_opts {
    bool all;
    bool quiet;
} ps_opts;

static const cli_flag ps_flags[] = {
    { "all", 'a', CLI_FLAG_BOOL, offsetof(ps_opts, all), NULL, "Show stopped containers too" },
    { "quiet", 'q', CLI_FLAG_BOOL, offsetof(ps_opts, quiet), NULL, "Only the IDs" },
    CLI_FLAGS_END,
};

static int ps_run(const cli_globals *g, void *opts, int argc, char **argv, wcr_err *err)
{
    (void)argc, (void)argv;
    const ps_opts *o = opts;
    wcr_ctd *c = cli_connect(g, err);
    if (!c)
        return -1;
    wcr_ps_list ps;
    wcr_buf out = WCR_BUF_INIT("output", WCR_BUF_NO_LIMIT);
    int rc = wcr_ps(c, o->all, &ps, err);
    if (rc == 0 && g->format == CLI_FORMAT_JSON) {
        wcr_jsonw w;
        cli_json_init(&w, &out);
        wcr_jsonw_array_begin(&w);
        for (size_t i = 0; i < ps.n; i++) {
            const wcr_ps_entry *e = &ps.items[i];
            char status[32], created[WCR_TIME_TEXT_MAX];
            wcr_ps_status(e, status, sizeof status);
            wcr_time_format(e->ct.created_at.seconds, e->ct.created_at.nanos, created);
            wcr_jsonw_object_begin(&w);
            wcr_jsonw_kv_string(&w, "id", e->ct.id);
            wcr_jsonw_kv_string(&w, "image", e->ct.image ? e->ct.image : "");
            wcr_jsonw_kv_string(&w, "status", status);
            wcr_jsonw_kv_uint64(&w, "pid", e->pid);
            if (e->exited)
                wcr_jsonw_kv_uint64(&w, "exitCode", e->exit_status);
            wcr_jsonw_kv_string(&w, "created", created);
            wcr_jsonw_kv_string(&w, "runtime", e->ct.runtime_name ? e->ct.runtime_name : "");
            wcr_jsonw_object_end(&w);
        }
        wcr_jsonw_array_end(&w);
        rc = wcr_jsonw_finish(&w, err);
    } else if (rc == 0 && o->quiet) {
        for (size_t i = 0; i < ps.n; i++)
            wcr_buf_printf(&out, "%s\n", ps.items[i].ct.id);
    } else if (rc == 0) {
        static const char *const head[] = { "CONTAINER", "IMAGE", "STATUS", "PID", "CREATED" };
        cli_table t;
        cli_table_init(&t, head, 5);
        for (size_t i = 0; i < ps.n; i++) {
            const wcr_ps_entry *e = &ps.items[i];
            char status[32], pid[16], created[WCR_TIME_TEXT_MAX];
            wcr_ps_status(e, status, sizeof status);
            snprintf(pid, sizeof pid, "%u", (unsigned)e->pid);
            wcr_time_format(e->ct.created_at.seconds, 0, created);
            const char *row[] = { e->ct.id, e->ct.image, status, e->pid ? pid : "-", created };
            cli_table_row(&t, row);
        }
        rc = cli_table_write(&t, &out, err);
        cli_table_dispose(&t);
    }
    if (rc == 0)
        rc = cli_print(g, &out, err);
    wcr_buf_dispose(&out);
    if (rc == 0)
        wcr_ps_list_dispose(&ps);
    wcr_ctd_close(c);
    return rc;
}

const cli_command cmd_ps = {
    .name = "ps",
    .summary = "List wcr's containers",
    .usage = "[OPTIONS]",
    .description = "Containers made by wcr run, with the state of their task. Other clients'\n"
                   "containers are listed by 'wcr containers ls'.\n",
    .flags = ps_flags,
    .opts_size = sizeof(ps_opts),
    .run = ps_run,
};
