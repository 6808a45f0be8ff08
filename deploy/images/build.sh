#!/usr/bin/env bash
# Builds the four service images into deploy/images/target/<service>.tar (OCI archives), after
# the services themselves: deploy/images/build.sh [local|temurin]. Load one with
# `podman load -i deploy/images/target/orchestrator.tar`, or push it with skopeo or crane.
set -euo pipefail
cd "$(dirname "$0")/../.."
base="${1:-local}"
JAVA_HOME=$(deploy/local/java-home.sh)
export JAVA_HOME
./mvnw -B -q install -DskipTests -pl deploy/images -am
./mvnw -B -q dependency:build-classpath -pl deploy/images -Dmdep.outputFile=target/images.classpath
for service in orchestrator scope-worker callback reconciler; do
  "$JAVA_HOME/bin/java" -Dautodoc.project.dir="$PWD" \
    -cp "deploy/images/target/classes:$(cat deploy/images/target/images.classpath)" \
    dev.autodoc.images.ImageBuild "$service" "deploy/images/target/$service.tar" "$base"
done
