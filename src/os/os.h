/* The OS interface: everything in libwcr that touches the operating system
 * goes through these functions, implemented once per OS (src/os/posix,
 * src/os/windows) and chosen by the build. Strings are UTF-8 on every OS;
 * the Windows side converts to and from UTF-16 at the boundary. */
#ifndef WCR_OS_H
#define WCR_OS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "wcr/err.h"

/* "linux" or "windows": the OS wcr really runs on. */
const char *wcr_os_name(void);

/* Process set-up, called first by main: on Windows, argv becomes UTF-8
 * (from the UTF-16 command line) and the console speaks UTF-8. argv is
 * replaced by memory that lives until exit. */
int wcr_os_init_process(int *argc, char ***argv, wcr_err *err);

/* --- environment -------------------------------------------------------- */

/* A malloc'd copy of the variable's value, or NULL when it is not set. */
char *wcr_os_getenv(const char *name);

/* Set (value != NULL) or remove (value == NULL) a variable. */
int wcr_os_setenv(const char *name, const char *value, wcr_err *err);

/* --- time ---------------------------------------------------------------- */

/* Nanoseconds from an arbitrary start; never goes backwards. */
uint64_t wcr_os_monotonic_ns(void);

/* Seconds since 1970-01-01 UTC, with nanoseconds. */
void wcr_os_wall_time(int64_t *seconds, int32_t *nanos);

void wcr_os_sleep_ms(unsigned ms);

/* --- files ---------------------------------------------------------------- */

/* Read a whole file, at most `limit` bytes (an error when larger). *data is
 * malloc'd and NUL-terminated. */
int wcr_os_read_file(const char *path, size_t limit, char **data, size_t *len,
                     wcr_err *err);

/* Write a file so that readers see the old or the new contents, never a
 * mix: write a temporary file beside it, flush, then rename over (Windows:
 * MoveFileEx with MOVEFILE_REPLACE_EXISTING). `mode` is the POSIX
 * permission bits (ignored on Windows). */
int wcr_os_write_file_atomic(const char *path, const void *data, size_t len,
                             unsigned mode, wcr_err *err);

bool wcr_os_path_exists(const char *path);

/* Remove a file; a file that is already gone is not an error. */
int wcr_os_remove_file(const char *path, wcr_err *err);

/* Create a directory and its parents (mode as for mkdir; ignored on
 * Windows). An existing directory is not an error. */
int wcr_os_mkdir_p(const char *path, unsigned mode, wcr_err *err);

/* The OS's path separator ('/' or '\\'). */
char wcr_os_path_sep(void);

/* --- terminal ------------------------------------------------------------- */

enum { WCR_OS_STDIN = 0, WCR_OS_STDOUT = 1, WCR_OS_STDERR = 2 };

/* Whether the standard stream is a terminal (a console on Windows). */
bool wcr_os_isatty(int stream);

/* --- directories ----------------------------------------------------------- */

/* The user's home directory ($HOME; %USERPROFILE%), malloc'd. */
char *wcr_os_home_dir(wcr_err *err);

/* Where per-user configuration lives, malloc'd:
 * Linux $XDG_CONFIG_HOME or ~/.config; Windows %APPDATA%. */
char *wcr_os_config_dir(wcr_err *err);

#endif
