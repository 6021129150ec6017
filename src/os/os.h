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

/* containerd's own default endpoint on this OS: /run/containerd/
 * containerd.sock, or the pipe \\.\pipe\containerd-containerd. */
const char *wcr_os_default_containerd_address(void);

/* Where wcr keeps its own files (container logs), and its short-lived
 * ones (FIFOs), malloc'd: /var/lib/wcr and /run/wcr; %ProgramData%\wcr
 * for both on Windows. $WCR_ROOT replaces both (tests). */
char *wcr_os_state_dir(bool runtime, wcr_err *err);

/* containerd's default snapshotter on this OS: "overlayfs" or "windows". */
const char *wcr_os_default_snapshotter(void);

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

/* Reading a file in pieces (archives, logs that grow). */
typedef struct wcr_os_file wcr_os_file;
wcr_os_file *wcr_os_file_open(const char *path, wcr_err *err);
/* *got 0 at the end (for now: a log may grow later). */
int wcr_os_file_read(wcr_os_file *f, void *buf, size_t len, size_t *got, wcr_err *err);
int wcr_os_file_seek(wcr_os_file *f, uint64_t offset, wcr_err *err);
void wcr_os_file_close(wcr_os_file *f);

/* Remove a file; a file that is already gone is not an error. */
int wcr_os_remove_file(const char *path, wcr_err *err);

/* Create a directory and its parents (mode as for mkdir; ignored on
 * Windows). An existing directory is not an error. */
int wcr_os_mkdir_p(const char *path, unsigned mode, wcr_err *err);

/* Remove an empty directory; one that is already gone is not an error. */
int wcr_os_remove_dir(const char *path, wcr_err *err);

/* The OS's path separator ('/' or '\\'). */
char wcr_os_path_sep(void);

/* --- terminal ------------------------------------------------------------- */

enum { WCR_OS_STDIN = 0, WCR_OS_STDOUT = 1, WCR_OS_STDERR = 2 };

/* Whether the standard stream is a terminal (a console on Windows). */
bool wcr_os_isatty(int stream);

/* The terminal's size in characters; -1 when the stream is no terminal. */
int wcr_os_terminal_size(int stream, unsigned *cols, unsigned *rows);

/* --- directories ----------------------------------------------------------- */

/* The user's home directory ($HOME; %USERPROFILE%), malloc'd. */
char *wcr_os_home_dir(wcr_err *err);

/* Where per-user configuration lives, malloc'd:
 * Linux $XDG_CONFIG_HOME or ~/.config; Windows %APPDATA%. */
char *wcr_os_config_dir(wcr_err *err);

/* The directory for temporary files, malloc'd, without a trailing
 * separator (unless it is a root): Linux $TMPDIR (when absolute) or /tmp;
 * Windows GetTempPathW (%TMP%, %TEMP%, ...). */
char *wcr_os_temp_dir(wcr_err *err);

/* --- command lines ---------------------------------------------------------- */

/* Split a command line with the OS's own CommandLineToArgvW, to check
 * wcr_cmdline_split() against it. *argv is NULL-terminated and one
 * allocation, released with wcr_cmdline_free() (core/cmdline.h). Not on
 * POSIX: -1 with WCR_E_UNSUPPORTED. */
int wcr_os_split_cmdline_native(const char *cmdline, char ***argv, size_t *argc, wcr_err *err);

/* --- threads and locks ------------------------------------------------------ */

typedef struct wcr_os_thread wcr_os_thread;
typedef struct wcr_os_mutex wcr_os_mutex;
typedef struct wcr_os_cond wcr_os_cond;

/* Start fn(arg) on a new thread; wcr_os_thread_join() waits for it and
 * releases the handle. */
int wcr_os_thread_start(wcr_os_thread **out, void (*fn)(void *), void *arg, wcr_err *err);
void wcr_os_thread_join(wcr_os_thread *t);
/* Let the thread run on unjoined; its resources go when it ends. */
void wcr_os_thread_detach(wcr_os_thread *t);

wcr_os_mutex *wcr_os_mutex_new(wcr_err *err);
void wcr_os_mutex_free(wcr_os_mutex *m);
void wcr_os_mutex_lock(wcr_os_mutex *m);
void wcr_os_mutex_unlock(wcr_os_mutex *m);

wcr_os_cond *wcr_os_cond_new(wcr_err *err);
void wcr_os_cond_free(wcr_os_cond *c);
/* Wait until signalled or until the monotonic clock (wcr_os_monotonic_ns)
 * reaches deadline_ns (0: no deadline). Returns false on timeout. Spurious
 * wake-ups happen: callers re-check their condition. */
bool wcr_os_cond_wait(wcr_os_cond *c, wcr_os_mutex *m, uint64_t deadline_ns);
void wcr_os_cond_broadcast(wcr_os_cond *c);

/* --- local stream connections (unix sockets, named pipes) -------------------- */

typedef struct wcr_os_conn wcr_os_conn;
typedef struct wcr_os_listener wcr_os_listener;

/* Connect to a local stream endpoint: a unix socket path on POSIX, a named
 * pipe (\\.\pipe\NAME) on Windows. A busy pipe is waited for up to
 * timeout_ms. Errors keep the OS's cause (ENOENT, ECONNREFUSED, ...). */
wcr_os_conn *wcr_os_conn_open(const char *path, unsigned timeout_ms, wcr_err *err);

/* Read what is available, at most len bytes (blocking until something
 * is). *got is 0 at the end of the stream. */
int wcr_os_conn_read(wcr_os_conn *c, void *buf, size_t len, size_t *got, wcr_err *err);

/* Write all len bytes. Safe while another thread reads. */
int wcr_os_conn_write(wcr_os_conn *c, const void *buf, size_t len, wcr_err *err);

/* Make a blocked read (on another thread) return, and every later read and
 * write fail. The connection stays valid until wcr_os_conn_close(). */
void wcr_os_conn_shutdown(wcr_os_conn *c);
void wcr_os_conn_close(wcr_os_conn *c);

/* Serve a local endpoint (a unix socket path, replaced if stale; a named
 * pipe), for the test servers and for stdio pipes the shim connects to. */
wcr_os_listener *wcr_os_listen(const char *path, wcr_err *err);
/* Wait for the next client. Fails after wcr_os_listener_shutdown(). */
wcr_os_conn *wcr_os_accept(wcr_os_listener *l, wcr_err *err);
void wcr_os_listener_shutdown(wcr_os_listener *l);
void wcr_os_listener_close(wcr_os_listener *l);

/* --- the host ------------------------------------------------------------------ */

typedef struct wcr_os_host {
    char arch[16];        /* OCI/Go names: amd64, arm64, 386, arm */
    char variant[8];      /* arm variant (v7, v8) or "" */
    /* Windows: the build as major.minor.build and the revision (UBR), from
     * RtlGetVersion and HKLM\SOFTWARE\Microsoft\Windows NT\CurrentVersion\UBR.
     * Zero on other systems. */
    unsigned major, minor, build, revision;
} wcr_os_host;

/* What the machine wcr runs on is (the OS itself is wcr_os_name()). */
int wcr_os_host_info(wcr_os_host *out, wcr_err *err);

/* --- randomness ------------------------------------------------------------------ */

/* n bytes from the OS's cryptographic generator (getrandom; BCryptGenRandom),
 * for unique names (leases, snapshot keys, container IDs). */
int wcr_os_random(void *buf, size_t n, wcr_err *err);

/* --- hashing -------------------------------------------------------------------- */

/* SHA-256 from the OS's crypto library (OpenSSL's libcrypto; BCrypt). */
typedef struct wcr_os_sha256 wcr_os_sha256;

wcr_os_sha256 *wcr_os_sha256_new(wcr_err *err);
void wcr_os_sha256_update(wcr_os_sha256 *h, const void *data, size_t len);
/* The digest; the object may be reused after wcr_os_sha256_reset(). */
void wcr_os_sha256_final(wcr_os_sha256 *h, uint8_t out[32]);
void wcr_os_sha256_reset(wcr_os_sha256 *h);
void wcr_os_sha256_free(wcr_os_sha256 *h);

/* --- HTTP(S) client ---------------------------------------------------------------- */

/* HTTP through the OS: libcurl on Linux, WinHTTP on Windows. TLS is always
 * verified against the system's trust store for https URLs. Redirects are
 * NOT followed: the caller sees each 3xx and decides (a registry client
 * must drop Authorization when a redirect changes host). One wcr_os_http
 * belongs to one thread at a time; it keeps connections alive between
 * requests. */
typedef struct wcr_os_http wcr_os_http;

typedef struct wcr_http_header {
    const char *name;
    const char *value;
} wcr_http_header;

typedef struct wcr_http_request {
    const char *method;             /* "GET", "HEAD", "POST" */
    const char *url;
    const wcr_http_header *headers; /* extra request headers */
    size_t nheaders;
    const void *body;               /* for POST (PUT...); not for GET, HEAD; may be NULL */
    size_t body_len;
    unsigned connect_timeout_ms;    /* 0: 30 s */
    unsigned stall_timeout_ms;      /* no byte for this long aborts; 0: 60 s */
} wcr_http_request;

typedef struct wcr_http_handler {
    void *ud;
    /* The status line and headers (names as sent; compare without case),
     * once per request: interim 1xx responses are not reported (nor are a
     * proxy's answer to CONNECT, or trailers). Return -1 (with err set)
     * to abort the transfer. */
    int (*on_response)(void *ud, int status, const wcr_http_header *headers, size_t n,
                       wcr_err *err);
    /* Body bytes as they arrive. Return -1 (with err set) to abort. */
    int (*on_body)(void *ud, const void *data, size_t len, wcr_err *err);
} wcr_http_handler;

wcr_os_http *wcr_os_http_new(wcr_err *err);
void wcr_os_http_free(wcr_os_http *h);

/* Perform one request. Transport failures are errors with the library's
 * own message kept as the cause: WCR_E_UNAVAILABLE (cannot connect, TLS
 * failure, e.g. https to a plain-http port), WCR_E_TIMEOUT (connect or
 * stall timeout), WCR_E_IO (cut off mid-body, fewer bytes than
 * Content-Length; retryable), WCR_E_INVALID (not an http or https URL),
 * WCR_E_CANCELLED (wcr_os_http_cancel). A callback's own error is passed
 * on as it is. An HTTP error status is not a transport failure: it is
 * reported to on_response. */
int wcr_os_http_request(wcr_os_http *h, const wcr_http_request *req, const wcr_http_handler *hd,
                        wcr_err *err);

/* Make the request in progress on h (from another thread) stop with
 * WCR_E_CANCELLED, and every later one until wcr_os_http_reset_cancel().
 * Safe from any thread at any time; a waiting request ends within about
 * a second (libcurl looks between its progress calls; WinHTTP's wait
 * ends at once). */
void wcr_os_http_cancel(wcr_os_http *h);
void wcr_os_http_reset_cancel(wcr_os_http *h);

/* --- interrupts (Ctrl+C) ------------------------------------------------------------ */

/* The interrupts wcr reacts to, with their POSIX numbers (Windows maps
 * Ctrl+C to INT, Ctrl+Break and console close to TERM). */
enum { WCR_SIG_HUP = 1, WCR_SIG_INT = 2, WCR_SIG_TERM = 15, WCR_SIG_WINCH = 28 };

typedef void (*wcr_os_interrupt_fn)(void *ud, int sig);

/* Route interrupts to fn, called on a thread of its own (so it may take
 * locks and cancel calls), until wcr_os_interrupt_stop(). While nothing
 * is registered, an interrupt ends the process as usual. Needs
 * wcr_os_init_process() to have run first (it sets up the plumbing before
 * any thread exists). WCR_SIG_WINCH (terminal resized) is delivered only
 * when `winch` is true. */
int wcr_os_interrupt_watch(wcr_os_interrupt_fn fn, void *ud, bool winch, wcr_err *err);
void wcr_os_interrupt_stop(void);

/* --- a container process's stdio ------------------------------------------------- */

/* The endpoints a containerd shim opens by name for a process's stdin,
 * stdout and stderr: FIFOs in a new private directory under `dir`
 * (POSIX), or named pipes \\.\pipe\<prefix>-stdout... that wcr serves and
 * the shim connects to (Windows). Streams not asked for have no endpoint
 * (an empty path). Lifecycle: new → give the paths to Tasks.Create →
 * wcr_os_stdio_connected() once Create returned → read/write → free. */
typedef struct wcr_os_stdio wcr_os_stdio;

enum { WCR_STDIO_IN = 0, WCR_STDIO_OUT = 1, WCR_STDIO_ERR = 2 };

wcr_os_stdio *wcr_os_stdio_new(const char *dir, const char *prefix, bool in, bool out, bool err_stream,
                               wcr_err *err);
const char *wcr_os_stdio_path(const wcr_os_stdio *s, int stream);
/* The shim has opened its ends: from now on the end of stdout or stderr
 * means the process (and the shim) closed it. */
int wcr_os_stdio_connected(wcr_os_stdio *s, wcr_err *err);
/* Blocking read of stdout or stderr; *got 0 at the end. */
int wcr_os_stdio_read(wcr_os_stdio *s, int stream, void *buf, size_t len, size_t *got, wcr_err *err);
int wcr_os_stdio_write(wcr_os_stdio *s, const void *buf, size_t len, wcr_err *err);
/* The end of stdin for the process. */
void wcr_os_stdio_close_in(wcr_os_stdio *s);
/* Close everything and remove the endpoints (FIFOs and their directory). */
void wcr_os_stdio_free(wcr_os_stdio *s);

/* --- our own terminal and stdio ---------------------------------------------------- */

typedef struct wcr_os_term wcr_os_term;

/* Put the terminal on stdin in raw mode (no echo, no line editing, keys
 * passed through); wcr_os_term_restore() puts it back. */
wcr_os_term *wcr_os_term_raw(wcr_err *err);
void wcr_os_term_restore(wcr_os_term *t);

/* Unbuffered reads of our stdin and writes to our stdout/stderr. */
int wcr_os_stdin_read(void *buf, size_t len, size_t *got, wcr_err *err);
int wcr_os_std_write(int stream, const void *buf, size_t len, wcr_err *err);

/* --- processes ------------------------------------------------------------------------ */

/* This process's id, and whether a process with that id exists. */
unsigned long wcr_os_pid(void);
bool wcr_os_process_alive(unsigned long pid);

/* Run a program found on PATH (argv[0], NULL-ended argv) and wait for it:
 * `in` goes to its stdin, which is then closed; its stdout is collected,
 * up to out_max bytes, into *out (malloc'd, NUL-terminated; more is an
 * error); its stderr is ours. *status is its exit code. A program not on
 * PATH is WCR_E_NOT_FOUND. For short exchanges (credential helpers):
 * stdin is written whole before stdout is read. */
int wcr_os_run_capture(const char *const *argv, const void *in, size_t in_len, size_t out_max,
                       char **out, size_t *out_len, int *status, wcr_err *err);

/* The names in a directory ("." and ".." left out), NULL-terminated and
 * malloc'd (free with wcr_os_names_free). A missing directory: none. */
int wcr_os_list_dir(const char *path, char ***names, size_t *n, wcr_err *err);
void wcr_os_names_free(char **names);

/* Remove a directory and everything in it; a missing one is fine. */
int wcr_os_remove_tree(const char *path, wcr_err *err);

#endif
