/* wcr images ls|inspect|rm|tag */
#include <stdlib.h>
#include <string.h>

#include "cli/commands.h"
#include "cli/output.h"
#include "containerd/images.h"
#include "core/str.h"
#include "image/local.h"
#include "os/os.h"

typedef struct images_opts {
    const char *platform;
    const char *snapshotter;
} images_opts;

static const cli_flag inspect_flags[] = {
    { "platform", 0, CLI_FLAG_STRING, offsetof(images_opts, platform), "OS/ARCH[/VARIANT][:OSVERSION]",
      "Show the image for this platform (default: the host's)" },
    { "snapshotter", 0, CLI_FLAG_STRING, offsetof(images_opts, snapshotter), "NAME",
      "Snapshotter to check for the unpacked layers" },
    CLI_FLAGS_END,
};

/* Full reference for a name the user typed ("busybox" → docker.io/...). */
static char *normalised(const char *name)
{
    wcr_ref ref = WCR_REF_INIT;
    char *out = wcr_ref_parse(&ref, name, NULL) == 0 ? wcr_ref_string(&ref) : wcr_strdup(name);
    wcr_ref_dispose(&ref);
    return out;
}

static int images_ls(const cli_globals *g, void *opts, int argc, char **argv, wcr_err *err)
{
    (void)opts, (void)argc, (void)argv;
    wcr_ctd *c = cli_connect(g, err);
    if (!c)
        return -1;
    wcr_images list = { 0 };
    wcr_buf out = WCR_BUF_INIT("output", WCR_BUF_NO_LIMIT);
    int rc = wcr_images_list(c, NULL, 0, &list, err);
    cli_table t;
    wcr_jsonw w;
    static const char *const head[] = { "REF", "TYPE", "DIGEST", "SIZE", "PLATFORMS" };
    if (g->format == CLI_FORMAT_JSON) {
        cli_json_init(&w, &out);
        wcr_jsonw_array_begin(&w);
    } else {
        cli_table_init(&t, head, 5);
    }
    for (size_t i = 0; rc == 0 && i < list.n; i++) {
        const wcr_image *im = &list.items[i];
        wcr_buf plats = WCR_BUF_INIT("platforms", WCR_BUF_NO_LIMIT);
        int64_t size = -1;
        rc = wcr_local_image_summary(c, &im->target, &plats, &size, err);
        char human[32] = "-";
        if (size >= 0)
            wcr_str_human_size((uint64_t)size, human, sizeof human);
        if (g->format == CLI_FORMAT_JSON) {
            wcr_jsonw_object_begin(&w);
            wcr_jsonw_kv_string(&w, "name", im->name);
            wcr_jsonw_kv_string(&w, "mediaType", im->target.media_type ? im->target.media_type : "");
            wcr_jsonw_kv_string(&w, "digest", im->target.digest ? im->target.digest : "");
            wcr_jsonw_kv_int64(&w, "size", size);
            wcr_jsonw_kv_string(&w, "platforms", wcr_buf_cstr(&plats));
            cli_json_labels(&w, "labels", &im->labels);
            wcr_jsonw_object_end(&w);
        } else {
            const char *row[] = { im->name, im->target.media_type, im->target.digest, human, wcr_buf_cstr(&plats) };
            cli_table_row(&t, row);
        }
        wcr_buf_dispose(&plats);
    }
    if (g->format == CLI_FORMAT_JSON) {
        wcr_jsonw_array_end(&w);
        if (rc == 0)
            rc = wcr_jsonw_finish(&w, err);
    } else {
        if (rc == 0)
            rc = cli_table_write(&t, &out, err);
        cli_table_dispose(&t);
    }
    if (rc == 0)
        rc = cli_print(g, &out, err);
    wcr_buf_dispose(&out);
    wcr_images_dispose(&list);
    wcr_ctd_close(c);
    return rc < 0 ? wcr_err_wrap(err, "list images") : 0;
}

/* A JSON document we hold as text, embedded as a value. */
static void write_embedded(wcr_jsonw *w, const char *key, const wcr_buf *raw)
{
    wcr_json_doc *doc = NULL;
    wcr_jsonw_key(w, key);
    if (raw->len && wcr_json_parse(&doc, raw->data, raw->len, NULL, NULL) == 0)
        wcr_jsonw_value(w, wcr_json_root(doc));
    else
        wcr_jsonw_null(w);
    wcr_json_doc_free(doc);
}

static int images_inspect(const cli_globals *g, void *opts, int argc, char **argv, wcr_err *err)
{
    (void)argc;
    const images_opts *o = opts;
    wcr_platform want;
    if (o->platform && wcr_platform_parse(&want, o->platform, err) < 0)
        return -1;
    const char *snapshotter = o->snapshotter ? o->snapshotter : wcr_os_default_snapshotter();
    wcr_ctd *c = cli_connect(g, err);
    if (!c)
        return -1;
    wcr_local_image img;
    int rc = wcr_local_image_load(c, argv[0], o->platform ? &want : NULL, WCR_ISOLATION_HYPERV, &img, err);
    wcr_buf out = WCR_BUF_INIT("output", WCR_BUF_NO_LIMIT);
    if (rc == 0) {
        char plat[WCR_PLATFORM_STRLEN];
        wcr_platform_format(&img.config.platform, plat, sizeof plat);
        wcr_jsonw w;
        cli_json_init(&w, &out);
        wcr_jsonw_object_begin(&w);
        wcr_jsonw_kv_string(&w, "Name", img.name);
        wcr_jsonw_key(&w, "Target");
        wcr_jsonw_object_begin(&w);
        wcr_jsonw_kv_string(&w, "mediaType", img.target.media_type ? img.target.media_type : "");
        wcr_jsonw_kv_string(&w, "digest", img.target.digest ? img.target.digest : "");
        wcr_jsonw_kv_int64(&w, "size", img.target.size);
        wcr_jsonw_object_end(&w);
        wcr_jsonw_kv_string(&w, "Platform", plat);
        wcr_jsonw_kv_string(&w, "ManifestDigest", img.manifest_digest);
        wcr_jsonw_key(&w, "ChainIDs");
        wcr_jsonw_array_begin(&w);
        for (size_t i = 0; i < img.n_layers; i++)
            wcr_jsonw_string(&w, img.chain_ids[i]);
        wcr_jsonw_array_end(&w);
        wcr_jsonw_kv_string(&w, "Snapshotter", snapshotter);
        wcr_jsonw_kv_bool(&w, "Unpacked", wcr_local_image_unpacked(c, &img, snapshotter, NULL));
        write_embedded(&w, "Manifest", &img.manifest_raw);
        write_embedded(&w, "Config", &img.config_raw);
        wcr_jsonw_object_end(&w);
        rc = wcr_jsonw_finish(&w, err);
        wcr_local_image_dispose(&img);
    }
    if (rc == 0)
        rc = cli_print(g, &out, err);
    wcr_buf_dispose(&out);
    wcr_ctd_close(c);
    return rc;
}

static int images_rm(const cli_globals *g, void *opts, int argc, char **argv, wcr_err *err)
{
    (void)opts;
    wcr_ctd *c = cli_connect(g, err);
    if (!c)
        return -1;
    int rc = 0;
    for (int i = 0; i < argc && rc == 0; i++) {
        char *name = normalised(argv[i]);
        if (!name)
            rc = wcr_err_set(err, WCR_E_NOMEM, "out of memory");
        else if (wcr_images_delete(c, name, false, err) < 0)
            rc = wcr_err_wrap(err, "remove image %s", name);
        else
            fprintf(g->out, "%s\n", name);
        free(name);
    }
    wcr_ctd_close(c);
    return rc;
}

static int images_tag(const cli_globals *g, void *opts, int argc, char **argv, wcr_err *err)
{
    (void)opts, (void)argc;
    char *src = normalised(argv[0]), *dst = NULL;
    wcr_ref ref = WCR_REF_INIT;
    if (wcr_ref_parse(&ref, argv[1], err) < 0) {
        free(src);
        return -1;
    }
    dst = wcr_ref_string(&ref);
    wcr_ref_dispose(&ref);
    wcr_ctd *c = src && dst ? cli_connect(g, err) : NULL;
    wcr_image im = { 0 };
    int rc = c ? wcr_images_get(c, src, &im, err) : -1;
    if (rc == 0) {
        free(im.name);
        im.name = dst;
        dst = NULL;
        wcr_err e = WCR_ERR_INIT;
        rc = wcr_images_create(c, &im, NULL, &e);
        if (rc < 0 && e.code == WCR_E_EXISTS) {
            static const char *const paths[] = { "target" };
            wcr_err_dispose(&e);
            rc = wcr_images_update(c, &im, paths, 1, NULL, &e);
        }
        if (rc < 0)
            wcr_err_move(err, &e);
        wcr_err_dispose(&e);
        if (rc == 0)
            fprintf(g->out, "%s\n", im.name);
    }
    wcr_image_dispose(&im);
    wcr_ctd_close(c);
    int failed = rc < 0;
    if (failed)
        wcr_err_wrap(err, "tag %s as %s", src ? src : argv[0], argv[1]);
    free(src);
    free(dst);
    return failed ? -1 : 0;
}

static const cli_command images_ls_cmd = {
    .name = "ls", .summary = "List images", .usage = "",
    .description = "SIZE and PLATFORMS are read from the content store, as ctr shows them;\n"
                   "\"-\" when the content is not there (e.g. not pulled for this platform).\n",
    .run = images_ls,
};
static const cli_command images_inspect_cmd = {
    .name = "inspect", .summary = "Show an image's record, manifest and config as JSON",
    .usage = "[OPTIONS] REF", .flags = inspect_flags, .opts_size = sizeof(images_opts),
    .min_args = 1, .max_args = 1, .run = images_inspect,
};
static const cli_command images_rm_cmd = {
    .name = "rm", .summary = "Remove image records (content goes when nothing uses it)",
    .usage = "REF...", .min_args = 1, .max_args = -1, .run = images_rm,
};
static const cli_command images_tag_cmd = {
    .name = "tag", .summary = "Give an image another name", .usage = "SOURCE TARGET",
    .min_args = 2, .max_args = 2, .run = images_tag,
};
static const cli_command *const images_subcommands[] = {
    &images_ls_cmd, &images_inspect_cmd, &images_rm_cmd, &images_tag_cmd, NULL,
};

const cli_command cmd_images = {
    .name = "images",
    .summary = "Manage images in containerd",
    .usage = "COMMAND",
    .subcommands = images_subcommands,
    .bare = "ls",
};
