/* Running a helper program with pipes (POSIX). */
#define _GNU_SOURCE /* pipe2 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "os/os.h"
#include "os/posix/posix.h"

extern char **environ;

static int read_all(int fd, size_t max, char **out, size_t *out_len, const char *prog, wcr_err *err)
{
    size_t cap = 256, len = 0;
    char *buf = malloc(cap);
    for (;;) {
        if (!buf)
            return wcr_err_set(err, WCR_E_NOMEM, "%s: out of memory", prog);
        if (len + 1 == cap) {
            char *grown = cap > max ? NULL : realloc(buf, cap * 2);
            if (!grown) {
                free(buf);
                return cap > max ? wcr_err_set(err, WCR_E_LIMIT, "%s wrote more than %zu bytes", prog, max)
                                 : wcr_err_set(err, WCR_E_NOMEM, "%s: out of memory", prog);
            }
            buf = grown;
            cap *= 2;
        }
        ssize_t n = read(fd, buf + len, cap - 1 - len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            int e = errno;
            free(buf);
            return wcr_err_set_errno(err, e, "read the output of %s", prog);
        }
        if (n == 0)
            break;
        len += (size_t)n;
    }
    if (len > max) {
        free(buf);
        return wcr_err_set(err, WCR_E_LIMIT, "%s wrote more than %zu bytes", prog, max);
    }
    buf[len] = '\0';
    *out = buf;
    *out_len = len;
    return 0;
}

int wcr_os_run_capture(const char *const *argv, const void *in, size_t in_len, size_t out_max,
                       char **out, size_t *out_len, int *status, wcr_err *err)
{
    *out = NULL;
    *out_len = 0;
    *status = -1;
    const char *prog = argv[0];
    int to_child[2] = { -1, -1 }, from_child[2] = { -1, -1 };
    if (pipe2(to_child, O_CLOEXEC) < 0 || pipe2(from_child, O_CLOEXEC) < 0) {
        int e = errno;
        for (int i = 0; i < 2; i++) {
            if (to_child[i] >= 0)
                close(to_child[i]);
            if (from_child[i] >= 0)
                close(from_child[i]);
        }
        return wcr_err_set_errno(err, e, "run %s: pipe", prog);
    }
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, to_child[0], STDIN_FILENO);
    posix_spawn_file_actions_adddup2(&fa, from_child[1], STDOUT_FILENO);
    /* The child starts with the default mask: wcr blocks its interrupt
     * signals for the watcher thread. */
    posix_spawnattr_t attr;
    posix_spawnattr_init(&attr);
    sigset_t none;
    sigemptyset(&none);
    posix_spawnattr_setsigmask(&attr, &none);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK);
    pid_t pid;
    int rc = posix_spawnp(&pid, prog, &fa, &attr, (char *const *)argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    posix_spawnattr_destroy(&attr);
    close(to_child[0]);
    close(from_child[1]);
    if (rc != 0) {
        close(to_child[1]);
        close(from_child[0]);
        if (rc == ENOENT)
            return wcr_err_set(err, WCR_E_NOT_FOUND, "%s is not on PATH", prog);
        return wcr_err_set_errno(err, rc, "run %s", prog);
    }
    /* A helper that exits without reading its input: EPIPE, not SIGPIPE. */
    struct sigaction ign = { 0 }, old;
    ign.sa_handler = SIG_IGN;
    sigaction(SIGPIPE, &ign, &old);
    wcr_posix_write_all(to_child[1], in, in_len); /* a helper that does not read is judged by its answer */
    sigaction(SIGPIPE, &old, NULL);
    close(to_child[1]);
    rc = read_all(from_child[0], out_max, out, out_len, prog, err);
    close(from_child[0]);
    int ws;
    while (waitpid(pid, &ws, 0) < 0)
        if (errno != EINTR) {
            ws = -1;
            break;
        }
    if (rc == 0 && WIFEXITED(ws))
        *status = WEXITSTATUS(ws);
    else if (rc == 0)
        rc = wcr_err_set(err, WCR_E_OS, "%s ended by signal %d", prog, WIFSIGNALED(ws) ? WTERMSIG(ws) : 0);
    if (rc < 0) {
        free(*out);
        *out = NULL;
        *out_len = 0;
    }
    return rc;
}
