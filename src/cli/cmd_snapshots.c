/* wcr snapshots ls|info|prepare|view|mounts|commit|rm|usage */
#include <stdlib.h>
#include <string.h>

#include "cli/commands.h"
#include "cli/output.h"
#include "containerd/snapshots.h"
#include "core/str.h"
#include "core/timefmt.h"
#include "os/os.h"

typedef struct snap_opts {
    const char *snapshotter;
    cli_list labels;
} snap_opts;

#define SNAPSHOTTER_FLAG                                                              \
    { "snapshotter", 0, CLI_FLAG_STRING, offsetof(snap_opts, snapshotter), "NAME",  \
      "Snapshotter (default overlayfs on Linux, windows on Windows)" }
#define LABEL_FLAG                                                                    \
    { "label", 0, CLI_FLAG_LIST, offsetof(snap_opts, labels), "KEY=VALUE",          \
      "Label to set on the snapshot" }

static const cli_flag plain_flags[] = { SNAPSHOTTER_FLAG, CLI_FLAGS_END };
static const cli_flag label_flags[] = { SNAPSHOTTER_FLAG, LABEL_FLAG, CLI_FLAGS_END };

static const char *snapshotter_of(const snap_opts *o)
{
    return o->snapshotter && o->snapshotter[0] ? o->snapshotter : wcr_os_default_snapshotter();
}

/* The mounts as `ctr snapshots prepare --mounts` prints them (Go's JSON of
 * mount.Mount): Type, Source, Target when set, Options. */
static int print_mounts(const cli_globals *g, const wcr_mounts *m, wcr_err *err)
{
    wcr_buf b = WCR_BUF_INIT("output", WCR_BUF_NO_LIMIT);
    wcr_jsonw w;
    cli_json_init(&w, &b);
    wcr_jsonw_array_begin(&w);
    for (size_t i = 0; i < m->n; i++) {
        const wcr_mount *mt = &m->items[i];
        wcr_jsonw_object_begin(&w);
        wcr_jsonw_kv_string(&w, "Type", mt->type ? mt->type : "");
        wcr_jsonw_kv_string(&w, "Source", mt->source ? mt->source : "");
        if (mt->target && mt->target[0])
            wcr_jsonw_kv_string(&w, "Target", mt->target);
        wcr_jsonw_key(&w, "Options");
        if (mt->noptions == 0) {
            wcr_jsonw_null(&w);
        } else {
            wcr_jsonw_array_begin(&w);
            for (size_t k = 0; k < mt->noptions; k++)
                wcr_jsonw_string(&w, mt->options[k]);
            wcr_jsonw_array_end(&w);
        }
        wcr_jsonw_object_end(&w);
    }
    wcr_jsonw_array_end(&w);
    int rc = wcr_jsonw_finish(&w, err);
    if (rc == 0)
        rc = cli_print(g, &b, err);
    wcr_buf_dispose(&b);
    return rc;
}

static void write_info_json(wcr_jsonw *w, const wcr_snapshot_info *i)
{
    char created[40], updated[40];
    cli_format_time(i->created.seconds, i->created.nanos, created);
    cli_format_time(i->updated.seconds, i->updated.nanos, updated);
    wcr_jsonw_object_begin(w);
    wcr_jsonw_kv_string(w, "Kind", wcr_snapshot_kind_name(i->kind));
    wcr_jsonw_kv_string(w, "Name", i->name ? i->name : "");
    if (i->parent && i->parent[0])
        wcr_jsonw_kv_string(w, "Parent", i->parent);
    if (i->labels.n) {
        wcr_jsonw_key(w, "Labels");
        wcr_jsonw_object_begin(w);
        for (size_t k = 0; k < i->labels.n; k++)
            wcr_jsonw_kv_string(w, i->labels.keys[k], i->labels.values[k]);
        wcr_jsonw_object_end(w);
    }
    wcr_jsonw_kv_string(w, "Created", created);
    wcr_jsonw_kv_string(w, "Updated", updated);
    wcr_jsonw_object_end(w);
}

static int snap_ls(const cli_globals *g, void *opts, int argc, char **argv, wcr_err *err)
{
    (void)argc, (void)argv;
    const snap_opts *o = opts;
    wcr_ctd *c = cli_connect(g, err);
    if (!c)
        return -1;
    wcr_snapshot_infos list = { 0 };
    wcr_buf b = WCR_BUF_INIT("output", WCR_BUF_NO_LIMIT);
    int rc = wcr_snapshots_list(c, snapshotter_of(o), NULL, 0, &list, err);
    if (rc == 0 && g->format == CLI_FORMAT_JSON) {
        wcr_jsonw w;
        cli_json_init(&w, &b);
        wcr_jsonw_array_begin(&w);
        for (size_t i = 0; i < list.n; i++)
            write_info_json(&w, &list.items[i]);
        wcr_jsonw_array_end(&w);
        rc = wcr_jsonw_finish(&w, err);
    } else if (rc == 0) {
        static const char *const head[] = { "KEY", "PARENT", "KIND" };
        cli_table t;
        cli_table_init(&t, head, 3);
        for (size_t i = 0; i < list.n; i++) {
            const char *row[] = { list.items[i].name, list.items[i].parent,
                                  wcr_snapshot_kind_name(list.items[i].kind) };
            cli_table_row(&t, row);
        }
        rc = cli_table_write(&t, &b, err);
        cli_table_dispose(&t);
    }
    if (rc == 0)
        rc = cli_print(g, &b, err);
    wcr_buf_dispose(&b);
    wcr_snapshot_infos_dispose(&list);
    wcr_ctd_close(c);
    return rc < 0 ? wcr_err_wrap(err, "list snapshots") : 0;
}

static int snap_info(const cli_globals *g, void *opts, int argc, char **argv, wcr_err *err)
{
    (void)argc;
    const snap_opts *o = opts;
    wcr_ctd *c = cli_connect(g, err);
    if (!c)
        return -1;
    wcr_snapshot_info info = { 0 };
    wcr_buf b = WCR_BUF_INIT("output", WCR_BUF_NO_LIMIT);
    int rc = wcr_snapshots_stat(c, snapshotter_of(o), argv[0], &info, err);
    if (rc == 0) {
        wcr_jsonw w;
        cli_json_init(&w, &b);
        write_info_json(&w, &info);
        rc = wcr_jsonw_finish(&w, err);
    }
    if (rc == 0)
        rc = cli_print(g, &b, err);
    wcr_buf_dispose(&b);
    wcr_snapshot_info_dispose(&info);
    wcr_ctd_close(c);
    return rc < 0 ? wcr_err_wrap(err, "snapshot %s", argv[0]) : 0;
}

/* Nothing else holds a snapshot made by hand: without a GC root (ctr sets
 * one on prepare and view), containerd's next garbage collection would
 * remove it. A committed one gets it too, or removing its last child
 * would take it away. */
static int add_gc_root(wcr_labels *labels, wcr_err *err)
{
    if (wcr_labels_get(labels, "containerd.io/gc.root"))
        return 0;
    int64_t sec;
    int32_t nsec;
    char now[WCR_TIME_TEXT_MAX];
    wcr_os_wall_time(&sec, &nsec);
    wcr_time_format(sec, 0, now);
    return wcr_labels_set(labels, "containerd.io/gc.root", now, err);
}

/* prepare and view: make the snapshot, print its mounts. */
static int make_snapshot(const cli_globals *g, const snap_opts *o, bool view, const char *key,
                         const char *parent, wcr_err *err)
{
    wcr_labels labels = { 0 };
    if (cli_parse_labels(&o->labels, &labels, view ? "snapshots view" : "snapshots prepare", err) < 0 ||
        add_gc_root(&labels, err) < 0) {
        wcr_labels_dispose(&labels);
        return -1;
    }
    wcr_ctd *c = cli_connect(g, err);
    if (!c) {
        wcr_labels_dispose(&labels);
        return -1;
    }
    wcr_mounts mounts = { 0 };
    int rc = view ? wcr_snapshots_view(c, snapshotter_of(o), key, parent, &labels, &mounts, err)
                  : wcr_snapshots_prepare(c, snapshotter_of(o), key, parent, &labels, &mounts, err);
    if (rc == 0)
        rc = print_mounts(g, &mounts, err);
    wcr_mounts_dispose(&mounts);
    wcr_labels_dispose(&labels);
    wcr_ctd_close(c);
    return rc < 0 ? wcr_err_wrap(err, "%s snapshot %s", view ? "view" : "prepare", key) : 0;
}

static int snap_prepare(const cli_globals *g, void *opts, int argc, char **argv, wcr_err *err)
{
    return make_snapshot(g, opts, false, argv[0], argc > 1 ? argv[1] : "", err);
}

static int snap_view(const cli_globals *g, void *opts, int argc, char **argv, wcr_err *err)
{
    (void)argc;
    return make_snapshot(g, opts, true, argv[0], argv[1], err);
}

static int snap_mounts(const cli_globals *g, void *opts, int argc, char **argv, wcr_err *err)
{
    (void)argc;
    const snap_opts *o = opts;
    wcr_ctd *c = cli_connect(g, err);
    if (!c)
        return -1;
    wcr_mounts mounts = { 0 };
    int rc = wcr_snapshots_mounts(c, snapshotter_of(o), argv[0], &mounts, err);
    if (rc == 0)
        rc = print_mounts(g, &mounts, err);
    wcr_mounts_dispose(&mounts);
    wcr_ctd_close(c);
    return rc < 0 ? wcr_err_wrap(err, "mounts of snapshot %s", argv[0]) : 0;
}

static int snap_commit(const cli_globals *g, void *opts, int argc, char **argv, wcr_err *err)
{
    (void)argc;
    const snap_opts *o = opts;
    wcr_labels labels = { 0 };
    if (cli_parse_labels(&o->labels, &labels, "snapshots commit", err) < 0 || add_gc_root(&labels, err) < 0) {
        wcr_labels_dispose(&labels);
        return -1;
    }
    wcr_ctd *c = cli_connect(g, err);
    int rc = c ? wcr_snapshots_commit(c, snapshotter_of(o), argv[0], argv[1], &labels, err) : -1;
    wcr_labels_dispose(&labels);
    wcr_ctd_close(c);
    return rc < 0 ? wcr_err_wrap(err, "commit snapshot %s as %s", argv[1], argv[0]) : 0;
}

static int snap_rm(const cli_globals *g, void *opts, int argc, char **argv, wcr_err *err)
{
    const snap_opts *o = opts;
    wcr_ctd *c = cli_connect(g, err);
    if (!c)
        return -1;
    int rc = 0;
    for (int i = 0; i < argc && rc == 0; i++)
        if (wcr_snapshots_remove(c, snapshotter_of(o), argv[i], err) < 0)
            rc = wcr_err_wrap(err, "remove snapshot %s", argv[i]);
    wcr_ctd_close(c);
    return rc;
}

static int snap_usage(const cli_globals *g, void *opts, int argc, char **argv, wcr_err *err)
{
    (void)argc;
    const snap_opts *o = opts;
    wcr_ctd *c = cli_connect(g, err);
    if (!c)
        return -1;
    int64_t size = 0, inodes = 0;
    wcr_buf b = WCR_BUF_INIT("output", WCR_BUF_NO_LIMIT);
    int rc = wcr_snapshots_usage(c, snapshotter_of(o), argv[0], &size, &inodes, err);
    if (rc == 0 && g->format == CLI_FORMAT_JSON) {
        wcr_jsonw w;
        cli_json_init(&w, &b);
        wcr_jsonw_object_begin(&w);
        wcr_jsonw_kv_string(&w, "Key", argv[0]);
        wcr_jsonw_kv_int64(&w, "Size", size);
        wcr_jsonw_kv_int64(&w, "Inodes", inodes);
        wcr_jsonw_object_end(&w);
        rc = wcr_jsonw_finish(&w, err);
    } else if (rc == 0) {
        char human[32], count[32];
        wcr_str_human_size(size < 0 ? 0 : (uint64_t)size, human, sizeof human);
        snprintf(count, sizeof count, "%lld", (long long)inodes);
        static const char *const head[] = { "KEY", "SIZE", "INODES" };
        const char *row[] = { argv[0], human, count };
        cli_table t;
        cli_table_init(&t, head, 3);
        cli_table_row(&t, row);
        rc = cli_table_write(&t, &b, err);
        cli_table_dispose(&t);
    }
    if (rc == 0)
        rc = cli_print(g, &b, err);
    wcr_buf_dispose(&b);
    wcr_ctd_close(c);
    return rc < 0 ? wcr_err_wrap(err, "usage of snapshot %s", argv[0]) : 0;
}

#define SUB(n, s, u, d, f, lo, hi, fn)                                                   \
    static const cli_command snapcmd_##n = { .name = #n, .summary = s, .usage = u,          \
                                          .description = d, .flags = f,                  \
                                          .opts_size = sizeof(snap_opts), .min_args = lo, \
                                          .max_args = hi, .run = fn }

SUB(ls, "List snapshots", "[OPTIONS]", NULL, plain_flags, 0, 0, snap_ls);
SUB(info, "Show a snapshot's details as JSON", "[OPTIONS] KEY", NULL, plain_flags, 1, 1, snap_info);
SUB(prepare, "Prepare an active snapshot and print its mounts", "[OPTIONS] KEY [PARENT]",
    "Prints the mounts as JSON, exactly as 'ctr snapshots prepare --mounts' does. On\n"
    "Windows the windows-layer mount gives the layer folders: parentLayerPaths\n"
    "(immediate parent first, base last), then Source, the scratch layer.\n"
    "The snapshot gets a containerd.io/gc.root label (as ctr gives it) so that\n"
    "garbage collection keeps it until 'wcr snapshots rm'; so do commit and view.\n",
    label_flags, 1, 2, snap_prepare);
SUB(view, "Make a read-only view of a snapshot and print its mounts", "[OPTIONS] KEY PARENT",
    "Like prepare, the view is labelled containerd.io/gc.root.\n",
    label_flags, 2, 2, snap_view);
SUB(mounts, "Print the mounts of a snapshot as JSON", "[OPTIONS] KEY", NULL, plain_flags, 1, 1, snap_mounts);
SUB(commit, "Commit an active snapshot under a name", "[OPTIONS] NAME KEY", NULL, label_flags, 2, 2,
    snap_commit);
SUB(rm, "Remove snapshots", "[OPTIONS] KEY...", NULL, plain_flags, 1, -1, snap_rm);
SUB(usage, "Show the disk usage of a snapshot", "[OPTIONS] KEY", NULL, plain_flags, 1, 1, snap_usage);

static const cli_command *const snap_subcommands[] = {
    &snapcmd_ls, &snapcmd_info, &snapcmd_prepare, &snapcmd_view, &snapcmd_mounts, &snapcmd_commit,
    &snapcmd_rm, &snapcmd_usage, NULL,
};

const cli_command cmd_snapshots = {
    .name = "snapshots",
    .summary = "Manage snapshots (layers and container file systems)",
    .usage = "COMMAND",
    .subcommands = snap_subcommands,
    .bare = "ls",
};
