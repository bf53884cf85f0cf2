#!/usr/bin/env bash
# make deb: the kiosk as a Debian package (docs/deployment.md, "The Debian package").
#
# The application goes into a venv built with the system's Python at its final path,
# /opt/kiosk/releases/<version>, inside a staging root; paths the venv writes (script
# shebangs, activate scripts, pyvenv.cfg) are rewritten from the staging root to the final
# path and the bytecode is compiled with the final path; a check then refuses a package that
# still names the staging root anywhere. dpkg-deb builds the package from the staging tree.
#
# Environment:
#   KIOSK_DEB_PYTHON      the Python the venv is built with (default /usr/bin/python3)
#   KIOSK_DEB_OUT         where the .deb goes (default dist/)
#   KIOSK_DEB_WORK        staging and build directory (default build/deb)
#   KIOSK_DEB_WHEELHOUSE  wheels kept between builds (default ~/.cache/civic-kiosk/wheelhouse):
#                         a build installs from it without an index; only what is missing
#                         (first build, new dependency) is fetched or built (pyscard needs
#                         swig, libpcsclite-dev, python3-dev and a C compiler)
#   KIOSK_DEB_COMPRESS    dpkg-deb compression, type[:level] (default gzip:6, which every dpkg
#                         reads; xz:6 is smaller but takes many minutes; none is the fastest)
set -euo pipefail
cd "$(dirname "$0")/../.."
src=$PWD

PY=${KIOSK_DEB_PYTHON:-/usr/bin/python3}
OUT=${KIOSK_DEB_OUT:-$src/dist}
WORK=${KIOSK_DEB_WORK:-$src/build/deb}
WHEELS=${KIOSK_DEB_WHEELHOUSE:-${XDG_CACHE_HOME:-$HOME/.cache}/civic-kiosk/wheelhouse}
COMPRESS=${KIOSK_DEB_COMPRESS:-gzip:6}

say() { echo "make deb: [${SECONDS}s] $*" >&2; }
die() { say "$*"; exit 1; }

command -v dpkg-deb >/dev/null || die "dpkg-deb is missing (Debian's dpkg package)"
[[ -x $PY ]] || die "$PY is missing: the venv is built with the system's Python"
"$PY" -c 'import sys; sys.exit(sys.version_info[:2] < (3, 11))' \
  || die "$PY is older than 3.11 (requires-python)"
"$PY" -c 'import ensurepip' 2>/dev/null || die "$PY has no venv support: apt-get install python3-venv"

NAME=civic-kiosk
VERSION=$("$PY" -c 'import tomllib; print(tomllib.load(open("pyproject.toml", "rb"))["project"]["version"])')
PYVER=$("$PY" -c 'import sys; print(f"{sys.version_info[0]}.{sys.version_info[1]}")')
PYNEXT=$("$PY" -c 'import sys; print(f"{sys.version_info[0]}.{sys.version_info[1] + 1}")')
ARCH=$(dpkg --print-architecture)
FINAL=/opt/kiosk/releases/$VERSION

stage=$WORK/stage
venv=$stage$FINAL
rm -rf "$stage" "$WORK/src" "$WORK/project"
mkdir -p "$stage" "$WORK/project" "$WHEELS" "$OUT"
export PYTHONDONTWRITEBYTECODE=1  # bytecode is compiled once, with the final paths, below

# 1. The project's wheel, from a clean copy of the source (an in-tree build/lib could carry
#    modules deleted since). Tracked and new files, not ignored ones.
say "building the civic-kiosk $VERSION wheel"
mkdir -p "$WORK/src"
if git -C "$src" rev-parse --git-dir >/dev/null 2>&1; then
  git -C "$src" ls-files -z --cached --others --exclude-standard \
    | (cd "$src" && xargs -0 -r sh -c 'for f; do [ -e "$f" ] && printf "%s\0" "$f"; done' sh) \
    | tar -C "$src" --null -T - -cf - | tar -C "$WORK/src" -xf -
else
  tar -C "$src" --exclude=./.venv --exclude=./build --exclude=./dist -cf - . | tar -C "$WORK/src" -xf -
fi

# 2. The venv at its final path, inside the staging root.
say "creating the venv with $PY ($PYVER) for $FINAL"
"$PY" -m venv "$venv"
vpy=$venv/bin/python
"$vpy" -m pip wheel --quiet --no-deps --wheel-dir "$WORK/project" "$WORK/src"
wheel=$(ls "$WORK"/project/civic_kiosk-"$VERSION"-*.whl)

# 3. A production install: the project without extras, from the wheelhouse and no index.
pip_install() {
  "$vpy" -m pip install --quiet --no-compile --no-index --find-links "$WHEELS" "$wheel" "$@"
}
if ! pip_install 2>"$WORK/offline.err"; then
  say "filling the wheelhouse $WHEELS (what it lacks is fetched or built once)"
  "$vpy" -m pip wheel --quiet --find-links "$WHEELS" --wheel-dir "$WHEELS" "$wheel"
  rm -f "$WHEELS"/civic_kiosk-*.whl  # the project itself is rebuilt every time
  pip_install
fi
"$vpy" - <<'PY'
import importlib.util, sys
unwanted = [m for m in ("fastapi", "uvicorn", "sqlalchemy", "psycopg", "pytest", "playwright")
            if importlib.util.find_spec(m)]
sys.exit(f"the production venv carries {unwanted}" if unwanted else 0)
PY

# 4. Relocation: every text file naming the staging root now names the final path.
say "relocating the venv from the staging root to $FINAL"
grep -rlIF -- "$stage" "$venv" | while IFS= read -r f; do
  sed -i "s|$stage$FINAL|$FINAL|g; s|$stage||g" "$f"
done
"$PY" -m compileall -q -f -x "\.tmpl\.py$" -s "$stage" -p / "$venv" >/dev/null \
  || die "compileall failed in $venv"
left=$(grep -rlF -- "$stage" "$venv" || true)
[[ -z $left ]] || die "the venv still names the staging root in: $left"
head -1 "$venv/bin/kiosk" | grep -qx "#!$FINAL/bin/python" \
  || die "bin/kiosk's interpreter is not $FINAL/bin/python: $(head -1 "$venv/bin/kiosk")"

# 5. The appliance's files where Debian packages put them (admins override in /etc).
say "adding the units, rules and configuration"
put() { install -D -m "$1" "deploy/$2" "$stage/$3"; }
for unit in deploy/systemd/*.service deploy/systemd/*.timer deploy/systemd/*.path; do
  put 0644 "systemd/$(basename "$unit")" "lib/systemd/system/$(basename "$unit")"
done
put 0644 udev/70-kiosk-devices.rules lib/udev/rules.d/70-kiosk-devices.rules
put 0644 sysusers.d/kiosk.conf usr/lib/sysusers.d/kiosk.conf
put 0644 sysctl.d/90-kiosk.conf usr/lib/sysctl.d/90-kiosk.conf
for d in logind.conf.d system.conf.d journald.conf.d; do
  put 0644 "$d/90-kiosk.conf" "usr/lib/systemd/$d/90-kiosk.conf"
done
put 0644 polkit/50-kiosk.rules usr/share/polkit-1/rules.d/50-kiosk.rules
put 0644 pam.d/kiosk etc/pam.d/kiosk
put 0644 deb/kiosk.toml etc/kiosk/kiosk.toml
install -D -m 0644 LICENSE "$stage/usr/share/doc/$NAME/copyright" 2>/dev/null \
  || printf 'civic-kiosk\nLicense: Apache-2.0 (see the project repository)\n' \
       | install -D -m 0644 /dev/stdin "$stage/usr/share/doc/$NAME/copyright"

# 6. Control data.
mkdir -p "$stage/DEBIAN"
size=$(du -sk --exclude=DEBIAN "$stage" | cut -f1)
cat > "$stage/DEBIAN/control" <<CONTROL
Package: $NAME
Version: $VERSION
Architecture: $ARCH
Maintainer: Civic kiosk project <kiosk@example.org>
Installed-Size: $size
Section: misc
Priority: optional
Depends: python3 (>= $PYVER), python3 (<< $PYNEXT), libc6 (>= 2.34), systemd, init-system-helpers, passwd, pcscd, libpcsclite1, cage, fonts-noto-cjk, libegl1, libgl1, libfontconfig1, libfreetype6, libglib2.0-0, libdbus-1-3, libxkbcommon0, libwayland-client0, libwayland-cursor0, libwayland-egl1
Recommends: speech-dispatcher, espeak-ng, libspeechd2, udisks2
Suggests: cups-client
Description: self-service kiosk for government service halls
 A PySide6 kiosk for card readers (PC/SC), receipt printers and an offline
 outbox, run full screen under the cage Wayland compositor as a
 self-restarting appliance. The application lives in its own venv at
 $FINAL; /opt/kiosk/current points at the release that runs.
CONTROL
printf '/etc/kiosk/kiosk.toml\n/etc/pam.d/kiosk\n' > "$stage/DEBIAN/conffiles"
for script in postinst prerm postrm; do
  sed "s|@VERSION@|$VERSION|g" "deploy/deb/$script" > "$stage/DEBIAN/$script"
  chmod 0755 "$stage/DEBIAN/$script"
done

deb=$OUT/${NAME}_${VERSION}_${ARCH}.deb
say "dpkg-deb --build ($COMPRESS)"
level=()
[[ $COMPRESS == *:* ]] && level=(-z"${COMPRESS#*:}")
dpkg-deb --root-owner-group -Z"${COMPRESS%%:*}" "${level[@]}" --build "$stage" "$deb" >/dev/null
say "built $deb"
echo "$deb"
