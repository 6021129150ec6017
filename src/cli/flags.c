/* Flag parsing from the tables in cli.h: --name=value, --name value,
 * -n value, -nvalue, clustered short booleans (-it), "--" ending flags.
 * Global flags are accepted before the command and among its flags. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/str.h"

const cli_flag cli_global_flags[] = {
    { "address", 0, CLI_FLAG_STRING, offsetof(cli_globals, address), "ADDRESS",
      "containerd's address: a unix socket path, unix://PATH, or on Windows a pipe "
      "(\\\\.\\pipe\\NAME or npipe://PATH) (env CONTAINERD_ADDRESS)" },
    { "namespace", 'n', CLI_FLAG_STRING, offsetof(cli_globals, ns), "NAME",
      "containerd namespace (env CONTAINERD_NAMESPACE; default \"default\")" },
    { "debug", 0, CLI_FLAG_BOOL, offsetof(cli_globals, debug), NULL,
      "Show the full cause of errors and debug output" },
    { "format", 0, CLI_FLAG_STRING, offsetof(cli_globals, format_name), "text|json",
      "Output format of listings and inspect (default text)" },
    { "help", 'h', CLI_FLAG_BOOL, offsetof(cli_globals, help), NULL, "Show help" },
    { "version", 0, CLI_FLAG_BOOL, offsetof(cli_globals, version), NULL,
      "Print the version and exit" },
    CLI_FLAGS_END,
};

int cli_usage_error(wcr_err *err, const char *path, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *msg = wcr_vasprintf(fmt, ap);
    va_end(ap);
    if (path && path[0])
        wcr_err_set(err, WCR_E_USAGE, "%s: %s (see 'wcr %s --help')", path,
                    msg ? msg : "invalid arguments", path);
    else
        wcr_err_set(err, WCR_E_USAGE, "%s (see 'wcr --help')", msg ? msg : "invalid arguments");
    free(msg);
    return -1;
}

const char *cli_suggest(const char *given, const char *const *names)
{
    const char *best = NULL;
    size_t best_d = (size_t)-1, glen = strlen(given);
    /* Allow about one typo per three letters, at least one. */
    size_t allowed = glen / 3 > 1 ? glen / 3 : (glen > 1 ? 2 : 1);
    for (size_t i = 0; names[i]; i++) {
        size_t d = wcr_str_distance(given, names[i], allowed + 1);
        /* A prefix of a longer name ("ver" for "version") is a good guess. */
        if (glen >= 2 && wcr_str_starts_with(names[i], given))
            d = d < 1 ? d : 1;
        if (d <= allowed && d < best_d) {
            best = names[i];
            best_d = d;
        }
    }
    return best;
}

static const cli_flag *find_long(const cli_flag *flags, const char *name, size_t len)
{
    for (size_t i = 0; flags && flags[i].name; i++)
        if (strlen(flags[i].name) == len && strncmp(flags[i].name, name, len) == 0)
            return &flags[i];
    return NULL;
}

static const cli_flag *find_short(const cli_flag *flags, char c)
{
    for (size_t i = 0; flags && flags[i].name; i++)
        if (flags[i].short_name == c)
            return &flags[i];
    return NULL;
}

static const char *suggest_flag(const cli_command *cmd, const char *given)
{
    const char *names[256];
    size_t n = 0;
    const cli_flag *tables[2] = { cmd ? cmd->flags : NULL, cli_global_flags };
    for (size_t t = 0; t < 2; t++)
        for (size_t i = 0; tables[t] && tables[t][i].name && n + 1 < 256; i++)
            names[n++] = tables[t][i].name;
    names[n] = NULL;
    return cli_suggest(given, names);
}

static int parse_bool_text(const char *v, bool *out)
{
    if (!strcmp(v, "true") || !strcmp(v, "1")) {
        *out = true;
        return 0;
    }
    if (!strcmp(v, "false") || !strcmp(v, "0")) {
        *out = false;
        return 0;
    }
    return -1;
}

/* Store one flag's value into the struct at base. */
static int set_flag(const cli_flag *f, void *base, const char *value, const char *path,
                    const char *shown, wcr_err *err)
{
    char *field = (char *)base + f->offset;
    switch (f->kind) {
    case CLI_FLAG_BOOL: {
        bool b = true;
        if (value && parse_bool_text(value, &b) < 0)
            return cli_usage_error(err, path, "flag %s takes true or false, not \"%s\"", shown, value);
        memcpy(field, &b, sizeof b);
        return 0;
    }
    case CLI_FLAG_STRING:
        memcpy(field, &value, sizeof value);
        return 0;
    case CLI_FLAG_INT: {
        int64_t v;
        if (wcr_str_to_int64(value, f->min, f->max, &v) < 0)
            return cli_usage_error(err, path, "flag %s needs a whole number from %lld to %lld, not \"%s\"",
                                   shown, f->min, f->max, value);
        long long ll = (long long)v;
        memcpy(field, &ll, sizeof ll);
        return 0;
    }
    case CLI_FLAG_LIST: {
        cli_list list;
        memcpy(&list, field, sizeof list);
        char **items = realloc(list.items, (list.len + 1) * sizeof *items);
        if (!items)
            return wcr_err_set(err, WCR_E_NOMEM, "%s: out of memory", path);
        items[list.len++] = (char *)value;
        list.items = items;
        memcpy(field, &list, sizeof list);
        return 0;
    }
    }
    return wcr_err_set(err, WCR_E_INTERNAL, "flag %s: unknown kind", shown);
}

/* One flag at argv[*i] (which starts with '-'); advances *i past what it
 * used. cmd may be NULL (global flags only). */
static int parse_one(const cli_command *cmd, const char *path, cli_globals *g, void *opts,
                     int argc, char **argv, int *i, wcr_err *err)
{
    const char *a = argv[*i];
    if (a[1] == '-') {
        const char *name = a + 2, *eq = strchr(name, '=');
        size_t len = eq ? (size_t)(eq - name) : strlen(name);
        const cli_flag *f = cmd ? find_long(cmd->flags, name, len) : NULL;
        void *base = opts;
        if (!f) {
            f = find_long(cli_global_flags, name, len);
            base = g;
        }
        if (!f) {
            char *given = wcr_strndup(name, len);
            const char *near = given ? suggest_flag(cmd, given) : NULL;
            int rc = near ? cli_usage_error(err, path, "unknown flag --%s (did you mean --%s?)", given, near)
                          : cli_usage_error(err, path, "unknown flag --%s", given ? given : name);
            free(given);
            return rc;
        }
        const char *value = eq ? eq + 1 : NULL;
        if (f->kind != CLI_FLAG_BOOL && !value) {
            if (*i + 1 >= argc)
                return cli_usage_error(err, path, "flag --%s needs a value (%s)", f->name,
                                       f->arg ? f->arg : "VALUE");
            value = argv[++*i];
        }
        char shown[80];
        snprintf(shown, sizeof shown, "--%s", f->name);
        (*i)++;
        return set_flag(f, base, value, path, shown, err);
    }
    /* A cluster of short flags: -it, -e K=V, -eK=V. */
    for (const char *p = a + 1; *p; p++) {
        const cli_flag *f = cmd ? find_short(cmd->flags, *p) : NULL;
        void *base = opts;
        if (!f) {
            f = find_short(cli_global_flags, *p);
            base = g;
            /* Short global flags only before the command, except -h. */
            if (f && cmd && *p != 'h')
                f = NULL;
        }
        if (!f)
            return cli_usage_error(err, path, "unknown flag -%c", *p);
        char shown[80];
        snprintf(shown, sizeof shown, "-%c", *p);
        if (f->kind == CLI_FLAG_BOOL) {
            if (set_flag(f, base, NULL, path, shown, err) < 0)
                return -1;
            continue;
        }
        const char *value = p[1] ? p + 1 : NULL;
        if (!value) {
            if (*i + 1 >= argc)
                return cli_usage_error(err, path, "flag -%c needs a value (%s)", *p,
                                       f->arg ? f->arg : "VALUE");
            value = argv[++*i];
        }
        (*i)++;
        return set_flag(f, base, value, path, shown, err);
    }
    (*i)++;
    return 0;
}

static bool is_flag(const char *a)
{
    return a[0] == '-' && a[1] != '\0';
}

int cli_parse_globals(cli_globals *g, int argc, char **argv, wcr_err *err)
{
    int i = 0;
    while (i < argc && is_flag(argv[i]) && strcmp(argv[i], "--") != 0)
        if (parse_one(NULL, "", g, NULL, argc, argv, &i, err) < 0)
            return -1;
    if (i < argc && strcmp(argv[i], "--") == 0)
        i++;
    return i;
}

int cli_parse_flags(const cli_command *cmd, const char *path, cli_globals *g, void *opts,
                    int argc, char **argv, cli_args *args, wcr_err *err)
{
    args->argc = 0;
    args->argv = calloc((size_t)argc + 1, sizeof *args->argv);
    if (!args->argv)
        return wcr_err_set(err, WCR_E_NOMEM, "%s: out of memory", path);
    bool only_positional = false;
    int i = 0;
    while (i < argc) {
        const char *a = argv[i];
        if (only_positional || !is_flag(a)) {
            args->argv[args->argc++] = argv[i++];
            if (cmd->flags_first)
                only_positional = true;
            continue;
        }
        if (strcmp(a, "--") == 0) {
            only_positional = true;
            i++;
            continue;
        }
        if (parse_one(cmd, path, g, opts, argc, argv, &i, err) < 0)
            return -1;
    }
    return 0;
}

int cli_check_args(const cli_command *cmd, const char *path, const cli_args *args, wcr_err *err)
{
    if (args->argc < cmd->min_args) {
        if (cmd->min_args == 1 && (cmd->max_args == 1 || cmd->max_args < 0))
            return cli_usage_error(err, path, "missing argument (usage: wcr %s %s)", path, cmd->usage);
        return cli_usage_error(err, path, "needs at least %d argument%s (usage: wcr %s %s)",
                               cmd->min_args, cmd->min_args == 1 ? "" : "s", path, cmd->usage);
    }
    if (cmd->max_args >= 0 && args->argc > cmd->max_args) {
        if (cmd->max_args == 0)
            return cli_usage_error(err, path, "takes no arguments, got \"%s\"", args->argv[0]);
        return cli_usage_error(err, path, "too many arguments: \"%s\" (usage: wcr %s %s)",
                               args->argv[cmd->max_args], path, cmd->usage);
    }
    return 0;
}

void cli_args_dispose(cli_args *args)
{
    free(args->argv);
    args->argv = NULL;
    args->argc = 0;
}

void cli_opts_dispose(const cli_command *cmd, void *opts)
{
    if (!cmd || !opts)
        return;
    for (size_t i = 0; cmd->flags && cmd->flags[i].name; i++) {
        if (cmd->flags[i].kind != CLI_FLAG_LIST)
            continue;
        cli_list list;
        memcpy(&list, (char *)opts + cmd->flags[i].offset, sizeof list);
        free(list.items);
    }
}
