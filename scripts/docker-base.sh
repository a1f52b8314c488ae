#!/usr/bin/env bash
# Build the local Debian base image where no image registry can be reached: `debootstrap --variant=minbase
# bookworm` from the mirror this machine's apt already uses (read from its apt sources at run time), plus
# Python 3 and venv, imported with `docker import`. The tag is a content key (a hash of this script's
# parameters, package list and the machine's apt sources): a base already built with the same key is reused.
# Prints the image name on stdout. Usage: scripts/docker-base.sh    (DOCKER=/usr/bin/docker to pick a client)
set -euo pipefail
cd "$(dirname "$0")/.."
DOCKER=${DOCKER:-docker}
SUITE=bookworm
PACKAGES="python3,python3-venv"    # the app's Dockerfile adds the rest (libzbar0, fonts) with apt, as on any base
NAME=jianzheng-debian-base

# The mirror: the first Debian archive URI of this machine's apt sources (deb822 or one-line format).
mirror=$(
  { grep -hE '^URIs:' /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '{print $2}'
    grep -hE '^deb ' /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null \
      | sed -E 's/\[[^]]*\]//' | awk '{print $2}'; } 2>/dev/null | grep -v -- '-security' | grep -E '/debian/?$' | head -n 1 || true)
[ -n "$mirror" ] || { echo "no Debian mirror in this machine's apt sources" >&2; exit 1; }

# What goes into the image besides the debootstrap: the machine's apt sources (so apt-get inside builds reaches
# the same archive, security updates included) and its Acquire:: settings (proxy, validity checks).
apt_files=()
for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.sources /etc/apt/sources.list.d/*.list; do
  if [ -s "$f" ]; then apt_files+=("$f"); fi
done
acquire_files=()
for f in /etc/apt/apt.conf.d/*; do
  if [ -f "$f" ] && grep -q '^Acquire::' "$f"; then acquire_files+=("$f"); fi
done

key=$( { echo "$SUITE minbase $PACKAGES $mirror v2"; cat "${apt_files[@]}" "${acquire_files[@]}"; } | sha256sum | cut -c1-12)
image="$NAME:$key"
if "$DOCKER" image inspect "$image" >/dev/null 2>&1; then
  echo ">> base $image: already built" >&2
  echo "$image"; exit 0
fi

command -v debootstrap >/dev/null || { echo "debootstrap is not installed (apt-get install debootstrap)" >&2; exit 1; }
[ "$(id -u)" = 0 ] || { echo "debootstrap needs root" >&2; exit 1; }
root=$(mktemp -d "${TMPDIR:-/tmp}/jz-base.XXXXXX")
trap 'rm -rf "$root"' EXIT
echo ">> debootstrap $SUITE (minbase + $PACKAGES) from the machine's mirror" >&2
start=$(date +%s)
debootstrap --variant=minbase --include="$PACKAGES" "$SUITE" "$root" "$mirror" >"$root.log" 2>&1 \
  || { tail -n 30 "$root.log" >&2; rm -f "$root.log"; exit 1; }
rm -f "$root.log"
rm -f "$root/etc/apt/sources.list"
for f in "${apt_files[@]}"; do cp "$f" "$root/etc/apt/${f#/etc/apt/}"; done
for f in "${acquire_files[@]}"; do cp "$f" "$root/etc/apt/apt.conf.d/"; done
# as Debian's own container images: no recommends, no documentation, no package cache left behind
printf 'APT::Install-Recommends "false";\nAPT::Install-Suggests "false";\n' > "$root/etc/apt/apt.conf.d/90container"
printf 'path-exclude /usr/share/doc/*\npath-exclude /usr/share/man/*\npath-exclude /usr/share/locale/*\npath-include /usr/share/locale/locale.alias\n' \
  > "$root/etc/dpkg/dpkg.cfg.d/90container"
rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/* "$root"/usr/share/doc/* "$root"/usr/share/man/*
chmod 755 "$root"     # mktemp made it 0700: the image's / would be closed to every user but root
tar -C "$root" -c . | "$DOCKER" import --change 'ENV LANG=C.UTF-8' --change 'CMD ["/bin/bash"]' - "$image" >/dev/null
"$DOCKER" tag "$image" "$NAME:latest"
echo ">> base $image built in $(( $(date +%s) - start )) s" >&2
echo "$image"
