/* libwcr: export macro and version. */
#ifndef WCR_COMMON_H
#define WCR_COMMON_H

#include <stddef.h>
#include <stdint.h>

/* WCR_API marks the functions the shared library exports; everything else is
 * hidden. The static library and the unit tests see every symbol. */
#if defined(_WIN32) && defined(WCR_BUILDING_DLL)
#define WCR_API __declspec(dllexport)
#elif defined(_WIN32) && defined(WCR_USING_DLL)
#define WCR_API __declspec(dllimport)
#elif defined(__GNUC__)
#define WCR_API __attribute__((visibility("default")))
#else
#define WCR_API
#endif

/* mingw's "printf" archetype means msvcrt's; we build with mingw's own
 * C99 stdio (__USE_MINGW_ANSI_STDIO), which is gnu_printf. */
#if defined(__MINGW32__)
#define WCR_PRINTF(f, a) __attribute__((format(gnu_printf, f, a)))
#elif defined(__GNUC__)
#define WCR_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define WCR_PRINTF(f, a)
#endif

#define WCR_VERSION_MAJOR 0
#define WCR_VERSION_MINOR 1
#define WCR_VERSION_PATCH 0
#define WCR_VERSION "0.1.0"

/* The library's version string, e.g. "0.1.0". */
WCR_API const char *wcr_version(void);

/* The source revision the library was built from ("unknown" outside git). */
WCR_API const char *wcr_revision(void);

#endif
