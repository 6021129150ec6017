/* The Linux part of a spec: containerd's default spec (oci.WithDefaultSpec
 * plus the devices ctr allows), user ids from the image's passwd/group,
 * binds, host networking. */
#include <stdlib.h>
#include <string.h>

#include "core/str.h"
#include "spec/spec_internal.h"

static const char *const caps[] = {
    "CAP_CHOWN",      "CAP_DAC_OVERRIDE", "CAP_FSETID",           "CAP_FOWNER",
    "CAP_MKNOD",      "CAP_NET_RAW",      "CAP_SETGID",           "CAP_SETUID",
    "CAP_SETFCAP",    "CAP_SETPCAP",      "CAP_NET_BIND_SERVICE", "CAP_SYS_CHROOT",
    "CAP_KILL",       "CAP_AUDIT_WRITE",
};

static const char *const masked[] = {
    "/proc/acpi",       "/proc/asound",      "/proc/kcore",         "/proc/keys",
    "/proc/latency_stats", "/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug",
    "/sys/firmware",    "/proc/scsi",
};

static const char *const readonly[] = {
    "/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger",
};

typedef struct default_mount {
    const char *destination, *type, *source;
    const char *options[7];
} default_mount;

static const default_mount mounts[] = {
    { "/proc", "proc", "proc", { "nosuid", "noexec", "nodev" } },
    { "/dev", "tmpfs", "tmpfs", { "nosuid", "strictatime", "mode=755", "size=65536k" } },
    { "/dev/pts", "devpts", "devpts",
      { "nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5" } },
    { "/dev/shm", "tmpfs", "shm", { "nosuid", "noexec", "nodev", "mode=1777", "size=65536k" } },
    { "/dev/mqueue", "mqueue", "mqueue", { "nosuid", "noexec", "nodev" } },
    { "/sys", "sysfs", "sysfs", { "nosuid", "noexec", "nodev", "ro" } },
    { "/run", "tmpfs", "tmpfs", { "nosuid", "strictatime", "mode=755", "size=65536k" } },
};

/* Character devices a container may use: /dev/null, random, full, tty,
 * zero, urandom, console, pts (any minor), ptmx. */
static const struct { int64_t major, minor; } devices[] = {
    { 1, 3 }, { 1, 8 }, { 1, 7 }, { 5, 0 }, { 1, 5 }, { 1, 9 }, { 5, 1 }, { 136, -1 }, { 5, 2 },
};

#define N(a) (sizeof(a) / sizeof((a)[0]))

static bool abs_path(const char *p)
{
    return p && p[0] == '/';
}

static int check(const wcr_spec_input *in, wcr_err *err)
{
    if (in->isolation == WCR_ISOLATION_HYPERV)
        return wcr_err_set(err, WCR_E_INVALID, "--isolation hyperv is for Windows containers");
    if (in->rootfs_mounts)
        return wcr_err_set(err, WCR_E_INVALID,
                           "snapshot mounts give Windows layerFolders; a Linux spec's root is a "
                           "directory (root.path)");
    if (in->net == WCR_SPEC_NET_HOST && in->linux_netns_path)
        return wcr_err_set(err, WCR_E_INVALID, "--net host and a network namespace path together");
    for (size_t i = 0; i < in->n_binds; i++) {
        const wcr_spec_bind *b = &in->binds[i];
        if (!abs_path(b->source))
            return wcr_err_set(err, WCR_E_INVALID, "bind %s:%s: the source must be an absolute path",
                               b->source, b->destination);
        if (!abs_path(b->destination) || strcmp(b->destination, "/") == 0)
            return wcr_err_set(err, WCR_E_INVALID,
                               "bind %s:%s: the destination must be an absolute path other than /",
                               b->source, b->destination);
    }
    return 0;
}

static int user(wcr_spec_process *p, const wcr_spec_input *in, const char *u, wcr_err *err)
{
    if (wcr_user_resolve(&p->user, u, in->passwd, in->group, err) < 0)
        return wcr_err_wrap(err, "%s", in->user && in->user[0] ? "-u" : "the image's USER");
    return 0;
}

static int env_defaults(wcr_strv *env, const wcr_spec_input *in, wcr_err *err)
{
    if (!spec_env_has(env, "PATH", false) && wcr_strv_push(env, WCR_SPEC_LINUX_PATH, err) < 0)
        return -1;
    if (in->hostname && in->hostname[0] && !spec_env_has(env, "HOSTNAME", false)) {
        char *kv = wcr_asprintf("HOSTNAME=%s", in->hostname);
        int rc = kv ? wcr_strv_push(env, kv, err) : wcr_err_set(err, WCR_E_NOMEM, "out of memory");
        free(kv);
        if (rc < 0)
            return -1;
    }
    if (in->tty && !spec_env_has(env, "TERM", false) && wcr_strv_push(env, "TERM=xterm", err) < 0)
        return -1;
    return 0;
}

static void write_user(wcr_jsonw *w, const wcr_spec_process *p)
{
    wcr_jsonw_key(w, "user");
    wcr_jsonw_object_begin(w);
    wcr_jsonw_kv_uint64(w, "uid", p->user.uid);
    wcr_jsonw_kv_uint64(w, "gid", p->user.gid);
    wcr_jsonw_key(w, "additionalGids");
    wcr_jsonw_array_begin(w);
    for (size_t i = 0; i < p->user.n_gids; i++)
        wcr_jsonw_uint64(w, p->user.gids[i]);
    wcr_jsonw_array_end(w);
    wcr_jsonw_object_end(w);
}

static void write_process_extra(wcr_jsonw *w, const wcr_spec_input *in)
{
    (void)in;
    wcr_jsonw_key(w, "capabilities");
    wcr_jsonw_object_begin(w);
    spec_write_strings(w, "bounding", caps, N(caps));
    spec_write_strings(w, "effective", caps, N(caps));
    spec_write_strings(w, "permitted", caps, N(caps));
    wcr_jsonw_object_end(w);
    wcr_jsonw_key(w, "rlimits");
    wcr_jsonw_array_begin(w);
    wcr_jsonw_object_begin(w);
    wcr_jsonw_kv_string(w, "type", "RLIMIT_NOFILE");
    wcr_jsonw_kv_uint64(w, "hard", 1024);
    wcr_jsonw_kv_uint64(w, "soft", 1024);
    wcr_jsonw_object_end(w);
    wcr_jsonw_array_end(w);
    wcr_jsonw_kv_bool(w, "noNewPrivileges", true);
}

static void write_mount(wcr_jsonw *w, const char *dst, const char *type, const char *src,
                        const char *const *opts, size_t n)
{
    wcr_jsonw_object_begin(w);
    wcr_jsonw_kv_string(w, "destination", dst);
    wcr_jsonw_kv_string(w, "type", type);
    wcr_jsonw_kv_string(w, "source", src);
    spec_write_strings(w, "options", opts, n);
    wcr_jsonw_object_end(w);
}

static bool bound(const wcr_spec_input *in, const char *dst)
{
    for (size_t i = 0; i < in->n_binds; i++)
        if (strcmp(in->binds[i].destination, dst) == 0)
            return true;
    return false;
}

static void write_mounts(wcr_jsonw *w, const wcr_spec_input *in)
{
    static const char *const ro[] = { "rbind", "ro" }, *const rw[] = { "rbind", "rw" };
    wcr_jsonw_key(w, "mounts");
    wcr_jsonw_array_begin(w);
    for (size_t i = 0; i < N(mounts); i++) {
        const default_mount *m = &mounts[i];
        size_t n = 0;
        while (n < N(m->options) && m->options[n])
            n++;
        if (!bound(in, m->destination))
            write_mount(w, m->destination, m->type, m->source, m->options, n);
    }
    for (size_t i = 0; i < in->n_binds; i++) {
        const wcr_spec_bind *b = &in->binds[i];
        write_mount(w, b->destination, "bind", b->source, b->readonly ? ro : rw, 2);
    }
    /* The host's network comes with the host's name resolution. */
    if (in->net == WCR_SPEC_NET_HOST) {
        if (!bound(in, "/etc/resolv.conf"))
            write_mount(w, "/etc/resolv.conf", "bind", "/etc/resolv.conf", ro, 2);
        if (!bound(in, "/etc/hosts"))
            write_mount(w, "/etc/hosts", "bind", "/etc/hosts", ro, 2);
    }
    wcr_jsonw_array_end(w);
}

static void write_linux(wcr_jsonw *w, const wcr_spec_input *in, const char *cgroups_path)
{
    wcr_jsonw_key(w, "linux");
    wcr_jsonw_object_begin(w);
    wcr_jsonw_key(w, "resources");
    wcr_jsonw_object_begin(w);
    wcr_jsonw_key(w, "devices");
    wcr_jsonw_array_begin(w);
    wcr_jsonw_object_begin(w);
    wcr_jsonw_kv_bool(w, "allow", false);
    wcr_jsonw_kv_string(w, "access", "rwm");
    wcr_jsonw_object_end(w);
    for (size_t i = 0; i < N(devices); i++) {
        wcr_jsonw_object_begin(w);
        wcr_jsonw_kv_bool(w, "allow", true);
        wcr_jsonw_kv_string(w, "type", "c");
        wcr_jsonw_kv_int64(w, "major", devices[i].major);
        if (devices[i].minor >= 0)
            wcr_jsonw_kv_int64(w, "minor", devices[i].minor);
        wcr_jsonw_kv_string(w, "access", "rwm");
        wcr_jsonw_object_end(w);
    }
    wcr_jsonw_array_end(w);
    wcr_jsonw_object_end(w);
    if (cgroups_path)
        wcr_jsonw_kv_string(w, "cgroupsPath", cgroups_path);
    static const char *const types[] = { "pid", "ipc", "uts", "mount", "network" };
    wcr_jsonw_key(w, "namespaces");
    wcr_jsonw_array_begin(w);
    for (size_t i = 0; i < N(types); i++) {
        bool net = strcmp(types[i], "network") == 0;
        if (net && in->net == WCR_SPEC_NET_HOST)
            continue;
        wcr_jsonw_object_begin(w);
        wcr_jsonw_kv_string(w, "type", types[i]);
        if (net && in->linux_netns_path && in->linux_netns_path[0])
            wcr_jsonw_kv_string(w, "path", in->linux_netns_path);
        wcr_jsonw_object_end(w);
    }
    wcr_jsonw_array_end(w);
    spec_write_strings(w, "maskedPaths", masked, N(masked));
    spec_write_strings(w, "readonlyPaths", readonly, N(readonly));
    wcr_jsonw_object_end(w);
}

static int write_rest(wcr_jsonw *w, const wcr_spec_input *in, wcr_err *err)
{
    char *cgroups_path = NULL;
    if (in->ns && in->ns[0] && in->id && in->id[0] &&
        !(cgroups_path = wcr_asprintf("/%s/%s", in->ns, in->id)))
        return wcr_err_set(err, WCR_E_NOMEM, "out of memory");
    wcr_jsonw_key(w, "root");
    wcr_jsonw_object_begin(w);
    wcr_jsonw_kv_string(w, "path", in->rootfs_path && in->rootfs_path[0] ? in->rootfs_path : "rootfs");
    wcr_jsonw_object_end(w);
    if (in->hostname && in->hostname[0])
        wcr_jsonw_kv_string(w, "hostname", in->hostname);
    write_mounts(w, in);
    write_linux(w, in, cgroups_path);
    free(cgroups_path);
    return 0;
}

const spec_backend spec_linux = {
    .os = WCR_SPEC_LINUX,
    .default_cwd = "/",
    .env_nocase = false,
    .check = check,
    .abs_path = abs_path,
    .user = user,
    .env_defaults = env_defaults,
    .write_user = write_user,
    .write_process_extra = write_process_extra,
    .write_rest = write_rest,
};
