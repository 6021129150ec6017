/* Detached containers' logs. */
#include <stdlib.h>

#include "containerd/tasks.h"
#include "core/str.h"
#include "os/os.h"
#include "run/logs.h"
#include "run/manage.h"

#define CHUNK 65536
#define FOLLOW_POLL_MS 200

char *wcr_logs_path_for(const char *ns, const char *id, wcr_err *err)
{
    char *dir = wcr_os_state_dir(false, err);
    if (!dir)
        return NULL;
    char sep = wcr_os_path_sep();
    char *logs = wcr_asprintf("%s%clogs%c%s", dir, sep, sep, ns);
    char *path = logs ? wcr_asprintf("%s%c%s.log", logs, sep, id) : NULL;
    if (!path)
        wcr_err_set(err, WCR_E_NOMEM, "log path: out of memory");
    else if (wcr_os_mkdir_p(logs, 0700, err) < 0) {
        free(path);
        path = NULL;
    }
    free(logs);
    free(dir);
    return path;
}

static bool still_running(wcr_ctd *c, const char *id)
{
    wcr_task_process t = { 0 };
    bool running = wcr_tasks_get(c, id, NULL, &t, NULL) == 0 &&
                   (t.status == WCR_TASK_RUNNING || t.status == WCR_TASK_PAUSED || t.status == WCR_TASK_CREATED);
    wcr_task_process_dispose(&t);
    return running;
}

int wcr_logs_copy(wcr_ctd *c, const char *id, bool follow, wcr_err *err)
{
    char *path = wcr_container_log_path(c, id, err);
    if (!path)
        return wcr_err_wrap(err, "logs of %s", id);
    wcr_os_file *f = wcr_os_file_open(path, err);
    char *buf = f ? malloc(CHUNK) : NULL;
    int rc = f && buf ? 0 : -1;
    if (f && !buf)
        wcr_err_set(err, WCR_E_NOMEM, "out of memory");
    while (rc == 0) {
        size_t got = 0;
        if ((rc = wcr_os_file_read(f, buf, CHUNK, &got, err)) < 0)
            break;
        if (got > 0) {
            rc = wcr_os_std_write(WCR_OS_STDOUT, buf, got, err);
            continue;
        }
        /* At the end: done, unless following a container that still runs
         * (one more read after it stopped catches its last words). */
        if (!follow)
            break;
        bool running = still_running(c, id);
        if (!running) {
            while (rc == 0 && wcr_os_file_read(f, buf, CHUNK, &got, err) == 0 && got > 0)
                rc = wcr_os_std_write(WCR_OS_STDOUT, buf, got, err);
            break;
        }
        wcr_os_sleep_ms(FOLLOW_POLL_MS);
    }
    free(buf);
    wcr_os_file_close(f);
    free(path);
    return rc < 0 ? wcr_err_wrap(err, "logs of %s", id) : 0;
}
