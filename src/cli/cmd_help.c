/* wcr help [COMMAND [SUBCOMMAND]] */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/commands.h"

static int help_run(const cli_globals *g, void *opts, int argc, char **argv, wcr_err *err)
{
    (void)opts;
    const cli_command *cmd = NULL;
    const cli_command *const *table = cli_commands;
    char path[128] = "";
    for (int i = 0; i < argc; i++) {
        const cli_command *next = table ? cli_find_command(table, argv[i]) : NULL;
        if (!next)
            return cli_usage_error(err, "help", "no help for \"%s\": not a command%s", argv[i],
                                   table ? "" : " (the command before it has no subcommands)");
        cmd = next;
        table = cmd->subcommands;
        size_t len = strlen(path);
        snprintf(path + len, sizeof path - len, "%s%s", len ? " " : "", cmd->name);
    }
    wcr_buf b = WCR_BUF_INIT("help", WCR_BUF_NO_LIMIT);
    cli_help_write(&b, cmd, path);
    int rc = cli_print(g, &b, err);
    wcr_buf_dispose(&b);
    return rc < 0 ? -1 : 0;
}

const cli_command cmd_help = {
    .name = "help",
    .summary = "Show help for a command",
    .usage = "[COMMAND [SUBCOMMAND]]",
    .description = "The same text as 'wcr COMMAND --help'.\n",
    .min_args = 0,
    .max_args = 2,
    .run = help_run,
};
