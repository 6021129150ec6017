/* wcr containers ls|rm: containerd's container records (any client's). */
#include "cli/commands.h"
#include "cli/output.h"
#include "containerd/containers.h"
#include "containerd/snapshots.h"
#include "containerd/tasks.h"

static int containers_ls(const cli_globals *g, void *opts, int argc, char **argv, wcr_err *err)
{
    (void)opts, (void)argc, (void)argv;
    wcr_ctd *c = cli_connect(g, err);
    if (!c)
        return -1;
    wcr_containers list = { 0 };
    wcr_buf out = WCR_BUF_INIT("output", WCR_BUF_NO_LIMIT);
    int rc = wcr_containers_list(c, NULL, 0, &list, err);
    if (rc == 0 && g->format == CLI_FORMAT_JSON) {
        wcr_jsonw w;
        cli_json_init(&w, &out);
        wcr_jsonw_array_begin(&w);
        for (size_t i = 0; i < list.n; i++) {
            const wcr_container *ct = &list.items[i];
            wcr_jsonw_object_begin(&w);
            wcr_jsonw_kv_string(&w, "id", ct->id);
            wcr_jsonw_kv_string(&w, "image", ct->image ? ct->image : "");
            wcr_jsonw_kv_string(&w, "runtime", ct->runtime_name ? ct->runtime_name : "");
            wcr_jsonw_kv_string(&w, "snapshotter", ct->snapshotter ? ct->snapshotter : "");
            wcr_jsonw_kv_string(&w, "snapshot", ct->snapshot_key ? ct->snapshot_key : "");
            cli_json_labels(&w, "labels", &ct->labels);
            wcr_jsonw_object_end(&w);
        }
        wcr_jsonw_array_end(&w);
        rc = wcr_jsonw_finish(&w, err);
    } else if (rc == 0) {
        static const char *const head[] = { "CONTAINER", "IMAGE", "RUNTIME" };
        cli_table t;
        cli_table_init(&t, head, 3);
        for (size_t i = 0; i < list.n; i++) {
            const wcr_container *ct = &list.items[i];
            const char *row[] = { ct->id, ct->image && ct->image[0] ? ct->image : "-", ct->runtime_name };
            cli_table_row(&t, row);
        }
        rc = cli_table_write(&t, &out, err);
        cli_table_dispose(&t);
    }
    if (rc == 0)
        rc = cli_print(g, &out, err);
    wcr_buf_dispose(&out);
    wcr_containers_dispose(&list);
    wcr_ctd_close(c);
    return rc < 0 ? wcr_err_wrap(err, "list containers") : 0;
}

/* Delete the record and its snapshot; refuse while a task exists. */
static int remove_one(wcr_ctd *c, const char *id, wcr_err *err)
{
    wcr_container ct = { 0 };
    if (wcr_containers_get(c, id, &ct, err) < 0)
        return -1;
    wcr_task_process task = { 0 };
    wcr_err terr = WCR_ERR_INIT;
    int rc = 0;
    if (wcr_tasks_get(c, id, NULL, &task, &terr) == 0) {
        rc = wcr_err_set(err, WCR_E_EXISTS, "it has a task (pid %u); stop and delete the task first",
                         (unsigned)task.pid);
    } else if (terr.code != WCR_E_NOT_FOUND) {
        wcr_err_move(err, &terr);
        rc = -1;
    }
    wcr_err_dispose(&terr);
    wcr_task_process_dispose(&task);
    if (rc == 0)
        rc = wcr_containers_delete(c, id, err);
    if (rc == 0 && ct.snapshot_key && ct.snapshot_key[0]) {
        wcr_err serr = WCR_ERR_INIT;
        if (wcr_snapshots_remove(c, ct.snapshotter, ct.snapshot_key, &serr) < 0 &&
            serr.code != WCR_E_NOT_FOUND) {
            wcr_err_move(err, &serr);
            rc = wcr_err_wrap(err, "remove its snapshot %s", ct.snapshot_key);
        }
        wcr_err_dispose(&serr);
    }
    wcr_container_dispose(&ct);
    return rc;
}

static int containers_rm(const cli_globals *g, void *opts, int argc, char **argv, wcr_err *err)
{
    (void)opts;
    wcr_ctd *c = cli_connect(g, err);
    if (!c)
        return -1;
    int rc = 0;
    for (int i = 0; i < argc && rc == 0; i++) {
        if (remove_one(c, argv[i], err) < 0)
            rc = wcr_err_wrap(err, "remove container %s", argv[i]);
        else
            fprintf(g->out, "%s\n", argv[i]);
    }
    wcr_ctd_close(c);
    return rc;
}

static const cli_command containers_ls_cmd = {
    .name = "ls", .summary = "List containers", .usage = "", .run = containers_ls,
};
static const cli_command containers_rm_cmd = {
    .name = "rm",
    .summary = "Remove containers and their snapshots",
    .usage = "ID...",
    .min_args = 1,
    .max_args = -1,
    .run = containers_rm,
};
static const cli_command *const containers_subcommands[] = { &containers_ls_cmd, &containers_rm_cmd, NULL };

const cli_command cmd_containers = {
    .name = "containers",
    .summary = "Manage containerd's container records",
    .usage = "COMMAND",
    .subcommands = containers_subcommands,
    .bare = "ls",
};
