/* The Windows part of a spec: what ctr run gives a Windows container
 * (ignoreFlushesDuringBoot, allowUnqualifiedDNSQuery, hyperv for Hyper-V
 * isolation), the user by name, mapped directories, and layerFolders when
 * the snapshot's mounts are given (wcr spec). */
#include <stdlib.h>
#include <string.h>

#include "core/str.h"
#include "spec/layers.h"
#include "spec/spec_internal.h"

/* C:\x, C:/x, and rooted \x or /x (on the container's system drive). */
static bool abs_path(const char *p)
{
    return spec_win_drive_path(p) || (p && (p[0] == '\\' || p[0] == '/'));
}

static bool drive_root(const char *p)
{
    return spec_win_drive_path(p) && p[3] == '\0';
}

static int check_bind(const wcr_spec_bind *b, wcr_err *err)
{
    bool src_pipe = spec_win_pipe(b->source), dst_pipe = spec_win_pipe(b->destination);
    if (!src_pipe && !spec_win_drive_path(b->source) && !wcr_str_starts_with(b->source, "\\\\"))
        return wcr_err_set(err, WCR_E_INVALID,
                           "bind %s:%s: the source must be an absolute Windows path (D:\\dir), a "
                           "share (\\\\server\\share) or a named pipe (\\\\.\\pipe\\name)",
                           b->source, b->destination);
    if (src_pipe != dst_pipe)
        return wcr_err_set(err, WCR_E_INVALID, "bind %s:%s: a named pipe maps only to a named pipe",
                           b->source, b->destination);
    if (!dst_pipe && !spec_win_drive_path(b->destination))
        return wcr_err_set(err, WCR_E_INVALID,
                           "bind %s:%s: the destination must be an absolute Windows path (C:\\dir)",
                           b->source, b->destination);
    if (drive_root(b->destination))
        return wcr_err_set(err, WCR_E_INVALID, "bind %s:%s: the destination cannot be a drive's root",
                           b->source, b->destination);
    return 0;
}

static int check(const wcr_spec_input *in, wcr_err *err)
{
    /* containerd's own reason (ctr run --net-host). */
    if (in->net == WCR_SPEC_NET_HOST)
        return wcr_err_set(err, WCR_E_UNSUPPORTED,
                           "--net host: cannot use host mode networking with Windows containers");
    if (in->linux_netns_path)
        return wcr_err_set(err, WCR_E_INVALID, "a Linux network namespace for a Windows container");
    for (size_t i = 0; i < in->n_binds; i++)
        if (check_bind(&in->binds[i], err) < 0)
            return -1;
    return 0;
}

/* Windows resolves the account itself: the name goes as given. */
static int user(wcr_spec_process *p, const wcr_spec_input *in, const char *u, wcr_err *err)
{
    (void)in;
    if (!(p->username = wcr_strdup(u && u[0] ? u : WCR_SPEC_WINDOWS_USER)))
        return wcr_err_set(err, WCR_E_NOMEM, "out of memory");
    return 0;
}

static void write_user(wcr_jsonw *w, const wcr_spec_process *p)
{
    wcr_jsonw_key(w, "user");
    wcr_jsonw_object_begin(w);
    wcr_jsonw_kv_string(w, "username", p->username);
    wcr_jsonw_object_end(w);
}

static void write_process_extra(wcr_jsonw *w, const wcr_spec_input *in)
{
    (void)w, (void)in;
}

static void write_mounts(wcr_jsonw *w, const wcr_spec_input *in)
{
    if (in->n_binds == 0)
        return;
    wcr_jsonw_key(w, "mounts");
    wcr_jsonw_array_begin(w);
    for (size_t i = 0; i < in->n_binds; i++) {
        /* No type: hcsshim maps a typeless mount as a directory (or pipe)
         * and refuses "bind". */
        const char *mode = in->binds[i].readonly ? "ro" : "rw";
        wcr_jsonw_object_begin(w);
        wcr_jsonw_kv_string(w, "destination", in->binds[i].destination);
        wcr_jsonw_kv_string(w, "source", in->binds[i].source);
        spec_write_strings(w, "options", &mode, 1);
        wcr_jsonw_object_end(w);
    }
    wcr_jsonw_array_end(w);
}

static int write_rest(wcr_jsonw *w, const wcr_spec_input *in, wcr_err *err)
{
    wcr_strv folders = { 0 };
    if (in->rootfs_mounts && wcr_layers_folders(&folders, in->rootfs_mounts, err) < 0)
        return -1;
    /* The layers are in layerFolders or in the rootfs mount; the path
     * stays empty as in containerd's default Windows spec. */
    wcr_jsonw_key(w, "root");
    wcr_jsonw_object_begin(w);
    wcr_jsonw_kv_string(w, "path", "");
    wcr_jsonw_object_end(w);
    if (in->hostname && in->hostname[0])
        wcr_jsonw_kv_string(w, "hostname", in->hostname);
    write_mounts(w, in);
    wcr_jsonw_key(w, "windows");
    wcr_jsonw_object_begin(w);
    if (in->rootfs_mounts)
        spec_write_strings(w, "layerFolders", (const char *const *)folders.v, folders.n);
    wcr_jsonw_kv_bool(w, "ignoreFlushesDuringBoot", true);
    wcr_jsonw_key(w, "network");
    wcr_jsonw_object_begin(w);
    wcr_jsonw_kv_bool(w, "allowUnqualifiedDNSQuery", true);
    if (in->windows_netns && in->windows_netns[0])
        wcr_jsonw_kv_string(w, "networkNamespace", in->windows_netns);
    wcr_jsonw_object_end(w);
    if (in->isolation == WCR_ISOLATION_HYPERV) {
        wcr_jsonw_key(w, "hyperv");
        wcr_jsonw_object_begin(w);
        wcr_jsonw_object_end(w);
    }
    wcr_jsonw_object_end(w);
    wcr_strv_dispose(&folders);
    return 0;
}

const spec_backend spec_windows = {
    .os = WCR_SPEC_WINDOWS,
    .default_cwd = "C:\\",
    .env_nocase = true,
    .check = check,
    .abs_path = abs_path,
    .user = user,
    .env_defaults = NULL,
    .write_user = write_user,
    .write_process_extra = write_process_extra,
    .write_rest = write_rest,
};
