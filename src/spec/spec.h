/* The OCI runtime spec (config.json) for a container, Linux or Windows,
 * from an image's config and the user's run flags.
 *
 * What runs (Docker's rules, which ctr and containerd follow too):
 *   - args = ENTRYPOINT + CMD. --entrypoint E replaces the image's
 *     ENTRYPOINT with the one argument E and drops the image's CMD; an
 *     empty E clears the ENTRYPOINT (and so the CMD too). Arguments given
 *     on the command line replace CMD. Nothing left to run is an error.
 *   - Windows images built with ArgsEscaped (Cmd[0], or Entrypoint[0], is
 *     already a whole command line) get process.commandLine instead of
 *     args when the image's ENTRYPOINT or CMD is used: that entry, then
 *     the other arguments quoted for CommandLineToArgvW (containerd's
 *     WithImageConfigArgs).
 *   - env: the image's Env; on Linux PATH=/usr/local/sbin:/usr/local/bin:
 *     /usr/sbin:/usr/bin:/sbin:/bin when the image sets none, HOSTNAME
 *     with --hostname and TERM=xterm with -t unless the image sets them;
 *     then each --env-file line and each -e, in that order, replacing the
 *     variable of the same name (on Windows names match without case) or
 *     adding it. "-e K" (no '=') takes K from wcr's own environment; when
 *     K is not set there, K is removed (Docker's "unset"). Env files:
 *     KEY=VALUE lines, '#' comments, blank lines; leading white space is
 *     dropped; the value is taken literally (no quotes or escapes).
 *   - cwd: -w, else the image's WorkingDir, else "/" (Linux) or "C:\"
 *     (Windows); -w must be absolute.
 *   - user: Linux resolves -u, else the image's USER, else root, through
 *     the image's /etc/passwd and /etc/group (passwd.h); Windows puts -u,
 *     else the image's USER, else "ContainerUser" in process.user.username
 *     as given.
 *
 * The OS part:
 *   - Linux: containerd's default spec (pid, ipc, uts, mount and network
 *     namespaces; /proc, /dev, /dev/pts, /dev/shm, /dev/mqueue, /sys, /run;
 *     14 capabilities; masked and read-only /proc and /sys paths;
 *     RLIMIT_NOFILE 1024; no new privileges; devices denied but the
 *     standard ones ctr allows) with cgroupsPath "/<namespace>/<id>".
 *     --net none keeps the new network namespace (only loopback); --net
 *     host leaves it out and bind-mounts the host's /etc/resolv.conf and
 *     /etc/hosts read-only. Binds are "bind" mounts with rbind and ro/rw;
 *     a bind over a default mount's destination replaces it.
 *   - Windows: process.user.username; windows.ignoreFlushesDuringBoot;
 *     windows.network.allowUnqualifiedDNSQuery (and networkNamespace when
 *     given); windows.hyperv for Hyper-V isolation; windows.layerFolders
 *     only when rootfs mounts are given (wcr spec: the runhcs shim refuses
 *     layerFolders together with a rootfs mount, which is how wcr run and
 *     ctr pass the layers); mounts without a type, options "ro"/"rw".
 *     --net host is refused, as containerd refuses it.
 *
 * The result validates against the OCI runtime-spec JSON schema; the one
 * exception is a Windows spec without layerFolders (the form containerd
 * and wcr run use), which the schema marks required although runtimes
 * take the layers from the rootfs mount instead.
 */
#ifndef WCR_SPEC_SPEC_H
#define WCR_SPEC_SPEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "containerd/types.h"
#include "core/buf.h"
#include "image/manifest.h"
#include "image/platform.h"
#include "spec/passwd.h"
#include "wcr/err.h"

#define WCR_SPEC_OCI_VERSION "1.1.0"
#define WCR_SPEC_LINUX_PATH "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
#define WCR_SPEC_WINDOWS_USER "ContainerUser"
/* Cap on one --env-file. */
#define WCR_SPEC_ENV_FILE_MAX ((size_t)4 << 20)

typedef enum wcr_spec_os {
    WCR_SPEC_LINUX = 1,
    WCR_SPEC_WINDOWS
} wcr_spec_os;

/* "linux" -> LINUX, "windows" -> WINDOWS; -1 for anything else. */
int wcr_spec_os_parse(const char *name, wcr_spec_os *out);
const char *wcr_spec_os_name(wcr_spec_os os);

typedef enum wcr_spec_net {
    WCR_SPEC_NET_DEFAULT = 0, /* no network yet: as NONE */
    WCR_SPEC_NET_NONE,        /* own network namespace, only loopback */
    WCR_SPEC_NET_HOST         /* Linux: the host's network */
} wcr_spec_net;

/* A bind mount from -v or --mount, as written (paths are checked for the
 * target OS when the spec is built). Owned strings. */
typedef struct wcr_spec_bind {
    char *source;
    char *destination;
    bool readonly;
} wcr_spec_bind;

void wcr_spec_bind_dispose(wcr_spec_bind *b);

/* -v SRC:DST[:ro|rw]. Windows paths with drive letters split where they
 * should: "D:\cache:C:\cache", "C:\data:C:\data:ro"; named pipes
 * (\\.\pipe\x) have no colon. A named or anonymous volume (no source, or
 * a source that is not a path) is refused: wcr has no volumes. */
int wcr_spec_parse_volume(const char *text, wcr_spec_bind *out, wcr_err *err);

/* --mount type=bind,source=S,target=D[,readonly]: keys src/source,
 * dst/destination/target, readonly/ro (bare, or =true/false/1/0). */
int wcr_spec_parse_mount(const char *text, wcr_spec_bind *out, wcr_err *err);

/* Look a variable up in the environment wcr runs in ("-e K"): a malloc'd
 * value or NULL when unset. NULL in the input: wcr_os_getenv. */
typedef char *(*wcr_spec_getenv_fn)(void *ud, const char *name);

typedef struct wcr_spec_input {
    unsigned version;                /* WCR_SPEC_INPUT_VERSION */
    wcr_spec_os os;                  /* 0: the OS wcr runs on */
    const wcr_image_config *image;   /* or NULL: no image config */

    bool entrypoint_set;             /* --entrypoint given (even "") */
    const char *entrypoint;
    const char *const *args;         /* CMD... from the command line */
    size_t n_args;
    const char *const *env;          /* -e, in order */
    size_t n_env;
    const char *const *env_files;    /* --env-file paths, in order */
    size_t n_env_files;
    const char *workdir;             /* -w, or NULL */
    const char *user;                /* -u, or NULL */
    const char *hostname;            /* --hostname, or NULL */
    const wcr_spec_bind *binds;
    size_t n_binds;
    wcr_isolation isolation;         /* Windows; hyperv is refused on Linux */
    wcr_spec_net net;
    bool tty;                        /* -t */

    const char *ns, *id;             /* Linux cgroupsPath /ns/id when both set */
    const char *rootfs_path;         /* Linux root.path; NULL: "rootfs" */
    const wcr_mounts *rootfs_mounts; /* Windows: give layerFolders; NULL: none */
    const char *linux_netns_path;    /* Linux: join this network namespace */
    const char *windows_netns;       /* Windows: HCN namespace GUID, or NULL */

    /* The image's /etc/passwd and /etc/group (Linux), NUL-terminated, or
     * NULL when unknown. */
    const char *passwd, *group;

    wcr_spec_getenv_fn getenv;       /* NULL: wcr_os_getenv */
    void *getenv_ud;
} wcr_spec_input;

#define WCR_SPEC_INPUT_VERSION 1
#define WCR_SPEC_INPUT_INIT { .version = WCR_SPEC_INPUT_VERSION }

/* The process part, resolved (for wcr run: what to show, what to exec). */
typedef struct wcr_spec_process {
    wcr_strv args;      /* empty when command_line is set */
    char *command_line; /* Windows ArgsEscaped images; else NULL */
    wcr_strv env;
    char *cwd;
    wcr_user user;      /* Linux */
    char *username;     /* Windows */
} wcr_spec_process;

void wcr_spec_process_dispose(wcr_spec_process *p);

/* Apply the rules above to in (reading the env files). Errors name the
 * flag or the image field at fault. */
int wcr_spec_resolve(wcr_spec_process *out, const wcr_spec_input *in, wcr_err *err);

enum { WCR_SPEC_COMPACT = 0, WCR_SPEC_PRETTY = 1 };

/* The whole config.json into out (appended): pretty (2-space indent, for
 * people and files) or compact (for containerd). */
int wcr_spec_build(wcr_buf *out, const wcr_spec_input *in, int flags, wcr_err *err);

/* The variables a user adds to a process's env: --env-file files, then -e
 * entries. Each replaces, adds, or (KEY alone, not set here) removes;
 * KEY alone takes its value from wcr's environment through getenv. */
typedef struct wcr_spec_env_user {
    const char *const *files;
    size_t n_files;
    const char *const *vars;
    size_t n_vars;
    bool nocase;                     /* Windows: names ignore case */
    wcr_spec_getenv_fn getenv;       /* NULL: wcr_os_getenv */
    void *getenv_ud;
} wcr_spec_env_user;

int wcr_spec_env_apply_user(wcr_strv *env, const wcr_spec_env_user *u, wcr_err *err);

/* Parse an env file's text into KEY=VALUE (or KEY, to be taken from the
 * environment) entries appended to out; `name` prefixes errors, which
 * give the line. */
int wcr_spec_env_file_parse(wcr_strv *out, const char *name, const char *text, size_t len,
                            wcr_err *err);

#endif
