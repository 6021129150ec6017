/* The command table: every command wcr has, in the order help lists them. */
#include <string.h>

#include "cli/cli.h"
#include "cli/commands.h"

const cli_command *const cli_commands[] = {
    &cmd_run,
    &cmd_exec,
    &cmd_start,
    &cmd_ps,
    &cmd_stop,
    &cmd_kill,
    &cmd_rm,
    &cmd_logs,
    &cmd_inspect,
    &cmd_prune,
    &cmd_pull,
    &cmd_import,
    &cmd_images,
    &cmd_containers,
    &cmd_snapshots,
    &cmd_spec,
    &cmd_layers,
    &cmd_namespaces,
    &cmd_plugins,
    &cmd_version,
    &cmd_help,
    NULL,
};

const cli_command *cli_find_command(const cli_command *const *table, const char *name)
{
    for (size_t i = 0; table[i]; i++)
        if (strcmp(table[i]->name, name) == 0)
            return table[i];
    return NULL;
}

int cli_print(const cli_globals *g, const wcr_buf *b, wcr_err *err)
{
    if (wcr_buf_check(b, err) < 0)
        return -1;
    if (b->len && fwrite(b->data, 1, b->len, g->out) != b->len)
        return wcr_err_set(err, WCR_E_IO, "write output: failed");
    return 0;
}
