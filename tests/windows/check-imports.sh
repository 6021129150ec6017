#!/bin/sh
# Fail unless the PE file imports only DLLs that every Windows has.
# usage: check-imports.sh OBJDUMP FILE.exe
set -eu
objdump=$1 exe=$2
allowed=' kernel32.dll advapi32.dll shell32.dll ole32.dll ntdll.dll msvcrt.dll ws2_32.dll winhttp.dll bcrypt.dll crypt32.dll rpcrt4.dll user32.dll '
dlls=$("$objdump" -p "$exe" | sed -n 's/^[[:space:]]*DLL Name: //p' | tr 'A-Z' 'a-z')
[ -n "$dlls" ] || { echo "no imports found in $exe" >&2; exit 1; }
bad=0
for dll in $dlls; do
  case "$allowed" in
    *" $dll "*) echo "ok   $dll" ;;
    # The C runtime's api-set forwarders are part of Windows 10 too.
    api-ms-win-crt-*) echo "ok   $dll" ;;
    *) echo "FAIL $dll is not a Windows system DLL"; bad=1 ;;
  esac
done
exit $bad
