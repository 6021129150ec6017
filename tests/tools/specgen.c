/* specgen: runtime specs from src/spec for named scenarios, for checking
 * against the OCI runtime-spec JSON schema (spec-schema.sh).
 *
 *   specgen list          the scenario names, one a line
 *   specgen NAME          the scenario's spec (pretty JSON) on stdout
 *
 * A scenario whose name ends in "-run" is the form wcr run gives
 * containerd for Windows: no windows.layerFolders (the layers travel as
 * the rootfs mount), which the schema marks required. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "spec/spec.h"

#define SNAPS "C:\\ProgramData\\containerd\\root\\io.containerd.snapshotter.v1.windows\\snapshots\\"
#define SNAPS_J "C:\\\\ProgramData\\\\containerd\\\\root\\\\io.containerd.snapshotter.v1.windows\\\\snapshots\\\\"

static const char *const lin_env[] = { "PATH=/usr/local/bin:/usr/bin:/bin", "LANG=C.UTF-8" };
static const char *const lin_ep[] = { "/docker-entrypoint.sh" };
static const char *const lin_cmd[] = { "nginx", "-g", "daemon off;" };
static const char *const win_cmd[] = { "c:\\windows\\system32\\cmd.exe" };
static const char *const win_escaped[] = { "cmd /S /C powershell -Command \"Write-Host hi\"" };
static const char *const win_env[] = { "Path=C:\\Windows\\system32;C:\\Windows" };
static const char *const sh[] = { "sh", "-c", "echo hi" };
static const char passwd[] = "root:x:0:0::/root:/bin/sh\nwww:x:33:33::/var/www:/bin/false\n";
static const char group[] = "root:x:0:\nwww:x:33:\nadm:x:4:www\nlog:x:5:www,root\n";
static const char *const user_env[] = { "LANG", "DEBUG=1", "PATH=/opt/bin:/usr/bin:/bin" };

static wcr_image_config img;
static wcr_mounts mounts;
static wcr_spec_bind lin_binds[] = {
    { "/srv/data", "/data", true },
    { "/var/cache/app", "/cache", false },
    { "/tmp/shm", "/dev/shm", false },
};
static wcr_spec_bind win_binds[] = {
    { "D:\\cache", "C:\\cache", false },
    { "C:\\data", "C:\\data", true },
    { "\\\\.\\pipe\\docker_engine", "\\\\.\\pipe\\docker_engine", false },
};

static void image(const char *os, const char *const *ep, size_t nep, const char *const *cmd, size_t ncmd,
                  const char *const *env, size_t nenv, const char *wd, const char *user)
{
    memset(&img, 0, sizeof img);
    strcpy(img.platform.os, os);
    img.entrypoint = ep;
    img.n_entrypoint = nep;
    img.cmd = cmd;
    img.n_cmd = ncmd;
    img.env = env;
    img.n_env = nenv;
    img.working_dir = wd;
    img.user = user;
}

static int windows_layers(const char *scratch, const char *parents_json)
{
    char opt[1024];
    snprintf(opt, sizeof opt, "parentLayerPaths=%s", parents_json);
    const char *opts[] = { "rw", opt };
    return wcr_mounts_push(&mounts, "windows-layer", scratch, "", opts, parents_json ? 2 : 1, NULL);
}

/* Fill in for the named scenario; -1 when there is none. */
static int scenario(const char *name, wcr_spec_input *in)
{
    in->os = WCR_SPEC_LINUX;
    if (strcmp(name, "linux-minimal") == 0) {
        in->args = sh;
        in->n_args = 3;
    } else if (strcmp(name, "linux-image") == 0) {
        image("linux", lin_ep, 1, lin_cmd, 3, lin_env, 2, "/usr/share/nginx", "101:101");
        in->image = &img;
        in->ns = "default";
        in->id = "web";
    } else if (strcmp(name, "linux-user-passwd") == 0) {
        image("linux", NULL, 0, lin_cmd, 3, lin_env, 2, NULL, "www");
        in->image = &img;
        in->passwd = passwd;
        in->group = group;
    } else if (strcmp(name, "linux-tty-env") == 0) {
        image("linux", lin_ep, 1, lin_cmd, 3, NULL, 0, NULL, NULL);
        in->image = &img;
        in->tty = true;
        in->hostname = "box";
        in->env = user_env;
        in->n_env = 3;
        in->entrypoint_set = true;
        in->entrypoint = "/bin/sh";
        in->workdir = "/tmp";
        in->user = "0:0";
    } else if (strcmp(name, "linux-net-host-binds") == 0) {
        in->args = sh;
        in->n_args = 3;
        in->net = WCR_SPEC_NET_HOST;
        in->binds = lin_binds;
        in->n_binds = 3;
    } else if (strcmp(name, "linux-netns-cgroups") == 0) {
        in->args = sh;
        in->n_args = 3;
        in->linux_netns_path = "/var/run/netns/wcr-test";
        in->ns = "k8s.io";
        in->id = "pod-1";
        in->rootfs_path = "/run/wcr/pod-1/rootfs";
    } else if (strcmp(name, "windows-servercore") == 0) {
        in->os = WCR_SPEC_WINDOWS;
        image("windows", NULL, 0, win_cmd, 1, win_env, 1, NULL, NULL);
        in->image = &img;
        in->rootfs_mounts = &mounts;
        return windows_layers(SNAPS "25", "[\"" SNAPS_J "24\",\"" SNAPS_J "23\"]");
    } else if (strcmp(name, "windows-nanoserver-admin") == 0) {
        in->os = WCR_SPEC_WINDOWS;
        image("windows", NULL, 0, win_cmd, 1, win_env, 1, "C:\\app", "ContainerUser");
        in->image = &img;
        in->user = "ContainerAdministrator";
        in->rootfs_mounts = &mounts;
        return windows_layers(SNAPS "21", "[\"" SNAPS_J "20\"]");
    } else if (strcmp(name, "windows-hyperv-netns") == 0) {
        in->os = WCR_SPEC_WINDOWS;
        image("windows", NULL, 0, win_cmd, 1, win_env, 1, NULL, NULL);
        in->image = &img;
        in->isolation = WCR_ISOLATION_HYPERV;
        in->windows_netns = "5f7d467c-3011-48bc-9337-ce78cf399345";
        in->hostname = "builder";
        in->binds = win_binds;
        in->n_binds = 3;
        in->rootfs_mounts = &mounts;
        return windows_layers("D:\\snaps\\9", "[\"D:\\\\snaps\\\\8\",\"D:\\\\snaps\\\\1\"]");
    } else if (strcmp(name, "windows-args-escaped") == 0) {
        in->os = WCR_SPEC_WINDOWS;
        image("windows", NULL, 0, win_escaped, 1, win_env, 1, NULL, NULL);
        img.args_escaped = true;
        in->image = &img;
        in->tty = true;
        in->rootfs_mounts = &mounts;
        return windows_layers(SNAPS "21", "[\"" SNAPS_J "20\"]");
    } else if (strcmp(name, "windows-run") == 0) {
        in->os = WCR_SPEC_WINDOWS;
        image("windows", NULL, 0, win_cmd, 1, win_env, 1, NULL, NULL);
        in->image = &img;
        in->ns = "default";
        in->id = "w1";
        in->binds = win_binds;
        in->n_binds = 2;
    } else if (strcmp(name, "windows-hyperv-run") == 0) {
        in->os = WCR_SPEC_WINDOWS;
        image("windows", NULL, 0, win_escaped, 1, win_env, 1, "C:\\", NULL);
        img.args_escaped = true;
        in->image = &img;
        in->isolation = WCR_ISOLATION_HYPERV;
        in->windows_netns = "0b8c8cd5-1d2b-4a64-b0a4-5b3b0a3e4b9e";
    } else {
        return -1;
    }
    return 0;
}

static const char *const names[] = {
    "linux-minimal", "linux-image", "linux-user-passwd", "linux-tty-env", "linux-net-host-binds",
    "linux-netns-cgroups", "windows-servercore", "windows-nanoserver-admin", "windows-hyperv-netns",
    "windows-args-escaped", "windows-run", "windows-hyperv-run",
};

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: specgen list | specgen NAME\n");
        return 2;
    }
    if (strcmp(argv[1], "list") == 0) {
        for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
            printf("%s\n", names[i]);
        return 0;
    }
    wcr_spec_input in = WCR_SPEC_INPUT_INIT;
    if (scenario(argv[1], &in) < 0) {
        fprintf(stderr, "specgen: no scenario \"%s\" (see specgen list)\n", argv[1]);
        return 2;
    }
    wcr_buf out = WCR_BUF_INIT("spec", WCR_BUF_NO_LIMIT);
    wcr_err err = WCR_ERR_INIT;
    int rc = wcr_spec_build(&out, &in, WCR_SPEC_PRETTY, &err);
    if (rc == 0)
        fwrite(out.data, 1, out.len, stdout);
    else
        fprintf(stderr, "specgen: %s: %s\n", argv[1], err.msg);
    wcr_err_dispose(&err);
    wcr_buf_dispose(&out);
    wcr_mounts_dispose(&mounts);
    return rc == 0 ? 0 : 1;
}
