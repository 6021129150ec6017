/* wcr pull: an image from a registry into containerd. */
#include <stdlib.h>
#include <string.h>

#include "cli/commands.h"
#include "cli/output.h"
#include "image/pull.h"
#include "image/reference.h"
#include "os/os.h"

typedef struct pull_opts {
    const char *platform;
    bool all_platforms;
    const char *isolation;
    const char *user;
    cli_list insecure;
    bool no_unpack;
    const char *snapshotter;
    long long max_downloads;
    bool quiet;
} pull_opts;

static const cli_flag pull_flags[] = {
    { "platform", 0, CLI_FLAG_STRING, offsetof(pull_opts, platform), "OS/ARCH[/VARIANT][:OSVERSION]",
      "Pull for this platform instead of the host's (windows/amd64:10.0.20348, linux/arm64/v8)" },
    { "all-platforms", 0, CLI_FLAG_BOOL, offsetof(pull_opts, all_platforms), NULL,
      "Fetch the content of every platform in the tag (the host's is unpacked; if none fits the host, none is)" },
    { "isolation", 0, CLI_FLAG_STRING, offsetof(pull_opts, isolation), "process|hyperv",
      "Windows: with hyperv, images for older Windows builds are acceptable too" },
    { "user", 'u', CLI_FLAG_STRING, offsetof(pull_opts, user), "USER:PASSWORD",
      "Registry credentials (default: ~/.docker/config.json and its credential helpers)" },
    { "insecure-registry", 0, CLI_FLAG_LIST, offsetof(pull_opts, insecure), "HOST[:PORT]",
      "Allow plain http for this registry (localhost and 127.0.0.1 always may)" },
    { "no-unpack", 0, CLI_FLAG_BOOL, offsetof(pull_opts, no_unpack), NULL,
      "Fetch and record the image, but do not unpack its layers" },
    { "snapshotter", 0, CLI_FLAG_STRING, offsetof(pull_opts, snapshotter), "NAME",
      "Snapshotter to unpack into (default overlayfs on Linux, windows on Windows)" },
    { "max-concurrent-downloads", 0, CLI_FLAG_INT, offsetof(pull_opts, max_downloads), "N",
      "Layers downloaded at once (default 3)", 1, 64 },
    { "quiet", 'q', CLI_FLAG_BOOL, offsetof(pull_opts, quiet), NULL, "No progress output" },
    CLI_FLAGS_END,
};

static void write_out(void *ud, const char *text, size_t len)
{
    const cli_globals *g = ud;
    fwrite(text, 1, len, g->out);
    fflush(g->out);
}

static void on_interrupt(void *ud, int sig)
{
    (void)sig;
    wcr_pull_cancel(ud);
}

int cli_parse_isolation(const char *text, wcr_isolation *out, const char *path, wcr_err *err)
{
    if (!text || !text[0] || strcmp(text, "process") == 0)
        *out = !text || !text[0] ? WCR_ISOLATION_DEFAULT : WCR_ISOLATION_PROCESS;
    else if (strcmp(text, "hyperv") == 0)
        *out = WCR_ISOLATION_HYPERV;
    else
        return cli_usage_error(err, path, "--isolation takes process or hyperv, not \"%s\"", text);
    return 0;
}

static int pull_run(const cli_globals *g, void *opts, int argc, char **argv, wcr_err *err)
{
    (void)argc;
    const pull_opts *o = opts;
    wcr_pull_options po = WCR_PULL_OPTIONS_INIT;
    wcr_creds creds = { 0 };
    if (cli_parse_isolation(o->isolation, &po.isolation, "pull", err) < 0)
        return -1;
    if (o->user && wcr_creds_parse(o->user, &creds, err) < 0)
        return wcr_err_wrap(err, "pull: -u");
    /* A reference that cannot be right fails before containerd is asked. */
    wcr_ref ref = WCR_REF_INIT;
    if (wcr_ref_parse(&ref, argv[0], err) < 0) {
        wcr_creds_dispose(&creds);
        return wcr_err_wrap(err, "pull");
    }
    wcr_ref_dispose(&ref);
    unsigned cols = 80, rows = 24;
    bool tty = wcr_os_isatty(WCR_OS_STDOUT) && wcr_os_terminal_size(WCR_OS_STDOUT, &cols, &rows) == 0;
    po.ref = argv[0];
    po.platform = o->platform;
    po.all_platforms = o->all_platforms;
    po.creds = o->user ? &creds : NULL;
    po.insecure = (const char *const *)o->insecure.items;
    po.n_insecure = o->insecure.len;
    po.no_unpack = o->no_unpack;
    po.snapshotter = o->snapshotter;
    po.max_downloads = (unsigned)o->max_downloads;
    po.progress = o->quiet ? WCR_PROGRESS_QUIET : tty ? WCR_PROGRESS_BARS : WCR_PROGRESS_LINES;
    po.width = cols;
    po.write = write_out;
    po.write_ud = (void *)g;

    int rc = -1;
    wcr_pull_result res = { 0 };
    wcr_ctd *c = cli_connect(g, err);
    wcr_pull *p = c ? wcr_pull_new(c, &po, err) : NULL;
    if (p && wcr_os_interrupt_watch(on_interrupt, p, false, err) == 0) {
        rc = wcr_pull_run(p, &res, err);
        wcr_os_interrupt_stop();
    }
    if (rc == 0)
        fprintf(g->out, "%s: %s\n", res.name, res.digest);
    wcr_pull_result_dispose(&res);
    wcr_pull_free(p);
    wcr_ctd_close(c);
    wcr_creds_dispose(&creds);
    return rc;
}

const cli_command cmd_pull = {
    .name = "pull",
    .summary = "Pull an image from a registry into containerd",
    .usage = "[OPTIONS] REF",
    .description =
        "Chooses the image for the host (or --platform) from a multi-platform tag,\n"
        "downloads its layers in parallel into containerd's content store and\n"
        "unpacks them into the snapshotter as they arrive.\n"
        "\n"
        "On Windows the image's os.version must suit the host: with process\n"
        "isolation the same build (from Windows Server 2022 on, any build from\n"
        "the previous LTSC up to the host's); with --isolation hyperv any older\n"
        "build. When the tag has nothing that fits, wcr says what it offers and\n"
        "downloads nothing. An image for another OS than wcr's is fetched and\n"
        "recorded but not unpacked.\n"
        "\n"
        "An interrupted pull keeps what it downloaded; pulling again resumes.\n"
        "The last line printed is REF: DIGEST.\n",
    .flags = pull_flags,
    .opts_size = sizeof(pull_opts),
    .min_args = 1,
    .max_args = 1,
    .run = pull_run,
};
