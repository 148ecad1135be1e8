#!/bin/sh
# Puts the handout program in this folder, for a build on your host's
# computers (GitHub Pages, Netlify, Cloudflare Pages). It downloads the
# Linux build of the release you name, checks it against the release's
# SHA256SUMS file, and unpacks it. Copy this file into your site's folder.
#
# Set two things first (your host's settings, or the workflow file):
#   HANDOUT_VERSION  the release to use, like v0.1.0
#   HANDOUT_REPO     the GitHub repository that publishes handout's releases
set -eu
: "${HANDOUT_VERSION:?set HANDOUT_VERSION to a release, like v0.1.0}"
: "${HANDOUT_REPO:?set HANDOUT_REPO to the repository that publishes handout}"
base="${HANDOUT_RELEASES:-https://github.com/$HANDOUT_REPO/releases/download}/$HANDOUT_VERSION"
case "$(uname -m)" in
  x86_64 | amd64) target=x86_64-unknown-linux-musl ;;
  aarch64 | arm64) target=aarch64-unknown-linux-musl ;;
  *) echo "install-handout.sh: no handout build for $(uname -m)" >&2; exit 1 ;;
esac
archive="handout-$target.tar.gz"
curl -sSfL -o "$archive" "$base/$archive"
curl -sSfL -o SHA256SUMS "$base/SHA256SUMS"
grep " $archive\$" SHA256SUMS | sha256sum -c -
tar -xzf "$archive" handout
rm -f "$archive" SHA256SUMS
./handout --version
