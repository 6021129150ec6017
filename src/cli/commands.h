/* Every command, one per cmd_<name>.c. */
#ifndef WCR_CLI_COMMANDS_H
#define WCR_CLI_COMMANDS_H

#include "cli/cli.h"

extern const cli_command cmd_help;
extern const cli_command cmd_snapshots;
extern const cli_command cmd_version;

#endif
