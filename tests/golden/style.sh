#!/bin/sh
# tests/golden/style.sh - the tree is clang-format clean (.clang-format,
# clang-format 14 from Debian) and every header compiles on its own.
cd "${ROOT:-.}" || exit 1
if command -v clang-format >/dev/null 2>&1; then
    if make -s format-check >/tmp/orbat-format.$$ 2>&1; then
        echo "ok - make format-check: every C file matches .clang-format"
    else
        echo "not ok - make format-check: run 'make format' (files: $(grep -o '^[^:]*\.[ch]' /tmp/orbat-format.$$ | sort -u | tr '\n' ' '))"
    fi
    rm -f /tmp/orbat-format.$$
else
    echo "not ok - clang-format is not installed (apt-get install clang-format)"
fi
if make -s hdrcheck >/dev/null 2>&1; then
    echo "ok - make hdrcheck: every header compiles on its own"
else
    echo "not ok - make hdrcheck failed"
fi
