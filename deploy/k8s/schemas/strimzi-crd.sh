#!/usr/bin/env bash
# Prints the paths of Strimzi's KafkaTopic and KafkaUser CustomResourceDefinitions, one per line,
# generated (once, then cached) by Strimzi's own CRD generator from its API model, exactly as
# Strimzi's build produces 043-Crd-kafkatopic.yaml and 044-Crd-kafkauser.yaml. Needs Java 17+ and
# Maven, as deploy/local/kafka.sh does.
#
#   bash deploy/k8s/schemas/strimzi-crd.sh      -> .local/strimzi-<version>/kafkatopic-crd.yaml
#                                                  .local/strimzi-<version>/kafkauser-crd.yaml
#
# Environment: HOOKSTREAM_LOCAL_DIR (<repo>/.local).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../../.." && pwd)"
version="$(sed -n 's:.*<strimzi.version>\(.*\)</strimzi.version>.*:\1:p' "$here/pom.xml")"
state="${HOOKSTREAM_LOCAL_DIR:-$repo/.local}/strimzi-$version"
crd="$state/kafkatopic-crd.yaml"
user_crd="$state/kafkauser-crd.yaml"

die() { echo "[strimzi-crd] $*" >&2; exit 1; }

if [[ ! -s "$crd" || ! -s "$user_crd" ]]; then
  command -v mvn >/dev/null || die "Maven (mvn) is required to fetch Strimzi's CRD generator"
  command -v java >/dev/null || die "Java 17+ is required to run Strimzi's CRD generator"
  mkdir -p "$state"
  mvn -q -B -Dstyle.color=never -f "$here/pom.xml" dependency:build-classpath -Dmdep.outputFile="$state/classpath.txt" >&2 \
    || die "mvn could not fetch io.strimzi:api and io.strimzi:crd-generator $version"
  # The arguments Strimzi's api/pom.xml passes for the KafkaTopic CRD.
  java -cp "$(cat "$state/classpath.txt")" io.strimzi.crdgenerator.CrdGenerator \
    --label app:strimzi --label strimzi.io/crd-install:true \
    --target-kube 1.16+ --crd-api-version v1 \
    --api-versions v1alpha1,v1beta1,v1beta2 --storage-version v1beta2 \
    --yaml "io.strimzi.api.kafka.model.topic.KafkaTopic=$crd.tmp" \
    --yaml "io.strimzi.api.kafka.model.user.KafkaUser=$user_crd.tmp" 2> >(grep -v '^SLF4J' >&2) \
    || die "Strimzi's CRD generator failed"
  mv "$crd.tmp" "$crd"
  mv "$user_crd.tmp" "$user_crd"
fi
echo "$crd"
echo "$user_crd"
