/* wcr plugins ls */
#include "cli/commands.h"
#include "cli/output.h"
#include "containerd/introspection.h"

static void platforms_text(wcr_buf *b, const wcr_ctd_platforms *ps)
{
    for (size_t i = 0; i < ps->n; i++) {
        const wcr_ctd_platform *p = &ps->items[i];
        wcr_buf_printf(b, "%s%s/%s", i ? "," : "", p->os ? p->os : "", p->architecture ? p->architecture : "");
        if (p->variant && p->variant[0])
            wcr_buf_printf(b, "/%s", p->variant);
    }
    if (ps->n == 0)
        wcr_buf_putc(b, '-');
}

static int plugins_ls(const cli_globals *g, void *opts, int argc, char **argv, wcr_err *err)
{
    (void)opts, (void)argc, (void)argv;
    wcr_ctd *c = cli_connect(g, err);
    if (!c)
        return -1;
    wcr_plugins list = { 0 };
    wcr_buf out = WCR_BUF_INIT("output", WCR_BUF_NO_LIMIT);
    int rc = wcr_introspection_plugins(c, NULL, 0, &list, err);
    if (rc == 0 && g->format == CLI_FORMAT_JSON) {
        wcr_jsonw w;
        cli_json_init(&w, &out);
        wcr_jsonw_array_begin(&w);
        for (size_t i = 0; i < list.n; i++) {
            const wcr_plugin *p = &list.items[i];
            wcr_buf plats = WCR_BUF_INIT("platforms", WCR_BUF_NO_LIMIT);
            platforms_text(&plats, &p->platforms);
            wcr_jsonw_object_begin(&w);
            wcr_jsonw_kv_string(&w, "type", p->type);
            wcr_jsonw_kv_string(&w, "id", p->id);
            wcr_jsonw_kv_string(&w, "platforms", wcr_buf_cstr(&plats));
            wcr_jsonw_kv_string(&w, "status", p->failed ? "error" : "ok");
            if (p->failed)
                wcr_jsonw_kv_string(&w, "error", p->init_err_message ? p->init_err_message : "");
            wcr_jsonw_object_end(&w);
            wcr_buf_dispose(&plats);
        }
        wcr_jsonw_array_end(&w);
        rc = wcr_jsonw_finish(&w, err);
    } else if (rc == 0) {
        static const char *const head[] = { "TYPE", "ID", "PLATFORMS", "STATUS" };
        cli_table t;
        cli_table_init(&t, head, 4);
        for (size_t i = 0; i < list.n; i++) {
            const wcr_plugin *p = &list.items[i];
            wcr_buf plats = WCR_BUF_INIT("platforms", WCR_BUF_NO_LIMIT);
            platforms_text(&plats, &p->platforms);
            const char *row[] = { p->type, p->id, wcr_buf_cstr(&plats), p->failed ? "error" : "ok" };
            cli_table_row(&t, row);
            wcr_buf_dispose(&plats);
        }
        rc = cli_table_write(&t, &out, err);
        cli_table_dispose(&t);
    }
    if (rc == 0)
        rc = cli_print(g, &out, err);
    wcr_buf_dispose(&out);
    wcr_plugins_dispose(&list);
    wcr_ctd_close(c);
    return rc < 0 ? wcr_err_wrap(err, "list plugins") : 0;
}

static const cli_command plugins_ls_cmd = {
    .name = "ls",
    .summary = "List containerd's plugins and whether they loaded",
    .usage = "",
    .description = "A snapshotter or runtime that failed to load shows STATUS error; --format json\n"
                   "gives its error message (for example the windows snapshotter on a volume\n"
                   "that is not NTFS).\n",
    .run = plugins_ls,
};
static const cli_command *const plugins_subcommands[] = { &plugins_ls_cmd, NULL };

const cli_command cmd_plugins = {
    .name = "plugins",
    .summary = "Inspect containerd's plugins",
    .usage = "COMMAND",
    .subcommands = plugins_subcommands,
    .bare = "ls",
};
