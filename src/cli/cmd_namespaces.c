/* wcr namespaces ls|create|rm */
#include <stdlib.h>
#include <string.h>

#include "cli/commands.h"
#include "cli/output.h"
#include "containerd/namespaces.h"

typedef struct ns_opts {
    cli_list labels;
} ns_opts;

static const cli_flag create_flags[] = {
    { "label", 0, CLI_FLAG_LIST, offsetof(ns_opts, labels), "KEY=VALUE", "Label to set" },
    CLI_FLAGS_END,
};

/* "k=v,k2=v2", as ctr prints labels. */
static void join_labels(wcr_buf *b, const wcr_labels *l)
{
    for (size_t i = 0; i < l->n; i++)
        wcr_buf_printf(b, "%s%s=%s", i ? "," : "", l->keys[i], l->values[i]);
}

static int ns_ls(const cli_globals *g, void *opts, int argc, char **argv, wcr_err *err)
{
    (void)opts, (void)argc, (void)argv;
    wcr_ctd *c = cli_connect(g, err);
    if (!c)
        return -1;
    wcr_namespaces list = { 0 };
    wcr_buf out = WCR_BUF_INIT("output", WCR_BUF_NO_LIMIT);
    int rc = wcr_namespaces_list(c, NULL, &list, err);
    if (rc == 0 && g->format == CLI_FORMAT_JSON) {
        wcr_jsonw w;
        cli_json_init(&w, &out);
        wcr_jsonw_array_begin(&w);
        for (size_t i = 0; i < list.n; i++) {
            wcr_jsonw_object_begin(&w);
            wcr_jsonw_kv_string(&w, "name", list.items[i].name);
            cli_json_labels(&w, "labels", &list.items[i].labels);
            wcr_jsonw_object_end(&w);
        }
        wcr_jsonw_array_end(&w);
        rc = wcr_jsonw_finish(&w, err);
    } else if (rc == 0) {
        static const char *const head[] = { "NAME", "LABELS" };
        cli_table t;
        cli_table_init(&t, head, 2);
        for (size_t i = 0; i < list.n; i++) {
            wcr_buf l = WCR_BUF_INIT("labels", WCR_BUF_NO_LIMIT);
            join_labels(&l, &list.items[i].labels);
            const char *row[] = { list.items[i].name, wcr_buf_cstr(&l) };
            cli_table_row(&t, row);
            wcr_buf_dispose(&l);
        }
        rc = cli_table_write(&t, &out, err);
        cli_table_dispose(&t);
    }
    if (rc == 0)
        rc = cli_print(g, &out, err);
    wcr_buf_dispose(&out);
    wcr_namespaces_dispose(&list);
    wcr_ctd_close(c);
    return rc < 0 ? wcr_err_wrap(err, "list namespaces") : 0;
}

static int ns_create(const cli_globals *g, void *opts, int argc, char **argv, wcr_err *err)
{
    (void)argc;
    const ns_opts *o = opts;
    wcr_labels labels = { 0 };
    if (cli_parse_labels(&o->labels, &labels, "namespaces create", err) < 0)
        return -1;
    wcr_ctd *c = cli_connect(g, err);
    int rc = c ? wcr_namespaces_create(c, argv[0], &labels, NULL, err) : -1;
    wcr_labels_dispose(&labels);
    wcr_ctd_close(c);
    return rc < 0 ? wcr_err_wrap(err, "create namespace %s", argv[0]) : 0;
}

static int ns_rm(const cli_globals *g, void *opts, int argc, char **argv, wcr_err *err)
{
    (void)opts;
    wcr_ctd *c = cli_connect(g, err);
    if (!c)
        return -1;
    int rc = 0;
    for (int i = 0; i < argc && rc == 0; i++) {
        if (wcr_namespaces_delete(c, argv[i], err) < 0)
            rc = wcr_err_wrap(err, "remove namespace %s", argv[i]);
        else
            fprintf(g->out, "%s\n", argv[i]);
    }
    wcr_ctd_close(c);
    return rc;
}

static const cli_command ns_ls_cmd = {
    .name = "ls", .summary = "List namespaces", .usage = "", .run = ns_ls,
};
static const cli_command ns_create_cmd = {
    .name = "create", .summary = "Create a namespace", .usage = "[OPTIONS] NAME",
    .flags = create_flags, .opts_size = sizeof(ns_opts), .min_args = 1, .max_args = 1,
    .run = ns_create,
};
static const cli_command ns_rm_cmd = {
    .name = "rm", .summary = "Remove empty namespaces", .usage = "NAME...",
    .description = "containerd refuses to remove a namespace that still holds images,\n"
                   "containers, snapshots or content.\n",
    .min_args = 1, .max_args = -1, .run = ns_rm,
};
static const cli_command *const ns_subcommands[] = { &ns_ls_cmd, &ns_create_cmd, &ns_rm_cmd, NULL };

const cli_command cmd_namespaces = {
    .name = "namespaces",
    .summary = "Manage containerd namespaces",
    .usage = "COMMAND",
    .subcommands = ns_subcommands,
    .bare = "ls",
};
