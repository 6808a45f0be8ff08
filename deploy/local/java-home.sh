#!/usr/bin/env bash
# Prints a JAVA_HOME of release 21 or newer: $JAVA_HOME when it qualifies, else the `java` on the
# PATH, else the newest JDK under /usr/lib/jvm. Fails with a message when there is none.
set -euo pipefail

release_of() { # prints the feature release of the JDK at $1, or nothing
  local v
  # The JDK's `release` file says it without starting a JVM (half a second each); asking the JVM
  # is for a JDK without one.
  v=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$1/release" 2>/dev/null || true)
  if [ -z "$v" ]; then
    v=$("$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')
  fi
  echo "${v%%.*}"
}

qualifies() { [ -x "$1/bin/javac" ] && [ "$(release_of "$1")" -ge 21 ] 2>/dev/null; }

if [ -n "${JAVA_HOME:-}" ] && qualifies "$JAVA_HOME"; then echo "$JAVA_HOME"; exit 0; fi
if command -v javac >/dev/null; then
  home=$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")
  if qualifies "$home"; then echo "$home"; exit 0; fi
fi
best=""; best_release=0
for home in /usr/lib/jvm/*/ /opt/java/*/ "$HOME"/.sdkman/candidates/java/*/; do
  home=${home%/}
  [ -x "$home/bin/javac" ] || continue
  r=$(release_of "$home"); r=${r:-0}
  if [ "$r" -ge 21 ] && [ "$r" -gt "$best_release" ]; then best=$home; best_release=$r; fi
done
if [ -n "$best" ]; then echo "$best"; exit 0; fi
echo "Autodoc needs a JDK of release 21 or newer; none found (set JAVA_HOME)." >&2
exit 1
