# A JDK of 21 or later for the programs run from the test classes (the peer, the readers), and the
# classpath of those classes (built here).
bench_classpath() {
  JAVA21=""
  for home in "${JAVA_HOME:-}" /usr/lib/jvm/*; do
    [ -n "$home" ] && [ -x "$home/bin/java" ] && [ -f "$home/release" ] || continue
    major=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$home/release")
    if [ "${major:-0}" -ge 21 ]; then JAVA21="$home/bin/java"; fi
  done
  [ -n "$JAVA21" ] || { echo "no JDK >= 21 found" >&2; exit 1; }
  ./mvnw -q -B -DskipTests install
  ./mvnw -q -B -pl server test-compile dependency:build-classpath -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test
  CP="server/target/classes:server/target/test-classes:$(cat server/target/bench.classpath)"
}
