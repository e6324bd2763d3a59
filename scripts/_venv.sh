# Sourced by scripts/play and scripts/test: make .venv once, reinstall only when packaging changes.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.venv"
PYTHON="${PYTHON:-python3}"

ensure_venv() {  # $1: the extras to install, e.g. "" or "[dev]"
  local extras="$1"
  if [ ! -x "$VENV/bin/python" ]; then
    "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))' || {
      echo "Off Screen needs Python 3.11 or newer (set PYTHON=/path/to/python3.11)" >&2; exit 2; }
    echo "Creating $VENV (first run only)..." >&2
    "$PYTHON" -m venv "$VENV"
  fi
  # The test pins (requirements/test-pins.txt) constrain every install here, so a checkout
  # plays and tests against the versions the snapshots were made with.
  local pins="$ROOT/requirements/test-pins.txt"
  local stamp="$VENV/.installed$extras-$(cat "$ROOT/pyproject.toml" "$ROOT/setup.py" "$pins" | cksum | cut -d' ' -f1)"
  if [ ! -e "$stamp" ]; then
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -c "$pins" \
      -e "$ROOT$extras" >&2
    touch "$stamp"
  fi
}
