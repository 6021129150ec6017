/* Threads, mutexes and condition variables (pthreads). */
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <time.h>

#include "os/os.h"

enum { T_RUNNING, T_EXITED, T_DETACHED };

struct wcr_os_thread {
    pthread_t tid;
    void (*fn)(void *);
    void *arg;
    atomic_int state; /* who frees a detached thread: the last of the two */
};

struct wcr_os_mutex {
    pthread_mutex_t m;
};

struct wcr_os_cond {
    pthread_cond_t c;
};

static void *thread_main(void *p)
{
    wcr_os_thread *t = p;
    t->fn(t->arg);
    int running = T_RUNNING;
    if (!atomic_compare_exchange_strong(&t->state, &running, T_EXITED))
        free(t); /* detached meanwhile: nobody else will */
    return NULL;
}

int wcr_os_thread_start(wcr_os_thread **out, void (*fn)(void *), void *arg, wcr_err *err)
{
    wcr_os_thread *t = malloc(sizeof *t);
    if (!t)
        return wcr_err_set(err, WCR_E_NOMEM, "start thread: out of memory");
    t->fn = fn;
    t->arg = arg;
    atomic_init(&t->state, T_RUNNING);
    int rc = pthread_create(&t->tid, NULL, thread_main, t);
    if (rc != 0) {
        free(t);
        return wcr_err_set_errno(err, rc, "start thread");
    }
    *out = t;
    return 0;
}

void wcr_os_thread_join(wcr_os_thread *t)
{
    if (!t)
        return;
    pthread_join(t->tid, NULL);
    free(t);
}

void wcr_os_thread_detach(wcr_os_thread *t)
{
    if (!t)
        return;
    pthread_detach(t->tid);
    int running = T_RUNNING;
    if (!atomic_compare_exchange_strong(&t->state, &running, T_DETACHED))
        free(t); /* it has already ended */
}

wcr_os_mutex *wcr_os_mutex_new(wcr_err *err)
{
    wcr_os_mutex *m = malloc(sizeof *m);
    if (!m || pthread_mutex_init(&m->m, NULL) != 0) {
        free(m);
        wcr_err_set(err, WCR_E_NOMEM, "create mutex: out of resources");
        return NULL;
    }
    return m;
}

void wcr_os_mutex_free(wcr_os_mutex *m)
{
    if (!m)
        return;
    pthread_mutex_destroy(&m->m);
    free(m);
}

void wcr_os_mutex_lock(wcr_os_mutex *m)
{
    pthread_mutex_lock(&m->m);
}

void wcr_os_mutex_unlock(wcr_os_mutex *m)
{
    pthread_mutex_unlock(&m->m);
}

wcr_os_cond *wcr_os_cond_new(wcr_err *err)
{
    wcr_os_cond *c = malloc(sizeof *c);
    pthread_condattr_t attr;
    if (!c || pthread_condattr_init(&attr) != 0) {
        free(c);
        wcr_err_set(err, WCR_E_NOMEM, "create condition variable: out of resources");
        return NULL;
    }
    /* Deadlines are on the monotonic clock, immune to clock changes. */
    pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
    int rc = pthread_cond_init(&c->c, &attr);
    pthread_condattr_destroy(&attr);
    if (rc != 0) {
        free(c);
        wcr_err_set_errno(err, rc, "create condition variable");
        return NULL;
    }
    return c;
}

void wcr_os_cond_free(wcr_os_cond *c)
{
    if (!c)
        return;
    pthread_cond_destroy(&c->c);
    free(c);
}

bool wcr_os_cond_wait(wcr_os_cond *c, wcr_os_mutex *m, uint64_t deadline_ns)
{
    if (deadline_ns == 0) {
        pthread_cond_wait(&c->c, &m->m);
        return true;
    }
    struct timespec ts = { (time_t)(deadline_ns / 1000000000u), (long)(deadline_ns % 1000000000u) };
    return pthread_cond_timedwait(&c->c, &m->m, &ts) != ETIMEDOUT;
}

void wcr_os_cond_broadcast(wcr_os_cond *c)
{
    pthread_cond_broadcast(&c->c);
}
