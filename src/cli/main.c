/* wcr's entry point: global flags, command dispatch, and the one place
 * where an error becomes a line on stderr and an exit code. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/log.h"
#include "os/os.h"
#include "wcr/common.h"

/* "run" for a command, "snapshots prepare" for a subcommand. */
static int run_command(const cli_command *cmd, const char *path, cli_globals *g, int argc,
                       char **argv, wcr_err *err);

static int show_help(const cli_globals *g, const cli_command *cmd, const char *path, wcr_err *err)
{
    wcr_buf b = WCR_BUF_INIT("help", WCR_BUF_NO_LIMIT);
    cli_help_write(&b, cmd, path);
    int rc = cli_print(g, &b, err);
    wcr_buf_dispose(&b);
    return rc < 0 ? -1 : CLI_EXIT_OK;
}

static int resolve_format(cli_globals *g, const char *path, wcr_err *err)
{
    if (!g->format_name || strcmp(g->format_name, "text") == 0) {
        g->format = CLI_FORMAT_TEXT;
    } else if (strcmp(g->format_name, "json") == 0) {
        g->format = CLI_FORMAT_JSON;
    } else {
        static const char *const formats[] = { "text", "json", NULL };
        const char *near = cli_suggest(g->format_name, formats);
        return cli_usage_error(err, path, "unknown format \"%s\" for --format: use text or json%s%s%s",
                               g->format_name, near ? " (did you mean " : "", near ? near : "",
                               near ? "?)" : "");
    }
    return 0;
}

static int unknown_command(const cli_command *const *table, const char *parent, const char *given,
                           wcr_err *err)
{
    const char *names[128];
    size_t n = 0;
    for (size_t i = 0; table[i] && n + 1 < 128; i++)
        if (!table[i]->hidden)
            names[n++] = table[i]->name;
    names[n] = NULL;
    const char *near = cli_suggest(given, names);
    if (near)
        return cli_usage_error(err, parent, "unknown command \"%s\" (did you mean \"%s\"?)", given, near);
    return cli_usage_error(err, parent, "unknown command \"%s\"", given);
}

static int run_group(const cli_command *cmd, const char *path, cli_globals *g, int argc, char **argv,
                     wcr_err *err)
{
    int used = cli_parse_globals(g, argc, argv, err);
    if (used < 0)
        return -1;
    if (g->help || (used == argc && !cmd->bare))
        return show_help(g, cmd, path, err);
    /* "wcr images" lists, as Docker's does. */
    const char *name = used == argc ? cmd->bare : argv[used];
    const cli_command *sub = cli_find_command(cmd->subcommands, name);
    if (!sub)
        return unknown_command(cmd->subcommands, path, name, err);
    char subpath[128];
    snprintf(subpath, sizeof subpath, "%s %s", path, sub->name);
    if (used == argc)
        return run_command(sub, subpath, g, 0, argv + used, err);
    return run_command(sub, subpath, g, argc - used - 1, argv + used + 1, err);
}

/* --debug lines go to stderr, each prefixed so they stand apart from
 * the command's own output. */
static void log_to_stream(void *ud, const char *line)
{
    fprintf((FILE *)ud, "wcr: debug: %s\n", line);
    fflush((FILE *)ud);
}

static int run_command(const cli_command *cmd, const char *path, cli_globals *g, int argc,
                       char **argv, wcr_err *err)
{
    if (cmd->subcommands)
        return run_group(cmd, path, g, argc, argv, err);
    void *opts = calloc(1, cmd->opts_size ? cmd->opts_size : 1);
    if (!opts)
        return wcr_err_set(err, WCR_E_NOMEM, "%s: out of memory", path);
    if (cmd->init_opts)
        cmd->init_opts(opts);
    cli_args args = { NULL, 0 };
    int rc = cli_parse_flags(cmd, path, g, opts, argc, argv, &args, err);
    if (rc == 0 && g->help)
        rc = show_help(g, cmd, path, err);
    else if (rc == 0 && (rc = resolve_format(g, path, err)) == 0 &&
             (rc = cli_check_args(cmd, path, &args, err)) == 0) {
        if (g->debug)
            wcr_log_set_sink(log_to_stream, g->errout);
        rc = cmd->run(g, opts, args.argc, args.argv, err);
    }
    cli_args_dispose(&args);
    cli_opts_dispose(cmd, opts);
    free(opts);
    return rc;
}

/* Print the error as one line: "wcr: context: message: cause". */
static void report(const cli_globals *g, const wcr_err *err)
{
    char *msg = wcr_err_format(err, g->debug);
    for (char *p = msg; p && *p; p++)
        if (*p == '\n' || *p == '\r')
            *p = ' ';
    fprintf(g->errout, "wcr: %s\n", msg ? msg : "out of memory");
    fflush(g->errout);
    free(msg);
}

int main(int argc, char **argv)
{
    wcr_err err = WCR_ERR_INIT;
    cli_globals g = { 0 };
    g.out = stdout;
    g.errout = stderr;
    if (wcr_os_init_process(&argc, &argv, &err) < 0) {
        report(&g, &err);
        wcr_err_dispose(&err);
        return CLI_EXIT_ERROR;
    }
    char *env_address = wcr_os_getenv("CONTAINERD_ADDRESS");
    char *env_ns = wcr_os_getenv("CONTAINERD_NAMESPACE");
    g.address = env_address && env_address[0] ? env_address : NULL;
    g.ns = env_ns && env_ns[0] ? env_ns : "default";

    int rc = -1;
    int used = cli_parse_globals(&g, argc - 1, argv + 1, &err);
    if (used >= 0) {
        int rest = argc - 1 - used;
        char **next = argv + 1 + used;
        if (g.version && rest == 0) {
            fprintf(g.out, "wcr version %s, revision %s\n", wcr_version(), wcr_revision());
            rc = CLI_EXIT_OK;
        } else if (rest == 0) {
            rc = resolve_format(&g, "", &err) < 0 ? -1 : show_help(&g, NULL, "", &err);
        } else {
            const cli_command *cmd = cli_find_command(cli_commands, next[0]);
            if (!cmd)
                rc = unknown_command(cli_commands, "", next[0], &err);
            else
                rc = run_command(cmd, cmd->name, &g, rest - 1, next + 1, &err);
        }
    }
    if (fflush(g.out) != 0 && rc >= 0)
        rc = wcr_err_set(&err, WCR_E_IO, "write output: failed");
    if (rc < 0) {
        report(&g, &err);
        /* Docker's codes: the command could not be found or run; and after
         * Ctrl+C what a shell expects (128 + SIGINT). */
        rc = err.code == WCR_E_CANCELLED        ? CLI_EXIT_INTERRUPTED
             : err.code == WCR_E_EXEC_NOT_FOUND ? CLI_EXIT_NOT_FOUND
             : err.code == WCR_E_EXEC_DENIED    ? CLI_EXIT_CANNOT_RUN
                                                : CLI_EXIT_ERROR;
    }
    wcr_err_dispose(&err);
    free(env_address);
    free(env_ns);
    return rc;
}
