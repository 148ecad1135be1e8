#!/usr/bin/env bash
# Runs the fuzz targets (cargo-fuzz, libFuzzer; needs a nightly toolchain
# and `cargo install cargo-fuzz`) at the lowest priority until each has
# had CPU_SECONDS of CPU time in total (default 1800, the 30 CPU-minutes
# docs/reliability.md asks for), then minimizes its corpus in
# fuzz/corpus/<target>/:
#
#   fuzz/run.sh [CPU_SECONDS] [TARGET...]
#
# CPU time, not wall time, because the machine is shared: a fuzzer at
# `nice -n 19` gets only what other work leaves. Each run of a target
# appends a line to fuzz/ledger.tsv (target, CPU seconds, executions,
# date); the ledger is committed, so the total carries over between runs
# and machines, and a target already at its budget is skipped.
#
# A crash, timeout or out-of-memory stops the run and leaves the input in
# fuzz/artifacts/<target>/: fix it, and copy the input to
# fuzz/regressions/<target>/ so `cargo test` (tests/fuzz_corpora.rs)
# replays it from then on.
#
# libFuzzer's timeout is wall-clock time, so a fuzzer starved of CPU by
# other work (or stopped) reports inputs that are not slow. A timeout is
# therefore tried again alone; one that then finishes within the limit is
# logged as starved, its input removed, and the run goes on.
set -euo pipefail
cd "$(dirname "$0")"
# Under Linux's autogroup scheduling, `nice` only ranks processes within
# one session: lower the whole session's weight too, or this run takes
# an equal share of the CPU from a build or benchmark in another terminal.
[ -w /proc/self/autogroup ] && echo 19 > /proc/self/autogroup 2> /dev/null || true
budget=${1:-1800}
shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  mapfile -t targets < <(ls fuzz_targets | sed 's/\.rs$//')
fi
ledger=ledger.tsv
[ -f "$ledger" ] || printf 'target\tcpu_seconds\texecutions\tdate\n' > "$ledger"

spent() {
  awk -F'\t' -v t="$1" '$1 == t { s += $2 } END { printf "%d", s }' "$ledger"
}

# FUZZ_NO_BUILD=1 runs the binaries already built (a build at the lowest
# priority takes most of an hour on a busy 2-core machine).
if [ -z "${FUZZ_NO_BUILD:-}" ]; then
  nice -n 19 cargo +nightly fuzz build -O
fi
binaries=target/x86_64-unknown-linux-gnu/release

# libFuzzer's timeout per input, in seconds. Pictures get more: a few
# bytes may name a canvas of millions of pixels within the bounds, which
# the engine fills, resizes and encodes (binaries built before the image
# target had its own bounds read up to 12,000 px a side: a 40-byte GIF of
# 11,265 x 8,449 pixels took 14 CPU seconds in this sanitized build).
timeout_of() {
  case "$1" in
    image) echo 30 ;;
    *) echo 10 ;;
  esac
}

for target in "${targets[@]}"; do
  mkdir -p "corpus/$target" "artifacts/$target"
  while [ "$(spent "$target")" -lt "$budget" ]; do
    left=$((budget - $(spent "$target")))
    # Wall-clock chunks of at most ten minutes; a chunk's CPU time is
    # what is counted.
    chunk=$((left < 600 ? left : 600))
    [ "$chunk" -lt 30 ] && chunk=30
    log=$(mktemp)
    status=0
    /usr/bin/time -f "%U %S" -o "$log.time" \
      nice -n 19 "$binaries/$target" -max_total_time="$chunk" -timeout="$(timeout_of "$target")" \
        -rss_limit_mb=2048 -max_len=65536 -print_final_stats=1 \
        -artifact_prefix="artifacts/$target/" "corpus/$target" 2> "$log" \
      || status=$?
    # The last line: time puts a note about a failed exit above it.
    cpu=$(tail -n 1 "$log.time" | awk '{ printf "%d", $1 + $2 }')
    runs=$(awk '/stat::number_of_executed_units/ { print $2 }' "$log")
    printf '%s\t%s\t%s\t%s\n' "$target" "$cpu" "${runs:-0}" "$(date -u +%F)" >> "$ledger"
    echo "$target: +${cpu} CPU s (${runs:-0} runs), $(spent "$target") of $budget"
    if [ "$status" -ne 0 ] && grep -q 'libFuzzer: timeout' "$log"; then
      input=$(ls -t "artifacts/$target"/timeout-* 2> /dev/null | head -n 1)
      # Alone, without libFuzzer's wall-clock limit, in CPU time; an input
      # that runs two minutes on the clock is slow whatever the load.
      if [ -n "$input" ] && timeout 120 /usr/bin/time -f "%U %S" -o "$log.alone" \
          "$binaries/$target" -timeout=0 -rss_limit_mb=2048 -runs=1 "$input" > /dev/null 2>&1 \
          && [ "$(tail -n 1 "$log.alone" | awk -v limit="$(timeout_of "$target")" '{ print ($1 + $2 < limit) }')" = 1 ]; then
        echo "$target: $(basename "$input") took $(tail -n 1 "$log.alone" | awk '{ print $1 + $2 }') CPU s alone: the fuzzer was starved, going on"
        rm -f "$input" "artifacts/$target"/slow-unit-*
        status=0
      fi
      rm -f "$log.alone"
    fi
    if [ "$status" -ne 0 ]; then
      tail -n 40 "$log"
      echo "$target failed: see fuzz/artifacts/$target/" >&2
      rm -f "$log" "$log.time"
      exit 1
    fi
    rm -f "$log" "$log.time"
  done
  if [ -z "${FUZZ_NO_BUILD:-}" ]; then
    nice -n 19 cargo +nightly fuzz cmin -O "$target" 2>&1 | tail -n 2
  else
    # What `cargo fuzz cmin` runs, without building first.
    merged=$(mktemp -d)
    nice -n 19 "$binaries/$target" -merge=1 -timeout="$(timeout_of "$target")" -rss_limit_mb=2048 \
      -max_len=65536 "$merged" "corpus/$target" 2>&1 | tail -n 1
    rm -rf "corpus/$target" && mv "$merged" "corpus/$target"
  fi
done
