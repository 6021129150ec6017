/* Interrupts (POSIX): the signals are blocked in every thread from the
 * start, and one thread takes them with sigwait(), so a handler may do
 * anything (lock, cancel calls) and no thread is interrupted mid-call. */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>

#include "os/os.h"
#include "os/posix/posix.h"

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static wcr_os_interrupt_fn handler;
static void *handler_ud;
static bool want_winch;
static bool started;
static bool hup_ignored;

/* SIGINT and SIGTERM are ours even when the shell started us with them
 * ignored (a background job), as they are docker's and ctr's; a SIGHUP
 * ignored from the start (nohup) stays ignored. */
static void watched_set(sigset_t *set)
{
    sigemptyset(set);
    sigaddset(set, SIGINT);
    sigaddset(set, SIGTERM);
    if (!hup_ignored)
        sigaddset(set, SIGHUP);
    sigaddset(set, SIGWINCH);
}

/* Nobody listens: behave as if the signal had not been blocked. */
static void default_action(int sig)
{
    if (sig == SIGWINCH)
        return;
    signal(sig, SIG_DFL);
    sigset_t one;
    sigemptyset(&one);
    sigaddset(&one, sig);
    pthread_sigmask(SIG_UNBLOCK, &one, NULL);
    raise(sig);
    _exit(128 + sig); /* in case the default action did not end us */
}

static void *watcher(void *arg)
{
    (void)arg;
    sigset_t set;
    watched_set(&set);
    for (;;) {
        int sig = 0;
        if (sigwait(&set, &sig) != 0)
            continue;
        pthread_mutex_lock(&lock);
        wcr_os_interrupt_fn fn = handler;
        void *ud = handler_ud;
        bool winch = want_winch;
        pthread_mutex_unlock(&lock);
        if (!fn) {
            default_action(sig);
            continue;
        }
        if (sig == SIGWINCH && !winch)
            continue;
        int ours = sig == SIGINT ? WCR_SIG_INT : sig == SIGTERM ? WCR_SIG_TERM
                   : sig == SIGHUP ? WCR_SIG_HUP : WCR_SIG_WINCH;
        fn(ud, ours);
    }
    return NULL;
}

int wcr_os_posix_signals_init(wcr_err *err)
{
    struct sigaction old;
    hup_ignored = sigaction(SIGHUP, NULL, &old) == 0 && old.sa_handler == SIG_IGN;
    sigset_t set;
    watched_set(&set);
    int rc = pthread_sigmask(SIG_BLOCK, &set, NULL);
    if (rc != 0)
        return wcr_err_set_errno(err, rc, "block signals");
    pthread_t t;
    if ((rc = pthread_create(&t, NULL, watcher, NULL)) != 0)
        return wcr_err_set_errno(err, rc, "start the signal thread");
    pthread_detach(t);
    started = true;
    return 0;
}

int wcr_os_interrupt_watch(wcr_os_interrupt_fn fn, void *ud, bool winch, wcr_err *err)
{
    if (!started)
        return wcr_err_set(err, WCR_E_INTERNAL, "interrupts: wcr_os_init_process() was not called");
    pthread_mutex_lock(&lock);
    handler = fn;
    handler_ud = ud;
    want_winch = winch;
    pthread_mutex_unlock(&lock);
    return 0;
}

void wcr_os_interrupt_stop(void)
{
    pthread_mutex_lock(&lock);
    handler = NULL;
    handler_ud = NULL;
    want_winch = false;
    pthread_mutex_unlock(&lock);
}
