#!/usr/bin/env bash
# Runs the fuzz targets (cargo-fuzz, libFuzzer; needs a nightly toolchain
# and `cargo install cargo-fuzz`), each for SECONDS of one core (default
# 1800, the 30 CPU-minutes docs/reliability.md asks for), at the lowest
# priority, then minimizes its corpus in fuzz/corpus/<target>/:
#
#   fuzz/run.sh [SECONDS] [TARGET...]
#
# A crash, timeout or out-of-memory stops the run and leaves the input in
# fuzz/artifacts/<target>/: fix it, and copy the input to
# fuzz/regressions/<target>/ so `cargo test` (tests/fuzz_corpora.rs)
# replays it from then on.
set -euo pipefail
cd "$(dirname "$0")"
seconds=${1:-1800}
shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  mapfile -t targets < <(ls fuzz_targets | sed 's/\.rs$//')
fi
for target in "${targets[@]}"; do
  echo "== $target: ${seconds} s"
  /usr/bin/time -f "$target: %U s user, %S s system, %M KiB peak" \
    nice -n 19 cargo +nightly fuzz run -O "$target" -- \
      -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
      -print_final_stats=1
  nice -n 19 cargo +nightly fuzz cmin -O "$target"
done
