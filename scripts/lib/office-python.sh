# Sourced by the scripts that open our files in third-party readers: sets PY to a python with openpyxl and
# python-docx, pip-installing them into a virtualenv ($KAOHE_OFFICE_VENV, default $TMPDIR/kaohe-office-venv) when
# the system's python lacks them.
PY="${PYTHON:-python3}"
VENV="${KAOHE_OFFICE_VENV:-${TMPDIR:-/tmp}/kaohe-office-venv}"
if ! "$PY" -c 'import openpyxl, docx' 2>/dev/null; then
    if [ ! -x "$VENV/bin/python" ]; then
        echo "==> creating virtualenv $VENV"
        "$PY" -m venv "$VENV"
    fi
    PY="$VENV/bin/python"
    if ! "$PY" -c 'import openpyxl, docx' 2>/dev/null; then
        echo "==> pip install openpyxl python-docx"
        "$PY" -m pip install --quiet --disable-pip-version-check openpyxl python-docx
    fi
fi
