/* Windows command lines: quoting an argv into the one string that
 * CreateProcessW takes, and splitting such a string back the way the child
 * does (CommandLineToArgvW's rules). Portable, so the Linux tests cover it.
 *
 * Splitting rules (those of CommandLineToArgvW, checked against Wine's):
 *
 * argv[0], the program, is read with simpler rules than the rest:
 *   - if the line starts with '"', it runs to the next '"' (or the end);
 *     backslashes are literal, and whatever follows the closing quote
 *     starts the next argument even without white space between;
 *   - otherwise it runs to the first space or tab; quotes and backslashes
 *     in it are literal (so leading white space gives an empty argv[0]).
 * Then, for every other argument, outside quotes a space or tab ends the
 * argument (runs of them are one separator; trailing ones are ignored):
 *   - 2n backslashes then '"' give n backslashes, and the '"' is a quote;
 *   - 2n+1 backslashes then '"' give n backslashes and a literal '"';
 *   - n backslashes not followed by '"' are n literal backslashes;
 *   - a quote toggles quoting, except that inside quotes '""' gives a
 *     literal '"' AND ends the quoted part: `a"b"" c` is two arguments,
 *     `ab"` and `c`;
 *   - a missing closing quote is implied at the end of the line.
 * Only space and tab separate; newline, CR and vertical tab are ordinary
 * characters. An empty line gives no arguments here (CommandLineToArgvW
 * returns the path of the running program instead).
 *
 * Where the C runtime differs (Microsoft's "Parsing C command-line
 * arguments"): it lets quoted parts appear anywhere in argv[0], not only at
 * its start, and since 2008 it stays in quotes after '""'. What
 * wcr_cmdline_build() writes avoids both cases (argv[0] quoted whole or not
 * at all, never '""' inside quotes), so the C runtime and
 * CommandLineToArgvW read it the same.
 *
 * Strings are UTF-8; every special character is ASCII, so the rules apply
 * to bytes. The Windows command-line limit (32,767 UTF-16 units) is the
 * caller's to enforce, through the limit of the wcr_buf it builds into.
 */
#ifndef WCR_CORE_CMDLINE_H
#define WCR_CORE_CMDLINE_H

#include <stddef.h>

#include "core/buf.h"
#include "wcr/err.h"

/* Append one argument (not the program) so that it splits back unchanged:
 * quoted only when empty or containing space, tab, newline, vertical tab or
 * '"'. Returns 0, or -1 with the failure recorded in `out` (sticky). */
int wcr_cmdline_append_arg(wcr_buf *out, const char *arg);

/* Append the whole command line for argv[0..argc): the program quoted with
 * plain quotes when needed, then each argument, separated by one space.
 * A program containing '"' cannot be represented (WCR_E_INVALID); so is an
 * empty argv. Buffer failures are reported through err too. */
int wcr_cmdline_build(wcr_buf *out, const char *const *argv, size_t argc, wcr_err *err);

/* Split a command line into *argv_out (NULL-terminated, *argc_out entries)
 * by the rules above. The result is one allocation: release it with
 * wcr_cmdline_free(). */
int wcr_cmdline_split(const char *cmdline, char ***argv_out, size_t *argc_out, wcr_err *err);

/* Release what wcr_cmdline_split() (or wcr_os_split_cmdline_native())
 * returned; NULL is accepted. */
void wcr_cmdline_free(char **argv);

/* Make that one-block argv from `argc` NUL-terminated strings laid end to
 * end in `strings` (a failed buffer is reported as its error). Shared with
 * the OS layer so both splitters hand back the same shape. */
int wcr_cmdline_argv_pack(const wcr_buf *strings, size_t argc, char ***argv_out, wcr_err *err);

#endif
