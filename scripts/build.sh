#!/usr/bin/env bash
# Build the one-folder program dist/wangjiantong/ with PyInstaller (build.spec), then prove it
# works: the frozen wangjiantong-cli --self-test must pass (offscreen, no screen needed).
#
#   bash scripts/build.sh            (PYTHON=/path/to/python to choose the interpreter)
#
# Exit code 0 only when the build and the frozen self-test both succeed.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}

if ! "$PYTHON" -m PyInstaller --version >/dev/null 2>&1; then
    echo "PyInstaller missing: installing the project with its build extras"
    "$PYTHON" -m pip install -q -e ".[build]"
fi
echo "PyInstaller $("$PYTHON" -m PyInstaller --version), $("$PYTHON" --version)"

start=$(date +%s)
"$PYTHON" -m PyInstaller --noconfirm --clean --log-level WARN build.spec
built=$(date +%s)
echo "built dist/wangjiantong/ in $((built - start)) s, $(du -sh dist/wangjiantong | cut -f1)"

# Run from another folder so nothing is found through the source tree by accident.
cli="$PWD/dist/wangjiantong/wangjiantong-cli"
if ! (cd "${TMPDIR:-/tmp}" && QT_QPA_PLATFORM=offscreen "$cli" --self-test); then
    echo "FAILED: the frozen program's self-test did not pass (see the step above)" >&2
    exit 1
fi
echo "frozen self-test passed in $(($(date +%s) - built)) s"
