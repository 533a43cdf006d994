#!/usr/bin/env bash
# CI only: a Docker engine with no bridge network (containers use the host's network, so tests reach
# stripe-mock on loopback only), and a local image of the pinned stripe-mock release. No registry can
# be reached here, so the image is built FROM scratch around the Go-installed static binary and tagged
# with the name testcontainers asks for. Users get the published image instead.
set -euo pipefail
cd "$(dirname "$0")/.."

STRIPE_MOCK_VERSION=$(cat .tools/bin/stripe-mock.version)
IMAGE="stripe/stripe-mock:${STRIPE_MOCK_VERSION}"

if ! docker info >/dev/null 2>&1; then
  if ! command -v dockerd >/dev/null; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker.io >/dev/null
  fi
  mkdir -p .tools
  nohup dockerd --bridge=none --iptables=false >.tools/dockerd.log 2>&1 &
  echo $! > .tools/dockerd.pid
  for _ in $(seq 1 60); do docker info >/dev/null 2>&1 && break; sleep 0.5; done
  docker info >/dev/null 2>&1 || { cat .tools/dockerd.log; echo "dockerd did not start" >&2; exit 1; }
fi

if ! docker image inspect "$IMAGE" >/dev/null 2>&1; then
  context=$(mktemp -d)
  cp .tools/bin/stripe-mock "$context/stripe-mock"
  # The published image's layout: the binary at /bin/stripe-mock, ports fixed by the entrypoint.
  cat > "$context/Dockerfile" <<'DOCKERFILE'
FROM scratch
COPY stripe-mock /bin/stripe-mock
ENTRYPOINT ["/bin/stripe-mock", "-http-port", "12111", "-https-port", "12112"]
EXPOSE 12111 12112
DOCKERFILE
  DOCKER_BUILDKIT=0 docker build -q -t "$IMAGE" "$context" 2>/dev/null
  rm -rf "$context"
fi
echo "Docker engine up; $IMAGE is a local build of the pinned release."
