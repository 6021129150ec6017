/* The wcr command line: a table of commands, each in its own cmd_<name>.c
 * with one handler signature. Commands parse flags (declared in a table
 * that also generates their help), call libwcr and print. main() is the
 * only place that turns an error into output and an exit code. */
#ifndef WCR_CLI_H
#define WCR_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "core/buf.h"
#include "wcr/err.h"

/* Exit codes, as Docker's. */
enum {
    CLI_EXIT_OK = 0,
    CLI_EXIT_ERROR = 125,     /* wcr's own failure */
    CLI_EXIT_CANNOT_RUN = 126,
    CLI_EXIT_NOT_FOUND = 127,
    CLI_EXIT_INTERRUPTED = 130, /* wcr itself was interrupted (Ctrl+C) */
};

typedef enum cli_format { CLI_FORMAT_TEXT, CLI_FORMAT_JSON } cli_format;

/* Global flags, parsed once (before or after the command name) and passed
 * to every command. Strings are borrowed from argv or the environment. */
typedef struct cli_globals {
    const char *address;     /* --address, $CONTAINERD_ADDRESS, or NULL: the default */
    const char *ns;          /* --namespace, $CONTAINERD_NAMESPACE, or "default" */
    bool debug;
    const char *format_name; /* --format as given */
    cli_format format;       /* ... and resolved */
    bool help, version;      /* --help, --version */
    FILE *out, *errout;
} cli_globals;

typedef enum cli_flag_kind {
    CLI_FLAG_BOOL,   /* bool */
    CLI_FLAG_STRING, /* char * (the last one given wins) */
    CLI_FLAG_INT,    /* long long, parsed in [min, max] */
    CLI_FLAG_LIST,   /* cli_list: every occurrence, in order */
} cli_flag_kind;

/* A repeatable flag's values. */
typedef struct cli_list {
    char **items;
    size_t len;
} cli_list;

typedef struct cli_flag {
    const char *name;   /* long name, without "--" */
    char short_name;    /* 0 when none */
    cli_flag_kind kind;
    size_t offset;      /* of the field in the command's options struct */
    const char *arg;    /* what the value is, for help: "SECONDS" */
    const char *help;
    long long min, max; /* CLI_FLAG_INT only */
} cli_flag;

#define CLI_FLAGS_END { NULL, 0, CLI_FLAG_BOOL, 0, NULL, NULL, 0, 0 }

typedef struct cli_command cli_command;

/* A command's handler: returns the exit code (>= 0), or -1 with err set
 * (main prints it and exits 125). opts is the command's options struct,
 * filled from its flag table; args are the positional arguments. */
typedef int (*cli_handler)(const cli_globals *g, void *opts, int argc, char **argv,
                           wcr_err *err);

struct cli_command {
    const char *name;
    const char *summary;      /* one line, for the command list */
    const char *usage;        /* what follows "wcr NAME", e.g. "[OPTIONS] IMAGE" */
    const char *description;  /* paragraphs, may be NULL */
    const cli_flag *flags;    /* NULL, or ended by CLI_FLAGS_END */
    size_t opts_size;         /* sizeof the options struct */
    int min_args, max_args;   /* positional arguments; max -1: no limit */
    bool flags_first;         /* flags end at the first positional (run IMAGE CMD -x) */
    cli_handler run;          /* NULL for a group of subcommands */
    const cli_command *const *subcommands; /* NULL-terminated, for groups */
    const char *bare;         /* a group's subcommand when none is given ("ls") */
    bool hidden;              /* not listed in help */
    void (*init_opts)(void *opts); /* defaults before the flags are parsed */
};

/* The top-level command table (commands.c). */
extern const cli_command *const cli_commands[];
extern const cli_flag cli_global_flags[];

/* Find a command by name in a NULL-terminated table. */
const cli_command *cli_find_command(const cli_command *const *table, const char *name);

/* The positional arguments left after flags: borrowed strings in a
 * malloc'd array (free it with cli_args_dispose). */
typedef struct cli_args {
    char **argv;
    int argc;
} cli_args;

/* Parse argv (after the command name) into opts using cmd's flags, and
 * the global flags into g. `path` names the command in errors. */
int cli_parse_flags(const cli_command *cmd, const char *path, cli_globals *g, void *opts,
                    int argc, char **argv, cli_args *args, wcr_err *err);

/* Parse the global flags before the command name; returns how many
 * arguments were used, or -1. */
int cli_parse_globals(cli_globals *g, int argc, char **argv, wcr_err *err);

/* Check the positional count against the command's. */
int cli_check_args(const cli_command *cmd, const char *path, const cli_args *args, wcr_err *err);

void cli_args_dispose(cli_args *args);

/* The closest name to `given` among `names` (NULL-terminated), or NULL
 * when nothing is close enough to suggest. */
const char *cli_suggest(const char *given, const char *const *names);

/* Free what parsing allocated in opts (lists). */
void cli_opts_dispose(const cli_command *cmd, void *opts);

/* The help text: of the whole program (cmd NULL) or of one command;
 * `path` is the command's full name ("snapshots prepare"). */
void cli_help_write(wcr_buf *out, const cli_command *cmd, const char *path);

/* A usage error for `path` with a hint to the help, e.g.
 * "run: unknown flag --detatch (did you mean --detach?)". */
int cli_usage_error(wcr_err *err, const char *path, const char *fmt, ...) WCR_PRINTF(3, 4);

/* Print the buffer to g->out; an error (e.g. a closed pipe) becomes -1. */
int cli_print(const cli_globals *g, const wcr_buf *b, wcr_err *err);

#endif
