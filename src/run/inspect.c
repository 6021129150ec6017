/* wcr inspect: a container's record, its task's state and its spec as
 * one JSON document. */
#include <string.h>

#include "containerd/containers.h"
#include "containerd/tasks.h"
#include "core/json.h"
#include "core/timefmt.h"
#include "run/manage.h"

static void put_time(wcr_jsonw *w, const char *key, const wcr_pb_timestamp *t)
{
    char text[WCR_TIME_TEXT_MAX];
    if (t->seconds == 0 && t->nanos == 0) {
        wcr_jsonw_key(w, key);
        wcr_jsonw_null(w);
        return;
    }
    wcr_time_format(t->seconds, t->nanos, text);
    wcr_jsonw_kv_string(w, key, text);
}

static void put_labels(wcr_jsonw *w, const wcr_labels *l)
{
    wcr_jsonw_key(w, "Labels");
    wcr_jsonw_object_begin(w);
    for (size_t i = 0; i < l->n; i++)
        wcr_jsonw_kv_string(w, l->keys[i], l->values[i]);
    wcr_jsonw_object_end(w);
}

static const char *status_text(int status)
{
    switch (status) {
    case WCR_TASK_CREATED: return "created";
    case WCR_TASK_RUNNING: return "running";
    case WCR_TASK_STOPPED: return "exited";
    case WCR_TASK_PAUSED: return "paused";
    case WCR_TASK_PAUSING: return "pausing";
    default: return "unknown";
    }
}

/* Docker's State: from the task, else from what an attached run recorded. */
static void put_state(wcr_jsonw *w, const wcr_container *ct, const wcr_task_process *t, bool have_task)
{
    uint32_t code = 0;
    bool recorded = !have_task && wcr_container_recorded_exit(ct, &code);
    wcr_jsonw_key(w, "State");
    wcr_jsonw_object_begin(w);
    wcr_jsonw_kv_string(w, "Status", have_task ? status_text(t->status) : recorded ? "exited" : "created");
    wcr_jsonw_kv_bool(w, "Running", have_task && t->status == WCR_TASK_RUNNING);
    wcr_jsonw_kv_uint64(w, "Pid", have_task && t->status != WCR_TASK_STOPPED ? t->pid : 0);
    if (have_task && t->status == WCR_TASK_STOPPED) {
        wcr_jsonw_kv_uint64(w, "ExitCode", t->exit_status);
        put_time(w, "FinishedAt", &t->exited_at);
    } else if (recorded) {
        wcr_jsonw_kv_uint64(w, "ExitCode", code);
    }
    wcr_jsonw_object_end(w);
}

/* The spec as the JSON it is, or as text when it is not JSON. */
static void put_spec(wcr_jsonw *w, const wcr_ctd_any *spec)
{
    wcr_jsonw_key(w, "Spec");
    wcr_json_doc *doc = NULL;
    if (spec->value && wcr_json_parse(&doc, (const char *)spec->value, spec->len, NULL, NULL) == 0)
        wcr_jsonw_value(w, wcr_json_root(doc));
    else if (spec->value)
        wcr_jsonw_string_len(w, (const char *)spec->value, spec->len);
    else
        wcr_jsonw_null(w);
    wcr_json_doc_free(doc);
}

int wcr_container_inspect(wcr_ctd *c, const char *id, wcr_jsonw *w, wcr_err *err)
{
    wcr_container ct = { 0 };
    if (wcr_containers_get(c, id, &ct, err) < 0)
        return wcr_err_wrap(err, "inspect %s", id);
    wcr_task_process t = { 0 };
    wcr_err e = WCR_ERR_INIT;
    bool have_task = wcr_tasks_get(c, id, NULL, &t, &e) == 0;
    int rc = 0;
    if (!have_task && e.code != WCR_E_NOT_FOUND) {
        wcr_err_move(err, &e);
        rc = wcr_err_wrap(err, "inspect %s: its task", id);
    }
    wcr_err_dispose(&e);
    if (rc == 0) {
        wcr_jsonw_object_begin(w);
        wcr_jsonw_kv_string(w, "Id", ct.id);
        wcr_jsonw_kv_string(w, "Image", ct.image);
        put_time(w, "Created", &ct.created_at);
        wcr_jsonw_kv_string(w, "Runtime", ct.runtime_name);
        wcr_jsonw_kv_string(w, "Snapshotter", ct.snapshotter);
        wcr_jsonw_kv_string(w, "SnapshotKey", ct.snapshot_key);
        put_labels(w, &ct.labels);
        put_state(w, &ct, &t, have_task);
        wcr_jsonw_kv_string(w, "LogPath", wcr_labels_get(&ct.labels, WCR_LABEL_LOG));
        put_spec(w, &ct.spec);
        wcr_jsonw_object_end(w);
    }
    wcr_task_process_dispose(&t);
    wcr_container_dispose(&ct);
    return rc;
}
