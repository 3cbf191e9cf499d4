#!/usr/bin/env bash
# A newcomer after `make demo`: run every command of README's "After `make demo`" block, word for word,
# and check each exits 0. `serve` is started, asked for its front page, and stopped.
# Usage (from the repository root, after `make demo`):  bash tests/newcomer.sh
set -u
cd "$(dirname "$0")/.."
[ -f demo.db ] || { echo "newcomer: demo.db missing: run make demo first"; exit 1; }
block=$(awk '/^## After `make demo`/{s=1} s&&/^```$/{n++; if(n==4){exit}; next} s&&n==3' README.md)
[ -n "$block" ] || { echo "newcomer: no command block under README's 'After make demo'"; exit 1; }
failed=0
count=0
while IFS= read -r line; do
  [ -z "$line" ] && continue
  count=$((count + 1))
  case "$line" in
    ". .venv/bin/activate")
      # shellcheck disable=SC1091
      . .venv/bin/activate || { echo "FAIL: $line"; failed=1; }
      continue ;;
    *" serve"*)
      port=${NEWCOMER_PORT:-$(python -c "import socket; s = socket.socket(); s.bind(('127.0.0.1', 0)); print(s.getsockname()[1])")}
      # exec: the background job IS the server, so killing $pid stops it (not only a subshell around it)
      eval "exec $line --port $port" > /tmp/newcomer-serve.$$ 2>&1 &
      pid=$!
      trap 'kill "$pid" 2>/dev/null' EXIT
      ok=1
      for _ in $(seq 1 60); do
        if python -c "import urllib.request,sys; urllib.request.urlopen('http://127.0.0.1:$port/', timeout=2)" 2>/dev/null; then ok=0; break; fi
        sleep 1
      done
      kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null
      trap - EXIT
      if [ $ok -eq 0 ]; then echo "ok:   $line (answered on port $port)"; else echo "FAIL: $line"; cat /tmp/newcomer-serve.$$; failed=1; fi
      rm -f /tmp/newcomer-serve.$$
      continue ;;
  esac
  if eval "$line" > /tmp/newcomer-out.$$ 2>&1; then
    echo "ok:   $line"
  else
    echo "FAIL: $line"; tail -5 /tmp/newcomer-out.$$; failed=1
  fi
done <<< "$block"
rm -f /tmp/newcomer-out.$$
echo "newcomer: $count commands, $([ $failed -eq 0 ] && echo 'all exit 0' || echo 'some FAILED')"
exit $failed
