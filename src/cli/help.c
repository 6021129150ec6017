/* Help text, generated from the command and flag tables so that
 * `wcr --help`, `wcr help CMD`, `wcr CMD --help` and docs/commands.md
 * (made from them) never disagree with what the parser accepts. */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"

static const char intro[] =
    "wcr runs Windows containers on containerd without Docker: host set-up,\n"
    "image pull, networking, run, and the config.json and layer paths other\n"
    "tools need. On Linux it runs Linux containers through the same code.\n";

enum { FLAG_COLUMN = 28, LINE_WIDTH = 80 };

/* Words of text (and suffix) from the flag column, wrapped at LINE_WIDTH. */
static void write_wrapped(wcr_buf *out, const char *text, const char *suffix)
{
    char joined[512];
    snprintf(joined, sizeof joined, "%s%s", text, suffix);
    size_t col = FLAG_COLUMN;
    const char *p = joined;
    while (*p) {
        const char *word_end = strchr(p, ' ');
        size_t len = word_end ? (size_t)(word_end - p) : strlen(p);
        if (col > FLAG_COLUMN && col + 1 + len > LINE_WIDTH) {
            wcr_buf_printf(out, "\n%*s", FLAG_COLUMN, "");
            col = FLAG_COLUMN;
        } else if (col > FLAG_COLUMN) {
            wcr_buf_putc(out, ' ');
            col++;
        }
        wcr_buf_append(out, p, len);
        col += len;
        p += len;
        while (*p == ' ')
            p++;
    }
    wcr_buf_putc(out, '\n');
}

static void write_flag(wcr_buf *out, const cli_flag *f)
{
    size_t start = out->len;
    if (f->short_name)
        wcr_buf_printf(out, "  -%c, --%s", f->short_name, f->name);
    else
        wcr_buf_printf(out, "      --%s", f->name);
    if (f->kind != CLI_FLAG_BOOL)
        wcr_buf_printf(out, " %s", f->arg ? f->arg : "VALUE");
    size_t used = out->len - start;
    if (used + 2 > FLAG_COLUMN) {
        wcr_buf_putc(out, '\n');
        used = 0;
    }
    wcr_buf_printf(out, "%*s", (int)(FLAG_COLUMN - used), "");
    write_wrapped(out, f->help ? f->help : "", f->kind == CLI_FLAG_LIST ? " (repeatable)" : "");
}

static void write_command_list(wcr_buf *out, const cli_command *const *table)
{
    size_t width = 0;
    for (size_t i = 0; table[i]; i++)
        if (!table[i]->hidden && strlen(table[i]->name) > width)
            width = strlen(table[i]->name);
    for (size_t i = 0; table[i]; i++)
        if (!table[i]->hidden)
            wcr_buf_printf(out, "  %-*s  %s\n", (int)width, table[i]->name, table[i]->summary);
}

void cli_help_write(wcr_buf *out, const cli_command *cmd, const char *path)
{
    if (!cmd) {
        wcr_buf_puts(out, "Usage: wcr [OPTIONS] COMMAND [ARG...]\n\n");
        wcr_buf_puts(out, intro);
        wcr_buf_puts(out, "\nCommands:\n");
        write_command_list(out, cli_commands);
        wcr_buf_puts(out, "\nOptions:\n");
        for (size_t i = 0; cli_global_flags[i].name; i++)
            write_flag(out, &cli_global_flags[i]);
        wcr_buf_puts(out, "\nRun 'wcr help COMMAND' or 'wcr COMMAND --help' for more about a command.\n"
                          "Exit status: the container's own for run and exec; 125 when wcr fails.\n");
        return;
    }
    if (cmd->subcommands)
        wcr_buf_printf(out, "Usage: wcr %s %s\n\n", path, cmd->bare ? "[COMMAND [ARG...]]" : "COMMAND [ARG...]");
    else
        wcr_buf_printf(out, "Usage: wcr %s%s%s\n\n", path, cmd->usage[0] ? " " : "", cmd->usage);
    wcr_buf_printf(out, "%s.\n", cmd->summary);
    if (cmd->description)
        wcr_buf_printf(out, "\n%s", cmd->description);
    if (cmd->subcommands) {
        wcr_buf_puts(out, "\nCommands:\n");
        write_command_list(out, cmd->subcommands);
        if (cmd->bare)
            wcr_buf_printf(out, "\nWith no command: 'wcr %s %s'.\n", path, cmd->bare);
    }
    wcr_buf_puts(out, "\nOptions:\n");
    for (size_t i = 0; cmd->flags && cmd->flags[i].name; i++)
        write_flag(out, &cmd->flags[i]);
    wcr_buf_puts(out, "  -h, --help                Show this help\n");
    wcr_buf_puts(out, "\nGlobal options (--address, --namespace, --debug, --format) are accepted too;\n"
                      "see 'wcr --help'.\n");
}
