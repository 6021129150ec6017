/* wcr import: an image archive (OCI image layout or docker save) into
 * containerd. */
#include <stdlib.h>
#include <string.h>

#include "cli/commands.h"
#include "cli/output.h"
#include "image/import.h"
#include "os/os.h"

typedef struct import_opts {
    const char *platform;
    bool all_platforms;
    const char *snapshotter;
    bool no_unpack;
    const char *index_name;
} import_opts;

static const cli_flag import_flags[] = {
    { "platform", 0, CLI_FLAG_STRING, offsetof(import_opts, platform), "OS/ARCH[/VARIANT][:OSVERSION]",
      "Import and unpack for this platform instead of the host's" },
    { "all-platforms", 0, CLI_FLAG_BOOL, offsetof(import_opts, all_platforms), NULL,
      "Import the content of every platform in the archive (the host's is unpacked)" },
    { "snapshotter", 0, CLI_FLAG_STRING, offsetof(import_opts, snapshotter), "NAME",
      "Snapshotter to unpack into (default overlayfs on Linux, windows on Windows)" },
    { "no-unpack", 0, CLI_FLAG_BOOL, offsetof(import_opts, no_unpack), NULL,
      "Import and record the images, but do not unpack their layers" },
    { "index-name", 0, CLI_FLAG_STRING, offsetof(import_opts, index_name), "NAME",
      "Also record the archive's whole index as image NAME (and import unnamed images into it)" },
    CLI_FLAGS_END,
};

static void on_interrupt(void *ud, int sig)
{
    (void)sig;
    wcr_import_cancel(ud);
}

static int import_run(const cli_globals *g, void *opts, int argc, char **argv, wcr_err *err)
{
    (void)argc;
    const import_opts *o = opts;
    wcr_import_options io = WCR_IMPORT_OPTIONS_INIT;
    io.path = argv[0];
    io.platform = o->platform;
    io.all_platforms = o->all_platforms;
    io.snapshotter = o->snapshotter;
    io.no_unpack = o->no_unpack;
    io.index_name = o->index_name;

    int rc = -1;
    wcr_import_result res = { 0 };
    wcr_ctd *c = cli_connect(g, err);
    wcr_import *im = c ? wcr_import_new(c, &io, err) : NULL;
    if (im && wcr_os_interrupt_watch(on_interrupt, im, false, err) == 0) {
        rc = wcr_import_run(im, &res, err);
        wcr_os_interrupt_stop();
    }
    for (size_t i = 0; rc == 0 && i < res.n; i++)
        fprintf(g->out, "%s: %s\n", res.images[i].name, res.images[i].digest);
    wcr_import_result_dispose(&res);
    wcr_import_free(im);
    wcr_ctd_close(c);
    return rc;
}

const cli_command cmd_import = {
    .name = "import",
    .summary = "Import images from an OCI image layout or docker save archive",
    .usage = "[OPTIONS] FILE",
    .description =
        "FILE is a tar archive, plain or gzip-compressed, of an OCI image layout\n"
        "(oci-layout, index.json, blobs/sha256/...) or made by `docker save`\n"
        "(manifest.json). Its blobs go into containerd's content store, each\n"
        "checked against its digest, and one image record is made per name in\n"
        "the archive: the io.containerd.image.name or\n"
        "org.opencontainers.image.ref.name annotations of index.json, or the\n"
        "RepoTags of manifest.json, made into full references as Docker does\n"
        "(busybox:1 is docker.io/library/busybox:1). The images are then\n"
        "unpacked for the host (or --platform), as a pull would.\n"
        "\n"
        "Everything is checked before anything is recorded: an archive with\n"
        "devices, absolute paths, \"..\" in names or links that point outside it,\n"
        "or a blob that does not match its digest, is refused with the entry\n"
        "named. Links inside the archive (a repeated layer in docker save and\n"
        "skopeo archives) are followed.\n"
        "\n"
        "Prints one line per image: REF: DIGEST.\n",
    .flags = import_flags,
    .opts_size = sizeof(import_opts),
    .min_args = 1,
    .max_args = 1,
    .run = import_run,
};
