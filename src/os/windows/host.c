/* The host's architecture and Windows build (Windows). */
#include <stdio.h>
#include <string.h>

#include "os/os.h"
#include "os/windows/win.h"

/* ntdll's RtlGetVersion reports the real version whatever the program's
 * compatibility manifest says (GetVersionEx lies without one). mingw
 * declares it only in the DDK headers, so it is declared here; ntdll is
 * linked. It returns an NTSTATUS, 0 on success. */
DECLSPEC_IMPORT LONG WINAPI RtlGetVersion(RTL_OSVERSIONINFOW *info);

static const wchar_t current_version_key[] = L"SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion";

/* The update build revision (the fourth number `ver` prints), or 0 when
 * the value is missing (older systems, Wine). */
static unsigned read_ubr(void)
{
    DWORD ubr = 0, size = sizeof ubr;
    LONG rc = RegGetValueW(HKEY_LOCAL_MACHINE, current_version_key, L"UBR", RRF_RT_REG_DWORD,
                           NULL, &ubr, &size);
    return rc == ERROR_SUCCESS ? (unsigned)ubr : 0;
}

static void set_arch(wcr_os_host *out)
{
    SYSTEM_INFO si;
    /* Native: a 32-bit build on 64-bit Windows must still say amd64. */
    GetNativeSystemInfo(&si);
    const char *arch, *variant = "";
    switch (si.wProcessorArchitecture) {
    case PROCESSOR_ARCHITECTURE_AMD64:
        arch = "amd64";
        break;
    case PROCESSOR_ARCHITECTURE_ARM64:
        arch = "arm64";
        break;
    case PROCESSOR_ARCHITECTURE_INTEL:
        arch = "386";
        break;
    case PROCESSOR_ARCHITECTURE_ARM:
        arch = "arm";
        variant = "v7";
        break;
    default:
        arch = "unknown";
        break;
    }
    snprintf(out->arch, sizeof out->arch, "%s", arch);
    snprintf(out->variant, sizeof out->variant, "%s", variant);
}

int wcr_os_host_info(wcr_os_host *out, wcr_err *err)
{
    memset(out, 0, sizeof *out);
    set_arch(out);
    RTL_OSVERSIONINFOW vi;
    memset(&vi, 0, sizeof vi);
    vi.dwOSVersionInfoSize = sizeof vi;
    LONG status = RtlGetVersion(&vi);
    if (status != 0)
        return wcr_err_set(err, WCR_E_OS, "RtlGetVersion failed with NTSTATUS 0x%08lx",
                           (unsigned long)(ULONG)status);
    out->major = (unsigned)vi.dwMajorVersion;
    out->minor = (unsigned)vi.dwMinorVersion;
    out->build = (unsigned)vi.dwBuildNumber & 0xffff;
    out->revision = read_ubr();
    return 0;
}
