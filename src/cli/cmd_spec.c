/* wcr spec: the config.json people write by hand for ctr run --config,
 * runc and runhcs, from an image in containerd and the run flags. */
#include <stdlib.h>
#include <string.h>

#include "cli/commands.h"
#include "cli/output.h"
#include "cli/run_flags.h"
#include "containerd/snapshots.h"
#include "core/platform.h"
#include "image/local.h"
#include "os/os.h"
#include "spec/layers.h"

typedef struct spec_opts {
    cli_run_opts run;
    const char *os;
    const char *image;
    const char *snapshot;
    const char *snapshotter;
    const char *mounts_json;
    const char *rootfs;
} spec_opts;

static const cli_flag spec_flags[] = {
    { "os", 0, CLI_FLAG_STRING, offsetof(spec_opts, os), "linux|windows",
      "The container's OS (default: the --platform's, else the host's)" },
    { "image", 0, CLI_FLAG_STRING, offsetof(spec_opts, image), "REF",
      "Take ENTRYPOINT, CMD, Env, WorkingDir and User from this image in containerd" },
    { "snapshot", 0, CLI_FLAG_STRING, offsetof(spec_opts, snapshot), "KEY",
      "Windows: layerFolders from this prepared snapshot's mounts" },
    { "snapshotter", 0, CLI_FLAG_STRING, offsetof(spec_opts, snapshotter), "NAME",
      "Snapshotter of --snapshot (default overlayfs on Linux, windows on Windows)" },
    { "mounts-json", 0, CLI_FLAG_STRING, offsetof(spec_opts, mounts_json), "FILE",
      "Windows: layerFolders from the mounts `ctr snapshots prepare --mounts` printed" },
    { "rootfs", 0, CLI_FLAG_STRING, offsetof(spec_opts, rootfs), "DIR",
      "Linux: root.path (default \"rootfs\", in the bundle's directory)" },
    CLI_RUN_FLAGS(spec_opts, run),
    CLI_FLAGS_END,
};

static wcr_spec_os host_os(void)
{
    return strcmp(wcr_os_name(), "windows") == 0 ? WCR_SPEC_WINDOWS : WCR_SPEC_LINUX;
}

/* Load the image for the target OS; a Windows image on a Linux host may
 * be of any Windows build. */
static int load_image(wcr_ctd *c, const spec_opts *o, const cli_run_spec *rs, wcr_local_image *img,
                      wcr_err *err)
{
    wcr_platform want;
    const wcr_platform *wantp = NULL;
    wcr_isolation iso = rs->in.isolation;
    if (rs->have_platform) {
        wantp = &rs->platform;
    } else if (rs->in.os != host_os()) {
        if (wcr_platform_set(&want, wcr_spec_os_name(rs->in.os), wcr_platform_arch(), NULL, NULL,
                             err) < 0)
            return -1;
        wantp = &want;
        if (rs->in.os == WCR_SPEC_WINDOWS)
            iso = WCR_ISOLATION_HYPERV;
    }
    if (wcr_local_image_load(c, o->image, wantp, iso, img, err) < 0) {
        if (err && err->code == WCR_E_PLATFORM && !o->os && !rs->have_platform)
            wcr_err_hint(err, "for a spec of another OS than this host's, say --os linux or --os windows");
        return -1;
    }
    wcr_spec_os img_os;
    if (wcr_spec_os_parse(img->config.platform.os, &img_os) < 0 || img_os != rs->in.os)
        return wcr_err_set(err, WCR_E_PLATFORM, "image %s is for %s, not %s%s", o->image,
                           img->config.platform.os[0] ? img->config.platform.os : "an unknown OS",
                           wcr_spec_os_name(rs->in.os),
                           o->os ? "" : " (say which with --os)");
    return 0;
}

static int read_mounts_json(const char *path, wcr_mounts *out, wcr_err *err)
{
    char *data = NULL;
    size_t len = 0;
    if (wcr_os_read_file(path, WCR_MOUNTS_JSON_MAX, &data, &len, err) < 0)
        return wcr_err_wrap(err, "--mounts-json");
    int rc = wcr_mounts_parse_json(out, path, data, len, err);
    free(data);
    return rc;
}

static int spec_run(const cli_globals *g, void *opts, int argc, char **argv, wcr_err *err)
{
    const spec_opts *o = opts;
    cli_run_spec rs;
    if (cli_run_spec_init(&rs, &o->run, argc, argv, "spec", err) < 0)
        return -1;
    int rc = 0;
    wcr_spec_os os = rs.in.os ? rs.in.os : host_os();
    if (o->os && wcr_spec_os_parse(o->os, &os) < 0)
        rc = cli_usage_error(err, "spec", "--os takes linux or windows, not \"%s\"", o->os);
    else if (o->os && rs.in.os && rs.in.os != os)
        rc = cli_usage_error(err, "spec", "--os %s and --platform %s disagree", o->os, o->run.platform);
    else if (o->snapshot && o->mounts_json)
        rc = cli_usage_error(err, "spec", "--snapshot and --mounts-json both give the layers; use one");
    else if (os == WCR_SPEC_LINUX && (o->snapshot || o->mounts_json))
        rc = cli_usage_error(err, "spec",
                             "--snapshot and --mounts-json give Windows layerFolders; a Linux "
                             "spec's root is the directory root.path (\"rootfs\" in the bundle)");
    else if (os == WCR_SPEC_WINDOWS && o->rootfs)
        rc = cli_usage_error(err, "spec", "--rootfs is for Linux; a Windows spec's layers come "
                                          "from --snapshot or --mounts-json");
    else if (os == WCR_SPEC_WINDOWS && !o->snapshot && !o->mounts_json)
        rc = cli_usage_error(err, "spec",
                             "a Windows spec needs its layers: give --snapshot KEY (a snapshot "
                             "prepared on the image's top layer) or --mounts-json FILE (what "
                             "`ctr snapshots prepare --mounts` prints)");
    rs.in.os = os;
    rs.in.rootfs_path = o->rootfs;

    wcr_ctd *c = NULL;
    wcr_local_image img = { 0 };
    wcr_mounts mounts = { 0 };
    wcr_buf out = WCR_BUF_INIT("spec", WCR_BUF_NO_LIMIT);
    if (rc == 0 && (o->image || o->snapshot) && !(c = cli_connect(g, err)))
        rc = -1;
    if (rc == 0 && o->image && (rc = load_image(c, o, &rs, &img, err)) == 0)
        rs.in.image = &img.config;
    if (rc == 0 && o->snapshot) {
        const char *sn = o->snapshotter && o->snapshotter[0] ? o->snapshotter : wcr_os_default_snapshotter();
        if ((rc = wcr_snapshots_mounts(c, sn, o->snapshot, &mounts, err)) < 0)
            wcr_err_wrap(err, "snapshot %s", o->snapshot);
    }
    if (rc == 0 && o->mounts_json)
        rc = read_mounts_json(o->mounts_json, &mounts, err);
    if (rc == 0 && (o->snapshot || o->mounts_json))
        rs.in.rootfs_mounts = &mounts;
    if (rc == 0)
        rc = wcr_spec_build(&out, &rs.in, WCR_SPEC_PRETTY, err);
    if (rc == 0)
        rc = cli_print(g, &out, err);
    wcr_buf_dispose(&out);
    wcr_mounts_dispose(&mounts);
    wcr_local_image_dispose(&img);
    wcr_ctd_close(c);
    cli_run_spec_dispose(&rs);
    return rc < 0 ? -1 : 0;
}

const cli_command cmd_spec = {
    .name = "spec",
    .summary = "Write the runtime spec (config.json) for a container",
    .usage = "[OPTIONS] [--] [CMD [ARG...]]",
    .description =
        "Prints the OCI runtime spec of a container, as JSON for a config.json\n"
        "of ctr run --config, runc or runhcs (wcr run builds the same). The command\n"
        "and its environment follow Docker's rules: the image's ENTRYPOINT, then\n"
        "CMD... or the image's CMD; --entrypoint drops the image's CMD; -e and\n"
        "--env-file override the image's Env.\n"
        "\n"
        "Linux: containerd's default spec (namespaces, mounts, capabilities,\n"
        "masked paths), root.path \"rootfs\" or --rootfs. wcr spec does not read\n"
        "the image's /etc/passwd: -u and the image's USER must be UID[:GID].\n"
        "\n"
        "Windows: windows.layerFolders come from a snapshot: the parent layers\n"
        "in parentLayerPaths order, then the snapshot's own scratch layer. Give\n"
        "the snapshot (wcr snapshots prepare KEY CHAINID) with --snapshot, or the\n"
        "mounts JSON that ctr snapshots prepare --mounts printed with\n"
        "--mounts-json. --os windows works on a Linux host with a pulled Windows\n"
        "image.\n",
    .flags = spec_flags,
    .opts_size = sizeof(spec_opts),
    .min_args = 0,
    .max_args = -1,
    .flags_first = true,
    .run = spec_run,
};
