/* wcr layers: where a snapshot's (or a container's) layers are on disk:
 * windows.layerFolders for a Windows snapshot, lowerdir/upperdir/workdir
 * for an overlay one. */
#include <stdlib.h>
#include <string.h>

#include "cli/commands.h"
#include "cli/output.h"
#include "containerd/containers.h"
#include "containerd/snapshots.h"
#include "os/os.h"
#include "spec/layers.h"

typedef struct layers_opts {
    const char *snapshotter;
} layers_opts;

static const cli_flag layers_flags[] = {
    { "snapshotter", 0, CLI_FLAG_STRING, offsetof(layers_opts, snapshotter), "NAME",
      "Snapshotter of SNAPSHOT (default overlayfs on Linux, windows on Windows)" },
    CLI_FLAGS_END,
};

/* The mounts of a container's snapshot, or else of the snapshot so named. */
static int find_mounts(wcr_ctd *c, const layers_opts *o, const char *name, wcr_mounts *out,
                       wcr_err *err)
{
    wcr_container ct = { 0 };
    wcr_err cerr = WCR_ERR_INIT;
    int rc;
    if (wcr_containers_get(c, name, &ct, &cerr) == 0) {
        if (!ct.snapshot_key || !ct.snapshot_key[0])
            rc = wcr_err_set(err, WCR_E_NOT_FOUND, "container %s has no snapshot", name);
        else if ((rc = wcr_snapshots_mounts(c, ct.snapshotter, ct.snapshot_key, out, err)) < 0)
            wcr_err_wrap(err, "container %s: snapshot %s", name, ct.snapshot_key);
    } else if (cerr.code == WCR_E_NOT_FOUND) {
        const char *sn = o->snapshotter && o->snapshotter[0] ? o->snapshotter
                                                               : wcr_os_default_snapshotter();
        if ((rc = wcr_snapshots_mounts(c, sn, name, out, err)) < 0) {
            if (err && err->code == WCR_E_NOT_FOUND)
                wcr_err_hint(err, "no container or %s snapshot of that name; see wcr snapshots ls",
                             sn);
            wcr_err_wrap(err, "snapshot %s", name);
        }
    } else {
        wcr_err_move(err, &cerr);
        rc = wcr_err_wrap(err, "container %s", name);
    }
    wcr_err_dispose(&cerr);
    wcr_container_dispose(&ct);
    return rc;
}

static const char *type_name(wcr_layers_kind k)
{
    return k == WCR_LAYERS_WINDOWS ? "windows-layer" : k == WCR_LAYERS_OVERLAY ? "overlay" : "bind";
}

static void write_json(wcr_jsonw *w, const wcr_layers *l)
{
    wcr_jsonw_object_begin(w);
    wcr_jsonw_kv_string(w, "type", type_name(l->kind));
    if (l->kind == WCR_LAYERS_WINDOWS) {
        /* layerFolders only when it makes one (parents and scratch). */
        if (l->lower.n > 0) {
            wcr_jsonw_key(w, "layerFolders");
            wcr_jsonw_array_begin(w);
            for (size_t i = 0; i < l->lower.n; i++)
                wcr_jsonw_string(w, l->lower.v[i]);
            wcr_jsonw_string(w, l->upper);
            wcr_jsonw_array_end(w);
        }
        wcr_jsonw_key(w, "parentLayerPaths");
        wcr_jsonw_array_begin(w);
        for (size_t i = 0; i < l->lower.n; i++)
            wcr_jsonw_string(w, l->lower.v[i]);
        wcr_jsonw_array_end(w);
        wcr_jsonw_kv_string(w, "scratch", l->upper);
    } else {
        wcr_jsonw_key(w, "lowerdir");
        wcr_jsonw_array_begin(w);
        for (size_t i = 0; i < l->lower.n; i++)
            wcr_jsonw_string(w, l->lower.v[i]);
        wcr_jsonw_array_end(w);
        if (l->upper)
            wcr_jsonw_kv_string(w, "upperdir", l->upper);
        if (l->work)
            wcr_jsonw_kv_string(w, "workdir", l->work);
    }
    wcr_jsonw_object_end(w);
}

/* Rows in layerFolders order for Windows, mount order for overlay. */
static void write_table(cli_table *t, const wcr_layers *l)
{
    bool win = l->kind == WCR_LAYERS_WINDOWS;
    for (size_t i = 0; i < l->lower.n; i++) {
        const char *row[] = { win ? "layer" : "lowerdir", l->lower.v[i] };
        cli_table_row(t, row);
    }
    if (l->upper) {
        const char *row[] = { win ? "scratch" : "upperdir", l->upper };
        cli_table_row(t, row);
    }
    if (l->work) {
        const char *row[] = { "workdir", l->work };
        cli_table_row(t, row);
    }
}

static int layers_run(const cli_globals *g, void *opts, int argc, char **argv, wcr_err *err)
{
    (void)argc;
    wcr_ctd *c = cli_connect(g, err);
    if (!c)
        return -1;
    wcr_mounts mounts = { 0 };
    wcr_layers layers = { 0 };
    wcr_buf out = WCR_BUF_INIT("output", WCR_BUF_NO_LIMIT);
    int rc = find_mounts(c, opts, argv[0], &mounts, err);
    if (rc == 0 && (rc = wcr_layers_from_mounts(&layers, &mounts, err)) < 0)
        wcr_err_wrap(err, "layers of %s", argv[0]);
    if (rc == 0 && g->format == CLI_FORMAT_JSON) {
        wcr_jsonw w;
        cli_json_init(&w, &out);
        write_json(&w, &layers);
        rc = wcr_jsonw_finish(&w, err);
    } else if (rc == 0) {
        static const char *const head[] = { "ROLE", "PATH" };
        cli_table t;
        cli_table_init(&t, head, 2);
        write_table(&t, &layers);
        rc = cli_table_write(&t, &out, err);
        cli_table_dispose(&t);
    }
    if (rc == 0)
        rc = cli_print(g, &out, err);
    wcr_buf_dispose(&out);
    wcr_layers_dispose(&layers);
    wcr_mounts_dispose(&mounts);
    wcr_ctd_close(c);
    return rc < 0 ? -1 : 0;
}

const cli_command cmd_layers = {
    .name = "layers",
    .summary = "Show where a snapshot's layers are (Windows layerFolders, overlay dirs)",
    .usage = "[OPTIONS] SNAPSHOT|CONTAINER",
    .description =
        "For a Windows snapshot: its parent layers, immediate parent first, then\n"
        "its own scratch layer - the order of windows.layerFolders in a\n"
        "config.json. For an overlay snapshot: lowerdir (topmost first), upperdir\n"
        "and workdir. A container's name shows its snapshot's layers.\n"
        "\n"
        "With --format json: {\"type\", \"layerFolders\", \"parentLayerPaths\",\n"
        "\"scratch\"} for Windows, {\"type\", \"lowerdir\", \"upperdir\", \"workdir\"}\n"
        "otherwise.\n",
    .flags = layers_flags,
    .opts_size = sizeof(layers_opts),
    .min_args = 1,
    .max_args = 1,
    .run = layers_run,
};
