#!/usr/bin/env bash
# Warn (never fail) when the system libraries the printed report needs are missing:
# Pango (WeasyPrint lays out text with it) and the Noto CJK fonts (embedded in every PDF).
# Everything else works without them; the PDF pages then answer with a message saying so.
missing=()
ldconfig=$(command -v ldconfig || echo /sbin/ldconfig)
if [ -x "$ldconfig" ]; then
  "$ldconfig" -p 2>/dev/null | grep -q "libpango-1.0.so" || missing+=(libpango-1.0-0)
  "$ldconfig" -p 2>/dev/null | grep -q "libpangoft2-1.0.so" || missing+=(libpangoft2-1.0-0)
fi
fc-list 2>/dev/null | grep -qi "Noto Sans CJK" || missing+=(fonts-noto-cjk)
if ((${#missing[@]})); then
  echo "warning: the PDF report needs ${missing[*]}; install with:" >&2
  echo "  sudo apt-get install --no-install-recommends ${missing[*]}" >&2
  exit 1
fi
