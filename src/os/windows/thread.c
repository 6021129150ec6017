/* Threads, mutexes and condition variables (Win32). */
#include <stdlib.h>

#include "os/os.h"
#include "os/windows/win.h"

enum { T_RUNNING, T_EXITED, T_DETACHED };

struct wcr_os_thread {
    HANDLE h;
    void (*fn)(void *);
    void *arg;
    volatile LONG state; /* who frees a detached thread: the last of the two */
};

struct wcr_os_mutex {
    SRWLOCK lock;
};

struct wcr_os_cond {
    CONDITION_VARIABLE cv;
};

static DWORD WINAPI thread_main(LPVOID p)
{
    wcr_os_thread *t = p;
    t->fn(t->arg);
    if (InterlockedCompareExchange(&t->state, T_EXITED, T_RUNNING) != T_RUNNING)
        free(t); /* detached meanwhile: nobody else will */
    return 0;
}

int wcr_os_thread_start(wcr_os_thread **out, void (*fn)(void *), void *arg, wcr_err *err)
{
    wcr_os_thread *t = malloc(sizeof *t);
    if (!t)
        return wcr_err_set(err, WCR_E_NOMEM, "start thread: out of memory");
    t->fn = fn;
    t->arg = arg;
    t->state = T_RUNNING;
    t->h = CreateThread(NULL, 0, thread_main, t, 0, NULL);
    if (!t->h) {
        DWORD e = GetLastError();
        free(t);
        return win_set_error(err, e, "start thread");
    }
    *out = t;
    return 0;
}

void wcr_os_thread_join(wcr_os_thread *t)
{
    if (!t)
        return;
    WaitForSingleObject(t->h, INFINITE);
    CloseHandle(t->h);
    free(t);
}

void wcr_os_thread_detach(wcr_os_thread *t)
{
    if (!t)
        return;
    CloseHandle(t->h);
    if (InterlockedCompareExchange(&t->state, T_DETACHED, T_RUNNING) != T_RUNNING)
        free(t); /* it has already ended */
}

wcr_os_mutex *wcr_os_mutex_new(wcr_err *err)
{
    wcr_os_mutex *m = malloc(sizeof *m);
    if (!m) {
        wcr_err_set(err, WCR_E_NOMEM, "create mutex: out of memory");
        return NULL;
    }
    InitializeSRWLock(&m->lock);
    return m;
}

void wcr_os_mutex_free(wcr_os_mutex *m)
{
    free(m); /* an SRW lock needs no destruction */
}

void wcr_os_mutex_lock(wcr_os_mutex *m)
{
    AcquireSRWLockExclusive(&m->lock);
}

void wcr_os_mutex_unlock(wcr_os_mutex *m)
{
    ReleaseSRWLockExclusive(&m->lock);
}

wcr_os_cond *wcr_os_cond_new(wcr_err *err)
{
    wcr_os_cond *c = malloc(sizeof *c);
    if (!c) {
        wcr_err_set(err, WCR_E_NOMEM, "create condition variable: out of memory");
        return NULL;
    }
    InitializeConditionVariable(&c->cv);
    return c;
}

void wcr_os_cond_free(wcr_os_cond *c)
{
    free(c);
}

bool wcr_os_cond_wait(wcr_os_cond *c, wcr_os_mutex *m, uint64_t deadline_ns)
{
    DWORD ms = INFINITE;
    if (deadline_ns) {
        uint64_t now = wcr_os_monotonic_ns();
        if (now >= deadline_ns)
            return false;
        uint64_t left = (deadline_ns - now + 999999) / 1000000;
        ms = left >= INFINITE ? INFINITE - 1 : (DWORD)left;
    }
    if (SleepConditionVariableSRW(&c->cv, &m->lock, ms, 0))
        return true;
    return GetLastError() != ERROR_TIMEOUT;
}

void wcr_os_cond_broadcast(wcr_os_cond *c)
{
    WakeAllConditionVariable(&c->cv);
}
