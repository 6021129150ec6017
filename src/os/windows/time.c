/* Clocks and sleeping (Windows). */
#include "os/os.h"
#include "os/windows/win.h"

uint64_t wcr_os_monotonic_ns(void)
{
    static LARGE_INTEGER freq;
    LARGE_INTEGER now;
    if (freq.QuadPart == 0)
        QueryPerformanceFrequency(&freq);
    QueryPerformanceCounter(&now);
    /* Split to avoid overflow of counter * 1e9. */
    uint64_t q = (uint64_t)now.QuadPart, f = (uint64_t)freq.QuadPart;
    return (q / f) * 1000000000u + (q % f) * 1000000000u / f;
}

void wcr_os_wall_time(int64_t *seconds, int32_t *nanos)
{
    FILETIME ft;
    GetSystemTimePreciseAsFileTime(&ft);
    /* 100 ns ticks since 1601-01-01. */
    uint64_t t = ((uint64_t)ft.dwHighDateTime << 32) | ft.dwLowDateTime;
    t -= 116444736000000000ULL;
    *seconds = (int64_t)(t / 10000000u);
    *nanos = (int32_t)(t % 10000000u) * 100;
}

void wcr_os_sleep_ms(unsigned ms)
{
    Sleep(ms);
}
