/* Our terminal, our own stdio, processes (POSIX). */
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include "core/str.h"
#include "os/os.h"

struct wcr_os_term {
    struct termios saved;
};

wcr_os_term *wcr_os_term_raw(wcr_err *err)
{
    wcr_os_term *t = malloc(sizeof *t);
    if (!t) {
        wcr_err_set(err, WCR_E_NOMEM, "terminal: out of memory");
        return NULL;
    }
    if (tcgetattr(STDIN_FILENO, &t->saved) != 0) {
        wcr_err_set_errno(err, errno, "read the terminal's settings");
        free(t);
        return NULL;
    }
    struct termios raw = t->saved;
    cfmakeraw(&raw);
    if (tcsetattr(STDIN_FILENO, TCSANOW, &raw) != 0) {
        wcr_err_set_errno(err, errno, "put the terminal in raw mode");
        free(t);
        return NULL;
    }
    return t;
}

void wcr_os_term_restore(wcr_os_term *t)
{
    if (!t)
        return;
    tcsetattr(STDIN_FILENO, TCSANOW, &t->saved);
    free(t);
}

int wcr_os_stdin_read(void *buf, size_t len, size_t *got, wcr_err *err)
{
    *got = 0;
    for (;;) {
        ssize_t n = read(STDIN_FILENO, buf, len);
        if (n >= 0) {
            *got = (size_t)n;
            return 0;
        }
        if (errno != EINTR)
            return wcr_err_set_errno(err, errno, "read stdin");
    }
}

int wcr_os_std_write(int stream, const void *buf, size_t len, wcr_err *err)
{
    const char *p = buf;
    int fd = stream == WCR_OS_STDERR ? STDERR_FILENO : STDOUT_FILENO;
    while (len > 0) {
        ssize_t n = write(fd, p, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return wcr_err_set_errno(err, errno, "write %s", stream == WCR_OS_STDERR ? "stderr" : "stdout");
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

unsigned long wcr_os_pid(void)
{
    return (unsigned long)getpid();
}

bool wcr_os_process_alive(unsigned long pid)
{
    return pid > 0 && (kill((pid_t)pid, 0) == 0 || errno == EPERM);
}

int wcr_os_remove_tree(const char *path, wcr_err *err)
{
    struct stat st;
    if (lstat(path, &st) != 0)
        return errno == ENOENT ? 0 : wcr_err_set_errno(err, errno, "remove %s", path);
    if (!S_ISDIR(st.st_mode)) {
        if (unlink(path) != 0 && errno != ENOENT)
            return wcr_err_set_errno(err, errno, "remove %s", path);
        return 0;
    }
    DIR *d = opendir(path);
    if (!d)
        return wcr_err_set_errno(err, errno, "remove %s", path);
    int rc = 0;
    struct dirent *e;
    while (rc == 0 && (e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        char *child = wcr_asprintf("%s/%s", path, e->d_name);
        rc = child ? wcr_os_remove_tree(child, err) : wcr_err_set(err, WCR_E_NOMEM, "out of memory");
        free(child);
    }
    closedir(d);
    if (rc == 0 && rmdir(path) != 0 && errno != ENOENT)
        rc = wcr_err_set_errno(err, errno, "remove %s", path);
    return rc;
}

void wcr_os_names_free(char **names)
{
    for (size_t i = 0; names && names[i]; i++)
        free(names[i]);
    free(names);
}

int wcr_os_list_dir(const char *path, char ***names, size_t *n, wcr_err *err)
{
    *names = calloc(1, sizeof **names);
    *n = 0;
    if (!*names)
        return wcr_err_set(err, WCR_E_NOMEM, "out of memory");
    DIR *d = opendir(path);
    if (!d)
        return errno == ENOENT ? 0 : wcr_err_set_errno(err, errno, "list %s", path);
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        char **grown = realloc(*names, (*n + 2) * sizeof *grown);
        char *copy = wcr_strdup(e->d_name);
        if (!grown || !copy) {
            free(copy);
            if (grown)
                *names = grown;
            closedir(d);
            return wcr_err_set(err, WCR_E_NOMEM, "out of memory");
        }
        *names = grown;
        (*names)[(*n)++] = copy;
        (*names)[*n] = NULL;
    }
    closedir(d);
    return 0;
}
