/* Signal names (Linux numbers: what containerd passes to the runtime). */
#include <string.h>

#include "core/str.h"
#include "run/signals.h"

static const struct {
    const char *name;
    int number;
} signals[] = {
    { "HUP", 1 },    { "INT", 2 },    { "QUIT", 3 },   { "ILL", 4 },    { "TRAP", 5 },
    { "ABRT", 6 },   { "BUS", 7 },    { "FPE", 8 },    { "KILL", 9 },   { "USR1", 10 },
    { "SEGV", 11 },  { "USR2", 12 },  { "PIPE", 13 },  { "ALRM", 14 },  { "TERM", 15 },
    { "STKFLT", 16 }, { "CHLD", 17 }, { "CONT", 18 },  { "STOP", 19 },  { "TSTP", 20 },
    { "TTIN", 21 },  { "TTOU", 22 },  { "URG", 23 },   { "XCPU", 24 },  { "XFSZ", 25 },
    { "VTALRM", 26 }, { "PROF", 27 }, { "WINCH", 28 }, { "IO", 29 },    { "PWR", 30 },
    { "SYS", 31 },
};

int wcr_signal_parse(const char *text, int *out)
{
    int64_t n;
    if (wcr_str_to_int64(text, 1, 64, &n) == 0) {
        *out = (int)n;
        return 0;
    }
    const char *name = text;
    if ((name[0] == 'S' || name[0] == 's') && (name[1] == 'I' || name[1] == 'i') &&
        (name[2] == 'G' || name[2] == 'g'))
        name += 3;
    for (size_t i = 0; i < sizeof signals / sizeof signals[0]; i++) {
        if (wcr_str_caseeq(name, signals[i].name)) {
            *out = signals[i].number;
            return 0;
        }
    }
    return -1;
}

const char *wcr_signal_name(int sig)
{
    for (size_t i = 0; i < sizeof signals / sizeof signals[0]; i++)
        if (signals[i].number == sig)
            return signals[i].name;
    return NULL;
}
