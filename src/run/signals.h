/* Signal names and numbers as containers see them (Linux numbering, which
 * containerd uses on every OS; the Windows shim maps TERM/INT/KILL). */
#ifndef WCR_RUN_SIGNALS_H
#define WCR_RUN_SIGNALS_H

/* "TERM", "SIGTERM", "sigterm" or "15" → 15. -1 when unknown. */
int wcr_signal_parse(const char *text, int *out);

/* The name without SIG ("TERM"), or NULL for an unknown number. */
const char *wcr_signal_name(int sig);

#endif
