/* The flags wcr run and wcr spec share, and their conversion into a spec
 * input (spec/spec.h).
 *
 * A command embeds cli_run_opts in its options struct and puts
 * CLI_RUN_FLAGS(its_type, member) in its flag table, followed by flags of
 * its own:
 *
 *   typedef struct run_opts { cli_run_opts run; bool rm; const char *name; } run_opts;
 *   static const cli_flag run_flags[] = {
 *       CLI_RUN_FLAGS(run_opts, run),
 *       { "rm", 0, CLI_FLAG_BOOL, offsetof(run_opts, rm), NULL, "Remove ..." },
 *       CLI_FLAGS_END,
 *   };
 *
 * then, in the handler, cli_run_spec_init() fills a wcr_spec_input from the
 * flags and the positional CMD..., and the command adds what it knows (the
 * image config, the target OS, the container id, the rootfs).
 */
#ifndef WCR_CLI_RUN_FLAGS_H
#define WCR_CLI_RUN_FLAGS_H

#include <stddef.h>

#include "cli/cli.h"
#include "image/platform.h"
#include "spec/spec.h"

typedef struct cli_run_opts {
    cli_list env;        /* -e */
    cli_list env_files;  /* --env-file */
    const char *workdir; /* -w */
    const char *user;    /* -u */
    cli_list volumes;    /* -v */
    cli_list mounts;     /* --mount */
    const char *entrypoint; /* NULL when not given; "" clears */
    const char *hostname;
    const char *isolation;
    const char *platform;
    const char *net;
    bool tty;            /* -t */
} cli_run_opts;

#define CLI_RUN_FLAG_(type, m, f) offsetof(type, m) + offsetof(cli_run_opts, f)

/* The shared flag entries, for a command whose options struct `type` has
 * a cli_run_opts at `member`. */
#define CLI_RUN_FLAGS(type, member)                                                            \
    { "env", 'e', CLI_FLAG_LIST, CLI_RUN_FLAG_(type, member, env), "KEY=VALUE",                \
      "Set a variable (KEY alone: its value here, or unset when not set here)", 0, 0 },        \
    { "env-file", 0, CLI_FLAG_LIST, CLI_RUN_FLAG_(type, member, env_files), "FILE",            \
      "Read variables from a file of KEY=VALUE lines (# comments)", 0, 0 },                    \
    { "workdir", 'w', CLI_FLAG_STRING, CLI_RUN_FLAG_(type, member, workdir), "DIR",            \
      "Working directory in the container (default: the image's, else / or C:\\)", 0, 0 },     \
    { "user", 'u', CLI_FLAG_STRING, CLI_RUN_FLAG_(type, member, user), "USER[:GROUP]",         \
      "User to run as: NAME, UID, NAME:GROUP, UID:GID (Windows: an account name such "         \
      "as ContainerAdministrator)", 0, 0 },                                                    \
    { "volume", 'v', CLI_FLAG_LIST, CLI_RUN_FLAG_(type, member, volumes), "SRC:DST[:ro|rw]",   \
      "Bind a host directory (/data:/data, D:\\cache:C:\\cache)", 0, 0 },                       \
    { "mount", 0, CLI_FLAG_LIST, CLI_RUN_FLAG_(type, member, mounts),                          \
      "type=bind,src=SRC,dst=DST[,ro]", "Bind a host directory (Docker's --mount form)", 0, 0 }, \
    { "entrypoint", 0, CLI_FLAG_STRING, CLI_RUN_FLAG_(type, member, entrypoint), "CMD",        \
      "Run CMD instead of the image's ENTRYPOINT, without its CMD (\"\" clears both)", 0, 0 }, \
    { "hostname", 0, CLI_FLAG_STRING, CLI_RUN_FLAG_(type, member, hostname), "NAME",           \
      "The container's host name", 0, 0 },                                                    \
    { "isolation", 0, CLI_FLAG_STRING, CLI_RUN_FLAG_(type, member, isolation),                 \
      "process|hyperv", "Windows isolation (hyperv: in a utility VM)", 0, 0 },                  \
    { "platform", 0, CLI_FLAG_STRING, CLI_RUN_FLAG_(type, member, platform),                   \
      "OS/ARCH[/VARIANT][:OSVERSION]", "Use the image for this platform", 0, 0 },              \
    { "net", 0, CLI_FLAG_STRING, CLI_RUN_FLAG_(type, member, net), "none|host",                \
      "Network: none (loopback only), host (Linux: the host's network)", 0, 0 },               \
    { "tty", 't', CLI_FLAG_BOOL, CLI_RUN_FLAG_(type, member, tty), NULL,                       \
      "Give the process a terminal", 0, 0 }

/* A spec input made from the flags; owns what it allocated. */
typedef struct cli_run_spec {
    wcr_spec_input in;
    wcr_spec_bind *binds;
    size_t n_binds;
    bool have_platform;
    wcr_platform platform; /* --platform, when given */
} cli_run_spec;

/* Fill rs from the flags and the command's positional CMD... (argv).
 * in.os is left 0 (wcr's own OS) unless --platform names one; the caller
 * sets it and the image. Bad values are usage errors of `path`. */
int cli_run_spec_init(cli_run_spec *rs, const cli_run_opts *o, int argc, char **argv,
                      const char *path, wcr_err *err);
void cli_run_spec_dispose(cli_run_spec *rs);

#endif
