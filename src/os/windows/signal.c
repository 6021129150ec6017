/* Interrupts (Windows): the console control handler runs on a thread of
 * its own already; it hands Ctrl+C (INT), Ctrl+Break and the console
 * closing (TERM) to the registered function. */
#include "os/os.h"
#include "os/windows/win.h"

static SRWLOCK lock = SRWLOCK_INIT;
static wcr_os_interrupt_fn handler;
static void *handler_ud;
static bool installed;

static BOOL WINAPI on_ctrl(DWORD type)
{
    AcquireSRWLockShared(&lock);
    wcr_os_interrupt_fn fn = handler;
    void *ud = handler_ud;
    ReleaseSRWLockShared(&lock);
    if (!fn)
        return FALSE; /* the default: end the process */
    fn(ud, type == CTRL_C_EVENT ? WCR_SIG_INT : WCR_SIG_TERM);
    return TRUE;
}

int win_signals_init(wcr_err *err)
{
    if (!SetConsoleCtrlHandler(on_ctrl, TRUE))
        return win_set_error(err, GetLastError(), "install the console control handler");
    installed = true;
    return 0;
}

int wcr_os_interrupt_watch(wcr_os_interrupt_fn fn, void *ud, bool winch, wcr_err *err)
{
    (void)winch; /* console resizes are polled on Windows */
    if (!installed)
        return wcr_err_set(err, WCR_E_INTERNAL, "interrupts: wcr_os_init_process() was not called");
    AcquireSRWLockExclusive(&lock);
    handler = fn;
    handler_ud = ud;
    ReleaseSRWLockExclusive(&lock);
    return 0;
}

void wcr_os_interrupt_stop(void)
{
    AcquireSRWLockExclusive(&lock);
    handler = NULL;
    handler_ud = NULL;
    ReleaseSRWLockExclusive(&lock);
}
