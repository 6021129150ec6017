/* Local stream connections over named pipes. The handles are overlapped:
 * a synchronous pipe handle serialises I/O, so a read blocked on one
 * thread would stall every write from another. */
#include <stdlib.h>

#include "os/os.h"
#include "os/windows/win.h"

struct wcr_os_conn {
    HANDLE h;
    HANDLE read_event, write_event;
    /* Manual-reset and never cleared: an operation started after a
     * shutdown sees it at once, so no read can block past one. */
    HANDLE stop_event;
};

struct wcr_os_listener {
    wchar_t *path;
    char *name;         /* UTF-8, for errors */
    HANDLE next;        /* the pipe instance waiting for a client */
    HANDLE event;       /* its ConnectNamedPipe completion */
    HANDLE stop;        /* set by shutdown */
};

static wcr_os_conn *conn_wrap(HANDLE h, wcr_err *err)
{
    wcr_os_conn *c = calloc(1, sizeof *c);
    if (c) {
        c->h = h;
        c->read_event = CreateEventW(NULL, TRUE, FALSE, NULL);
        c->write_event = CreateEventW(NULL, TRUE, FALSE, NULL);
        c->stop_event = CreateEventW(NULL, TRUE, FALSE, NULL);
    }
    if (!c || !c->read_event || !c->write_event || !c->stop_event) {
        if (c) {
            if (c->read_event)
                CloseHandle(c->read_event);
            if (c->write_event)
                CloseHandle(c->write_event);
            if (c->stop_event)
                CloseHandle(c->stop_event);
            free(c);
        }
        CloseHandle(h);
        wcr_err_set(err, WCR_E_NOMEM, "pipe: out of resources");
        return NULL;
    }
    return c;
}

wcr_os_conn *wcr_os_conn_open(const char *path, unsigned timeout_ms, wcr_err *err)
{
    wchar_t *w = win_wide(path, err);
    if (!w)
        return NULL;
    uint64_t deadline = wcr_os_monotonic_ns() + (uint64_t)timeout_ms * 1000000u;
    HANDLE h;
    for (;;) {
        h = CreateFileW(w, GENERIC_READ | GENERIC_WRITE, 0, NULL, OPEN_EXISTING,
                        FILE_FLAG_OVERLAPPED, NULL);
        if (h != INVALID_HANDLE_VALUE)
            break;
        DWORD e = GetLastError();
        uint64_t now = wcr_os_monotonic_ns();
        if (e != ERROR_PIPE_BUSY || now >= deadline) {
            free(w);
            win_set_error(err, e, "connect to %s", path);
            return NULL;
        }
        /* Every instance is taken: wait for one to free up. */
        WaitNamedPipeW(w, (DWORD)((deadline - now) / 1000000u) + 1);
    }
    free(w);
    DWORD mode = PIPE_READMODE_BYTE;
    SetNamedPipeHandleState(h, &mode, NULL, NULL);
    return conn_wrap(h, err);
}

/* Wait for an overlapped operation, or for a shutdown, which cancels it
 * (then the result is ERROR_OPERATION_ABORTED). */
static BOOL finish_io(wcr_os_conn *c, OVERLAPPED *ov, BOOL started, DWORD *n)
{
    if (!started && GetLastError() != ERROR_IO_PENDING)
        return FALSE;
    HANDLE both[2] = { ov->hEvent, c->stop_event };
    if (WaitForMultipleObjects(2, both, FALSE, INFINITE) != WAIT_OBJECT_0)
        CancelIoEx(c->h, ov);
    return GetOverlappedResult(c->h, ov, n, TRUE);
}

static bool is_shut(const wcr_os_conn *c)
{
    return WaitForSingleObject(c->stop_event, 0) == WAIT_OBJECT_0;
}

int wcr_os_conn_read(wcr_os_conn *c, void *buf, size_t len, size_t *got, wcr_err *err)
{
    *got = 0;
    if (is_shut(c))
        return 0;
    OVERLAPPED ov = { 0 };
    ov.hEvent = c->read_event;
    ResetEvent(c->read_event);
    DWORD want = len > 0x40000000 ? 0x40000000 : (DWORD)len, n = 0;
    BOOL ok = finish_io(c, &ov, ReadFile(c->h, buf, want, NULL, &ov), &n);
    if (!ok) {
        DWORD e = GetLastError();
        /* The other end closed, or we shut down: the end of the stream. */
        if (e == ERROR_BROKEN_PIPE || e == ERROR_PIPE_NOT_CONNECTED || e == ERROR_OPERATION_ABORTED ||
            e == ERROR_NO_DATA)
            return 0;
        if (e == ERROR_MORE_DATA) { /* message-mode pipe: a partial read is fine */
            *got = n;
            return 0;
        }
        return win_set_error(err, e, "read from pipe");
    }
    *got = n;
    return 0;
}

int wcr_os_conn_write(wcr_os_conn *c, const void *buf, size_t len, wcr_err *err)
{
    const char *p = buf;
    while (len > 0) {
        if (is_shut(c))
            return wcr_err_set(err, WCR_E_UNAVAILABLE, "write to pipe: the connection was shut down");
        OVERLAPPED ov = { 0 };
        ov.hEvent = c->write_event;
        ResetEvent(c->write_event);
        DWORD chunk = len > 0x40000000 ? 0x40000000 : (DWORD)len, n = 0;
        if (!finish_io(c, &ov, WriteFile(c->h, p, chunk, NULL, &ov), &n)) {
            DWORD e = GetLastError();
            if (e == ERROR_BROKEN_PIPE || e == ERROR_NO_DATA || e == ERROR_PIPE_NOT_CONNECTED)
                return wcr_err_set(err, WCR_E_UNAVAILABLE, "write to pipe: the peer closed the connection");
            return win_set_error(err, e, "write to pipe");
        }
        p += n;
        len -= n;
    }
    return 0;
}

void wcr_os_conn_shutdown(wcr_os_conn *c)
{
    if (!c)
        return;
    SetEvent(c->stop_event);
}

void wcr_os_conn_close(wcr_os_conn *c)
{
    if (!c)
        return;
    CancelIoEx(c->h, NULL);
    CloseHandle(c->h);
    CloseHandle(c->read_event);
    CloseHandle(c->write_event);
    CloseHandle(c->stop_event);
    free(c);
}

static HANDLE new_instance(const wchar_t *path, bool first)
{
    DWORD open = PIPE_ACCESS_DUPLEX | FILE_FLAG_OVERLAPPED | (first ? FILE_FLAG_FIRST_PIPE_INSTANCE : 0);
    return CreateNamedPipeW(path, open, PIPE_TYPE_BYTE | PIPE_READMODE_BYTE | PIPE_WAIT |
                            PIPE_REJECT_REMOTE_CLIENTS, PIPE_UNLIMITED_INSTANCES, 65536, 65536, 0, NULL);
}

wcr_os_listener *wcr_os_listen(const char *path, wcr_err *err)
{
    wcr_os_listener *l = calloc(1, sizeof *l);
    if (!l) {
        wcr_err_set(err, WCR_E_NOMEM, "listen: out of memory");
        return NULL;
    }
    l->next = INVALID_HANDLE_VALUE;
    l->path = win_wide(path, err);
    l->name = l->path ? win_utf8(l->path, err) : NULL;
    if (!l->name) {
        wcr_os_listener_close(l);
        return NULL;
    }
    l->event = CreateEventW(NULL, TRUE, FALSE, NULL);
    l->stop = CreateEventW(NULL, TRUE, FALSE, NULL);
    l->next = new_instance(l->path, true);
    if (!l->event || !l->stop || l->next == INVALID_HANDLE_VALUE) {
        win_set_error(err, GetLastError(), "listen on %s", path);
        wcr_os_listener_close(l);
        return NULL;
    }
    return l;
}

wcr_os_conn *wcr_os_accept(wcr_os_listener *l, wcr_err *err)
{
    if (l->next == INVALID_HANDLE_VALUE) {
        l->next = new_instance(l->path, false);
        if (l->next == INVALID_HANDLE_VALUE) {
            win_set_error(err, GetLastError(), "listen on %s", l->name);
            return NULL;
        }
    }
    OVERLAPPED ov = { 0 };
    ov.hEvent = l->event;
    ResetEvent(l->event);
    BOOL connected = ConnectNamedPipe(l->next, &ov);
    DWORD e = connected ? ERROR_PIPE_CONNECTED : GetLastError();
    if (e == ERROR_IO_PENDING) {
        HANDLE both[2] = { l->event, l->stop };
        DWORD w = WaitForMultipleObjects(2, both, FALSE, INFINITE);
        if (w != WAIT_OBJECT_0) {
            CancelIoEx(l->next, &ov);
            DWORD n;
            GetOverlappedResult(l->next, &ov, &n, TRUE);
            wcr_err_set(err, WCR_E_CANCELLED, "accept on %s: the listener was shut down", l->name);
            return NULL;
        }
        DWORD n;
        e = GetOverlappedResult(l->next, &ov, &n, FALSE) ? ERROR_PIPE_CONNECTED : GetLastError();
    }
    if (e != ERROR_PIPE_CONNECTED) {
        win_set_error(err, e, "accept on %s", l->name);
        return NULL;
    }
    HANDLE h = l->next;
    l->next = INVALID_HANDLE_VALUE;
    return conn_wrap(h, err);
}

void wcr_os_listener_shutdown(wcr_os_listener *l)
{
    if (l && l->stop)
        SetEvent(l->stop);
}

void wcr_os_listener_close(wcr_os_listener *l)
{
    if (!l)
        return;
    if (l->next != INVALID_HANDLE_VALUE)
        CloseHandle(l->next);
    if (l->event)
        CloseHandle(l->event);
    if (l->stop)
        CloseHandle(l->stop);
    free(l->path);
    free(l->name);
    free(l);
}
