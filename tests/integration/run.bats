#!/usr/bin/env bats
# wcr run and the commands around a container (exec, ps, start, stop, kill,
# rm, logs, inspect, prune) against a private containerd with runc: exit
# codes, stdio, env, user, mounts, TTYs, signals, interrupted and killed
# runs, parallel runs — and, last, a check that the suite left nothing in
# containerd or on disk.

load helpers
load containerd
load images

setup_file() {
  containerd_start
  # runc keeps its state in /run/containerd/runc/<namespace> and the
  # cgroups are /<namespace>/<id> whatever containerd runs them: a
  # namespace of our own keeps parallel suites apart.
  export CONTAINERD_NAMESPACE="wcr-run-$$"
  # wcr's own state (FIFOs, logs) and temporary files stay in here.
  export WCR_ROOT="$BATS_FILE_TMPDIR/wcr" WCR_TMP="$BATS_FILE_TMPDIR/tmp"
  mkdir -p "$WCR_ROOT" "$WCR_TMP"
  local images="$BATS_FILE_TMPDIR/images"
  mkdir -p "$images"
  # bb: busybox, Cmd sh, PATH=/bin. cf: the same with a config to honour.
  image_busybox "$images/bb"
  image_busybox "$images/cf" 0 --config.env FROM_IMAGE=yes --config.env SHARED=image \
    --config.workingdir /tmp --config.user wcruser
  umoci config --image "$images/cf:bb" --config.entrypoint sh --config.cmd -c \
    --config.cmd 'echo entry "$0"' --config.cmd x >/dev/null
  tar -C "$images/bb" -cf "$images/bb.tar" .
  tar -C "$images/cf" -cf "$images/cf.tar" .
  ctr_ images import --base-name docker.io/wcr/bb "$images/bb.tar" >/dev/null
  ctr_ images import --base-name docker.io/wcr/cf "$images/cf.tar" >/dev/null
  rm -rf "$images"
  export IMG=docker.io/wcr/bb:bb CFG=docker.io/wcr/cf:bb
}

teardown_file() {
  containerd_stop
  rmdir "/run/containerd/runc/$CONTAINERD_NAMESPACE" "/sys/fs/cgroup/$CONTAINERD_NAMESPACE" 2>/dev/null || true
}

# wcr with its temporary files where the leak check can see them.
wcr() { TMPDIR="$WCR_TMP" "$WCR" "$@"; }

# wait_until SECONDS CMD...: poll CMD every 0.1 s until it succeeds.
wait_until() {
  local n=$(($1 * 10))
  shift
  while ((n-- > 0)); do
    "$@" && return 0
    sleep 0.1
  done
  return 1
}

task_running() { ctr_ tasks ls 2>/dev/null | grep -q "^$1 .*RUNNING"; }
no_container() { [ -z "$(ctr_ containers ls -q | grep -x "$1")" ]; }

# nothing_of ID: no container, task or snapshot of ID in containerd.
nothing_of() {
  no_container "$1" &&
    [ -z "$(ctr_ tasks ls | awk -v id="$1" '$1 == id')" ] &&
    [ -z "$(ctr_ snapshots ls | awk -v id="$1" '$1 == id')" ]
}

@test "exit codes: the command's own, 126 when it cannot run, 127 when it is missing, 125 for wcr's errors" {
  run wcr run --rm "$IMG" true
  [ "$status" -eq 0 ]
  run wcr run --rm "$IMG" sh -c 'exit 3'
  [ "$status" -eq 3 ]
  run_split wcr run --rm "$IMG" /no/such/program
  [ "$status" -eq 127 ]
  [[ "$stderr" == *'"/no/such/program"'* ]]
  run_split wcr run --rm "$IMG" nosuchprogram
  [ "$status" -eq 127 ]
  [[ "$stderr" == *'not found'* ]]
  run wcr run --rm "$IMG" /etc/passwd
  [ "$status" -eq 126 ]
  run wcr run --rm "$IMG" /etc
  [ "$status" -eq 126 ]
  run_split wcr run --rm --pull never docker.io/wcr/absent:1 true
  [ "$status" -eq 125 ]
  [[ "$stderr" == "wcr: run docker.io/wcr/absent:1: "*"--pull never"* ]]
  run_split wcr run --rm --nosuchflag "$IMG" true
  [ "$status" -eq 125 ]
  run_split wcr run --rm -v /no/such/dir:/data "$IMG" true
  [ "$status" -eq 125 ]
  [[ "$stderr" == *"the source /no/such/dir does not exist"* ]]
}

@test "stdout and stderr are kept apart, and large output arrives whole" {
  run_split wcr run --rm "$IMG" sh -c 'echo out; echo err >&2; echo out2'
  [ "$status" -eq 0 ]
  [ "$stdout" = $'out\nout2' ]
  [ "$stderr" = err ]
  # 1 MiB and more through the FIFOs, byte for byte
  want=$(sha256sum </bin/busybox)
  got=$(wcr run --rm "$IMG" cat /bin/busybox | sha256sum)
  [ "$got" = "$want" ]
}

@test "-i connects stdin (and its end); without -i the process reads nothing" {
  run sh -c 'printf "line1\nline2\n" | "$0" run --rm -i "$1" sh -c "cat; echo done"' "$WCR" "$IMG"
  [ "$status" -eq 0 ]
  [ "$output" = $'line1\nline2\ndone' ]
  want=$(sha256sum </bin/busybox)
  got=$(wcr run --rm -i "$IMG" cat </bin/busybox | sha256sum)
  [ "$got" = "$want" ]
  run sh -c 'echo ignored | "$0" run --rm "$1" cat' "$WCR" "$IMG"
  [ "$status" -eq 0 ]
  [ -z "$output" ]
}

@test "env: the image's, then --env-file, then -e; KEY alone takes ours or unsets" {
  printf '# comment\n\nSHARED=file\nFROM_FILE=1\n  SPACED=kept value\n' >"$BATS_TEST_TMPDIR/env"
  export OURS=from-host
  unset NOT_SET_HERE
  run_split wcr run --rm --env-file "$BATS_TEST_TMPDIR/env" -e OURS -e NOT_SET_HERE -e FROM_FLAG=a=b \
    -e FROM_IMAGE --entrypoint env "$CFG"
  [ "$status" -eq 0 ]
  grep -qx 'PATH=/bin' <<<"$stdout"
  grep -qx 'SHARED=file' <<<"$stdout"
  grep -qx 'FROM_FILE=1' <<<"$stdout"
  grep -qx 'SPACED=kept value' <<<"$stdout"
  grep -qx 'OURS=from-host' <<<"$stdout"
  grep -qx 'FROM_FLAG=a=b' <<<"$stdout"
  # -e FROM_IMAGE with FROM_IMAGE unset here removes the image's value
  ! grep -q '^FROM_IMAGE=' <<<"$stdout" || false
  ! grep -q '^NOT_SET_HERE' <<<"$stdout" || false
  run_split wcr run --rm --hostname envhost --entrypoint env "$CFG"
  grep -qx HOSTNAME=envhost <<<"$stdout"
  run_split wcr run --rm --env-file "$BATS_TEST_TMPDIR/missing" "$IMG" true
  [ "$status" -eq 125 ]
  [[ "$stderr" == *missing* ]]
}

@test "the image's entrypoint, cmd, workdir and user; -w, --entrypoint and arguments replace them" {
  run_split wcr run --rm "$CFG"
  [ "$status" -eq 0 ]
  [ "$stdout" = "entry x" ]
  run_split wcr run --rm "$CFG" -c 'echo args; pwd; id -u'
  [ "$stdout" = $'args\n/tmp\n1234' ]
  run_split wcr run --rm -w /etc --entrypoint pwd "$CFG"
  [ "$stdout" = /etc ]
  # a working directory that does not exist yet is made
  run_split wcr run --rm -w /new/dir "$IMG" pwd
  [ "$stdout" = /new/dir ]
  run_split wcr run --rm -w relative "$IMG" pwd
  [ "$status" -eq 125 ]
}

@test "users: by name from the image's passwd and group, by uid:gid, unknown names refused" {
  run_split wcr run --rm -u wcruser "$IMG" id
  [ "$stdout" = "uid=1234(wcruser) gid=4321(wcrgroup) groups=4321(wcrgroup)" ]
  run_split wcr run --rm -u 1234:4321 "$IMG" sh -c 'id -u; id -g'
  [ "$stdout" = $'1234\n4321' ]
  run_split wcr run --rm -u 5000:6000 "$IMG" sh -c 'id -u; id -g'
  [ "$stdout" = $'5000\n6000' ]
  run_split wcr run --rm -u wcruser:root "$IMG" sh -c 'id -u; id -g'
  [ "$stdout" = $'1234\n0' ]
  run_split wcr run --rm -u nobody-here "$IMG" id
  [ "$status" -eq 125 ]
  [[ "$stderr" == *'"nobody-here"'*passwd* ]]
  run_split wcr run --rm -u root "$CFG" -c 'id -u'
  [ "$stdout" = 0 ]
}

@test "bind mounts: read-write with -v and --mount, read-only refused a write" {
  d="$BATS_TEST_TMPDIR/data"
  mkdir -p "$d"
  echo from-host >"$d/in.txt"
  run_split wcr run --rm -v "$d:/data" "$IMG" sh -c 'cat /data/in.txt; echo from-container >/data/out.txt'
  [ "$status" -eq 0 ]
  [ "$stdout" = from-host ]
  [ "$(cat "$d/out.txt")" = from-container ]
  run_split wcr run --rm -v "$d:/ro:ro" "$IMG" sh -c 'cat /ro/in.txt; echo x >/ro/new.txt'
  [ "$status" -ne 0 ]
  [ "$stdout" = from-host ]
  [[ "$stderr" == *"Read-only file system"* ]]
  [ ! -e "$d/new.txt" ]
  run_split wcr run --rm --mount "type=bind,src=$d,dst=/m,ro" "$IMG" sh -c 'cat /m/in.txt; touch /m/t'
  [ "$status" -ne 0 ]
  [ "$stdout" = from-host ]
  run_split wcr run --rm --mount "type=bind,source=$d,target=/m" "$IMG" sh -c 'touch /m/t'
  [ "$status" -eq 0 ]
  [ -e "$d/t" ]
}

@test "hostname: --hostname, else the container's ID; --net none has only loopback" {
  run_split wcr run --rm --hostname web1 "$IMG" hostname
  [ "$stdout" = web1 ]
  run_split wcr run --rm --name hostname-check "$IMG" hostname
  [ "$stdout" = hostname-check ]
  run_split wcr run --rm "$IMG" hostname
  [[ "$stdout" =~ ^[0-9a-f]{12}$ ]]
  run_split wcr run --rm --net none "$IMG" sh -c 'tail -n +3 /proc/net/dev | grep -v "^ *lo:" | wc -l'
  [ "$stdout" = 0 ]
  hostifs=$(tail -n +3 /proc/net/dev | wc -l)
  run_split wcr run --rm --net host "$IMG" sh -c 'tail -n +3 /proc/net/dev | wc -l'
  [ "$stdout" = "$hostifs" ]
}

@test "--rm leaves nothing; without it ps -a shows the exit code until rm" {
  run_split wcr run --rm --name rm-check "$IMG" true
  [ "$status" -eq 0 ]
  nothing_of rm-check
  run wcr run --name kept "$IMG" sh -c 'exit 5'
  [ "$status" -eq 5 ]
  run_split wcr ps -a
  grep -q '^kept .*Exited (5)' <<<"$stdout"
  run_split wcr ps
  ! grep -q '^kept ' <<<"$stdout" || false
  run_split wcr --format json ps -a
  "$JSONCHECK" <(echo "$stdout")
  ctr_ snapshots ls | grep -q '^kept '
  run wcr rm kept
  [ "$status" -eq 0 ]
  nothing_of kept
  run_split wcr rm kept
  [ "$status" -eq 125 ]
  [[ "$stderr" == *kept* ]]
  # a name in use is refused, and the existing container is not touched
  wcr run --name taken "$IMG" true
  run_split wcr run --name taken "$IMG" true
  [ "$status" -eq 125 ]
  [[ "$stderr" == *taken* ]]
  ctr_ containers ls -q | grep -qx taken
  wcr rm taken
}

@test "-d: logs, exec, ps, inspect, stop, start, kill, rm" {
  run_split wcr run -d --name bg "$IMG" sh -c 'trap "echo got TERM; exit 7" TERM; echo hello; echo warn >&2; while :; do sleep 0.1; done'
  [ "$status" -eq 0 ]
  [ "$stdout" = bg ]
  wait_until 10 sh -c '"$0" logs bg | grep -q hello' "$WCR"
  run_split wcr logs bg
  [[ "$stdout" == *hello* ]]
  [[ "$stdout$stderr" == *warn* ]]
  run_split wcr ps
  grep -q '^bg .* Up ' <<<"$stdout"
  # exec: output, exit code, stdin, env, workdir and user
  run_split wcr exec bg sh -c 'echo in; echo err >&2; exit 4'
  [ "$status" -eq 4 ]
  [ "$stdout" = in ]
  [ "$stderr" = err ]
  run sh -c 'echo piped | "$0" exec -i bg cat' "$WCR"
  [ "$output" = piped ]
  run_split wcr exec -e X=1 -w /tmp -u wcruser bg sh -c 'echo $X; pwd; id -u'
  [ "$stdout" = $'1\n/tmp\n1234' ]
  run_split wcr exec bg nosuchprogram
  [ "$status" -eq 127 ]
  run_split wcr exec nosuchcontainer true
  [ "$status" -eq 125 ]
  [[ "$stderr" == *nosuchcontainer* ]]
  # inspect: a JSON array whose State says running
  run_split wcr inspect bg
  [ "$status" -eq 0 ]
  "$JSONCHECK" <(echo "$stdout")
  /usr/bin/python3 -c 'import json,sys; d=json.loads(sys.argv[1])[0]; assert d["Id"]=="bg" and d["State"]["Running"] and d["State"]["Pid"]>0, d' "$stdout"
  # stop: SIGTERM reaches the process, which exits 7
  run wcr stop bg
  [ "$status" -eq 0 ]
  run_split wcr ps -a
  grep -q '^bg .*Exited (7)' <<<"$stdout"
  run_split wcr logs bg
  [[ "$stdout" == *"got TERM"* ]]
  run_split wcr inspect bg
  /usr/bin/python3 -c 'import json,sys; d=json.loads(sys.argv[1])[0]; assert d["State"]["Status"]=="exited" and d["State"]["ExitCode"]==7, d' "$stdout"
  # start again: the same log grows
  run wcr start bg
  [ "$status" -eq 0 ]
  wait_until 10 task_running bg
  wait_until 10 sh -c '[ "$("$0" logs bg | grep -c hello)" -eq 2 ]' "$WCR"
  run_split wcr start bg
  [ "$status" -eq 125 ]
  [[ "$stderr" == *running* ]]
  # stop -t: a process that ignores SIGTERM gets SIGKILL after the timeout
  wcr exec -d bg sh -c 'true'
  run wcr kill -s KILL bg
  [ "$status" -eq 0 ]
  wait_until 10 sh -c '! "$0" ps | grep -q "^bg "' "$WCR"
  run_split wcr ps -a
  grep -q '^bg .*Exited (137)' <<<"$stdout"
  # rm -f of a running container
  wcr start bg
  wait_until 10 task_running bg
  run_split wcr rm bg
  [ "$status" -eq 125 ]
  [[ "$stderr" == *-f* ]]
  run wcr rm -f bg
  [ "$status" -eq 0 ]
  nothing_of bg
}

@test "stop -t: a process that ignores SIGTERM is killed after the timeout" {
  wcr run -d --name ignores-term "$IMG" sleep 1000
  wait_until 10 task_running ignores-term
  t0=$(date +%s%N)
  run wcr stop -t 1 ignores-term
  t1=$(date +%s%N)
  [ "$status" -eq 0 ]
  ms=$(((t1 - t0) / 1000000))
  [ "$ms" -ge 900 ] && [ "$ms" -lt 6000 ]
  run_split wcr ps -a
  grep -q '^ignores-term .*Exited (137)' <<<"$stdout"
  wcr rm ignores-term
  nothing_of ignores-term
}

@test "a TTY session: a terminal of our size, raw input, the exit code" {
  command -v script >/dev/null
  cmd="stty cols 91 rows 27; TMPDIR=$WCR_TMP $WCR run --rm -it $IMG sh -c 'tty; stty size; [ -t 0 ] && exit 9'"
  run script -qec "$cmd" /dev/null </dev/null
  [ "$status" -eq 9 ]
  [[ "$output" == */dev/pts/* ]]
  [[ "$output" == *"27 91"* ]]
  # exec -t in a detached container gets the same
  wcr run -d --name ttyc "$IMG" sleep 1000
  wait_until 10 task_running ttyc
  run script -qec "stty cols 77 rows 22; $WCR exec -t ttyc sh -c 'stty size; exit 6'" /dev/null </dev/null
  [ "$status" -eq 6 ]
  [[ "$output" == *"22 77"* ]]
  wcr rm -f ttyc
  # input typed at the terminal reaches the shell
  run script -qec "TMPDIR=$WCR_TMP $WCR run --rm -it $IMG sh" /dev/null < <(sleep 1; printf 'echo typed-$((6*7))\nexit 4\n')
  [ "$status" -eq 4 ]
  [[ "$output" == *typed-42* ]]
}

# signal_trapped_run NAME SIGNAL TRAP: run --rm NAME in the background
# (wcr itself, not the wcr() function: $! must be wcr's pid) with a shell
# that runs TRAP on SIGNAL; once it is ready, send SIGNAL to wcr; sets
# $status to wcr's exit status. Output in $BATS_TEST_TMPDIR/out.
signal_trapped_run() {
  TMPDIR="$WCR_TMP" "$WCR" run --rm --name "$1" "$IMG" \
    sh -c "trap '$3' $2; echo ready; while :; do sleep 0.1; done" >"$BATS_TEST_TMPDIR/out" 3>&- &
  local pid=$!
  wait_until 10 grep -q ready "$BATS_TEST_TMPDIR/out"
  kill -"$2" "$pid"
  status=0
  wait "$pid" || status=$?
}

@test "SIGTERM to wcr is forwarded to the process: exit 143, nothing left" {
  signal_trapped_run termed TERM 'exit 143'
  [ "$status" -eq 143 ]
  wait_until 5 nothing_of termed
}

@test "Ctrl+C mid-run: SIGINT reaches the process; a third one kills it; nothing left" {
  signal_trapped_run inted INT 'echo got INT; exit 130'
  [ "$status" -eq 130 ]
  grep -q "got INT" "$BATS_TEST_TMPDIR/out"
  wait_until 5 nothing_of inted
  # sleep as PID 1 ignores SIGINT: the third Ctrl+C kills it
  TMPDIR="$WCR_TMP" "$WCR" run --rm --name deaf "$IMG" sleep 1000 3>&- &
  pid=$!
  wait_until 10 task_running deaf
  kill -INT "$pid"; sleep 0.2; kill -INT "$pid"; sleep 0.2; kill -INT "$pid"
  status=0
  wait "$pid" || status=$?
  [ "$status" -eq 137 ]
  wait_until 5 nothing_of deaf
}

@test "Ctrl+C before the process starts: wcr stops setting up and undoes it" {
  # Interrupt at many points of the set-up; each run must leave nothing.
  for delay in 0.01 0.03 0.06 0.1 0.15; do
    TMPDIR="$WCR_TMP" "$WCR" run --rm --name early "$IMG" true 3>&- &
    pid=$!
    sleep "$delay"
    kill -INT "$pid" 2>/dev/null || true
    status=0
    wait "$pid" || status=$?
    [ "$status" -eq 0 ] || [ "$status" -eq 130 ] || [ "$status" -eq 125 ]
    wait_until 5 nothing_of early
  done
}

@test "SIGKILL of wcr mid-run: wcr prune removes what it left" {
  TMPDIR="$WCR_TMP" "$WCR" run --rm --name orphan "$IMG" sleep 1000 3>&- &
  pid=$!
  wait_until 10 task_running orphan
  kill -KILL "$pid"
  wait "$pid" || true
  # what the dead run left: container, task, snapshot, lease, FIFOs
  ctr_ containers ls -q | grep -qx orphan
  [ -n "$(ls "$WCR_ROOT/run/fifo")" ]
  # a detached container of a live wcr is left alone by prune
  wcr run -d --name survivor "$IMG" sleep 1000
  run_split wcr prune
  [ "$status" -eq 0 ]
  [[ "$stdout" == *orphan* ]]
  nothing_of orphan
  [ -z "$(ls "$WCR_ROOT/run/fifo")" ]
  [ -z "$(ctr_ leases ls -q)" ]
  task_running survivor
  wcr rm -f survivor
}

@test "20 runs in parallel, each with its own output and exit code" {
  pids=()
  for i in $(seq 1 20); do
    wcr run --rm "$IMG" sh -c "echo run-$i; exit $((i % 7))" >"$BATS_TEST_TMPDIR/out.$i" 2>&1 3>&- &
    pids+=($!)
  done
  for i in $(seq 1 20); do
    status=0
    wait "${pids[$((i - 1))]}" || status=$?
    [ "$status" -eq $((i % 7)) ] || { cat "$BATS_TEST_TMPDIR/out.$i"; false; }
    [ "$(cat "$BATS_TEST_TMPDIR/out.$i")" = "run-$i" ]
  done
}

@test "the suite left nothing: no containers, tasks, active snapshots, leases, FIFOs or temporary files" {
  [ -z "$(ctr_ containers ls -q)" ]
  [ -z "$(ctr_ tasks ls -q)" ]
  run ctr_ snapshots ls
  ! grep -q Active <<<"$output" || false
  [ -z "$(ctr_ leases ls -q)" ]
  [ -z "$(ls -A "$WCR_ROOT/run/fifo")" ]
  [ -z "$(ls -A "$WCR_TMP")" ]
}
