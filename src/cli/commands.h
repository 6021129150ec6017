/* Every command, one per cmd_<name>.c. */
#ifndef WCR_CLI_COMMANDS_H
#define WCR_CLI_COMMANDS_H

#include "cli/cli.h"

extern const cli_command cmd_containers;
extern const cli_command cmd_help;
extern const cli_command cmd_kill;
extern const cli_command cmd_logs;
extern const cli_command cmd_prune;
extern const cli_command cmd_ps;
extern const cli_command cmd_rm;
extern const cli_command cmd_run;
extern const cli_command cmd_exec;
extern const cli_command cmd_start;
extern const cli_command cmd_inspect;
extern const cli_command cmd_stop;
extern const cli_command cmd_images;
extern const cli_command cmd_import;
extern const cli_command cmd_layers;
extern const cli_command cmd_namespaces;
extern const cli_command cmd_plugins;
extern const cli_command cmd_pull;
extern const cli_command cmd_snapshots;
extern const cli_command cmd_spec;
extern const cli_command cmd_version;

/* --isolation process|hyperv (pull, run, spec). */
#include "image/platform.h"
int cli_parse_isolation(const char *text, wcr_isolation *out, const char *path, wcr_err *err);

#endif
