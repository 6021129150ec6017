#!/bin/sh
# wcr.exe version under Wine, where no containerd listens: the client part
# on stdout, then exit 125 and one error line naming the default pipe.
# usage: check-version.sh WINE_RUN WCR_EXE
set -u
out=$("$1" "$2" version 2>/tmp/wcr-version-err.$$)
rc=$?
err=$(cat /tmp/wcr-version-err.$$)
rm -f /tmp/wcr-version-err.$$
echo "$out"
echo "$err"
[ "$rc" -eq 125 ] || { echo "FAIL: exit status $rc, want 125"; exit 1; }
echo "$out" | grep -q 'OS/Arch:   windows/amd64' || { echo "FAIL: no client part"; exit 1; }
case "$err" in
  *'cannot reach containerd: connect to \\.\pipe\containerd-containerd'*) ;;
  *) echo "FAIL: the error does not name the default pipe"; exit 1 ;;
esac
