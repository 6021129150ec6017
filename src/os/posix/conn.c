/* Local stream connections over unix sockets. */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "os/os.h"

struct wcr_os_conn {
    int fd;
};

struct wcr_os_listener {
    int fd;
    char *path;
    bool bound;  /* the socket file is ours to remove */
    int wake[2]; /* a pipe that shutdown writes to, to end a blocked accept */
};

static int fill_addr(struct sockaddr_un *sa, const char *path, wcr_err *err)
{
    memset(sa, 0, sizeof *sa);
    sa->sun_family = AF_UNIX;
    if (strlen(path) >= sizeof sa->sun_path)
        return wcr_err_set(err, WCR_E_INVALID, "socket path %s is longer than %zu bytes", path,
                           sizeof sa->sun_path - 1);
    memcpy(sa->sun_path, path, strlen(path) + 1);
    return 0;
}

wcr_os_conn *wcr_os_conn_open(const char *path, unsigned timeout_ms, wcr_err *err)
{
    (void)timeout_ms; /* a unix socket connects or fails at once */
    struct sockaddr_un sa;
    if (fill_addr(&sa, path, err) < 0)
        return NULL;
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        wcr_err_set_errno(err, errno, "socket");
        return NULL;
    }
    int rc;
    while ((rc = connect(fd, (struct sockaddr *)&sa, sizeof sa)) != 0 && errno == EINTR) {
    }
    if (rc != 0) {
        int e = errno;
        close(fd);
        wcr_err_set_errno(err, e, "connect to %s", path);
        return NULL;
    }
    wcr_os_conn *c = malloc(sizeof *c);
    if (!c) {
        close(fd);
        wcr_err_set(err, WCR_E_NOMEM, "connect: out of memory");
        return NULL;
    }
    c->fd = fd;
    return c;
}

int wcr_os_conn_read(wcr_os_conn *c, void *buf, size_t len, size_t *got, wcr_err *err)
{
    *got = 0;
    for (;;) {
        ssize_t n = recv(c->fd, buf, len, 0);
        if (n >= 0) {
            *got = (size_t)n;
            return 0;
        }
        if (errno == EINTR)
            continue;
        if (errno == ECONNRESET)
            return 0; /* the peer went away: the same as the end of the stream */
        return wcr_err_set_errno(err, errno, "read from socket");
    }
}

int wcr_os_conn_write(wcr_os_conn *c, const void *buf, size_t len, wcr_err *err)
{
    const char *p = buf;
    while (len > 0) {
        /* MSG_NOSIGNAL: a closed peer is an error here, not a SIGPIPE. */
        ssize_t n = send(c->fd, p, len, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && (errno == EPIPE || errno == ECONNRESET))
            return wcr_err_set(err, WCR_E_UNAVAILABLE, "write to socket: the peer closed the connection");
        if (n < 0)
            return wcr_err_set_errno(err, errno, "write to socket");
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

void wcr_os_conn_shutdown(wcr_os_conn *c)
{
    if (c)
        shutdown(c->fd, SHUT_RDWR);
}

void wcr_os_conn_close(wcr_os_conn *c)
{
    if (!c)
        return;
    close(c->fd);
    free(c);
}

wcr_os_listener *wcr_os_listen(const char *path, wcr_err *err)
{
    struct sockaddr_un sa;
    if (fill_addr(&sa, path, err) < 0)
        return NULL;
    wcr_os_listener *l = calloc(1, sizeof *l);
    if (!l) {
        wcr_err_set(err, WCR_E_NOMEM, "listen: out of memory");
        return NULL;
    }
    l->fd = -1;
    l->wake[0] = l->wake[1] = -1;
    l->path = malloc(strlen(path) + 1);
    if (!l->path) {
        free(l);
        wcr_err_set(err, WCR_E_NOMEM, "listen: out of memory");
        return NULL;
    }
    memcpy(l->path, path, strlen(path) + 1);
    struct stat st;
    if (lstat(path, &st) == 0 && S_ISSOCK(st.st_mode))
        unlink(path); /* a stale socket from an earlier run */
    l->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (l->fd >= 0 && pipe(l->wake) == 0 && bind(l->fd, (struct sockaddr *)&sa, sizeof sa) == 0)
        l->bound = true;
    if (!l->bound || listen(l->fd, 64) != 0) {
        wcr_err_set_errno(err, errno, "listen on %s", path);
        wcr_os_listener_close(l);
        return NULL;
    }
    return l;
}

wcr_os_conn *wcr_os_accept(wcr_os_listener *l, wcr_err *err)
{
    for (;;) {
        struct pollfd p[2] = { { l->fd, POLLIN, 0 }, { l->wake[0], POLLIN, 0 } };
        if (poll(p, 2, -1) < 0) {
            if (errno == EINTR)
                continue;
            wcr_err_set_errno(err, errno, "accept on %s", l->path);
            return NULL;
        }
        if (p[1].revents) {
            wcr_err_set(err, WCR_E_CANCELLED, "accept on %s: the listener was shut down", l->path);
            return NULL;
        }
        int fd = accept(l->fd, NULL, NULL);
        if (fd < 0) {
            if (errno == EINTR || errno == EAGAIN || errno == ECONNABORTED)
                continue;
            wcr_err_set_errno(err, errno, "accept on %s", l->path);
            return NULL;
        }
        wcr_os_conn *c = malloc(sizeof *c);
        if (!c) {
            close(fd);
            wcr_err_set(err, WCR_E_NOMEM, "accept: out of memory");
            return NULL;
        }
        c->fd = fd;
        return c;
    }
}

void wcr_os_listener_shutdown(wcr_os_listener *l)
{
    if (l && l->wake[1] >= 0) {
        char b = 1;
        ssize_t n = write(l->wake[1], &b, 1);
        (void)n;
    }
}

void wcr_os_listener_close(wcr_os_listener *l)
{
    if (!l)
        return;
    if (l->fd >= 0)
        close(l->fd);
    if (l->bound)
        unlink(l->path);
    if (l->wake[0] >= 0)
        close(l->wake[0]);
    if (l->wake[1] >= 0)
        close(l->wake[1]);
    free(l->path);
    free(l);
}
