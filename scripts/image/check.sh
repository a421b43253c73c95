#!/usr/bin/env bash
# Checks the Headland image end to end: builds it (scripts/image/build.mjs), runs each program in
# a container with the security settings manifests/controller.yaml and manifests/speaker.yaml
# give it (user, capabilities, read-only root, no privilege escalation, NODE_OPTIONS, command),
# and builds again from nothing to see the same digest.
#
# Usage: bash scripts/image/check.sh [--no-build] [--no-repro]
#   --no-build   check localhost/headland:VERSION as it is (no build first)
#   --no-repro   skip the second build (--no-cache) and the digest comparison
# Environment:
#   SOURCE_DATE_EPOCH, HEADLAND_IMAGE_REVISION  as for build.mjs; default: HEAD's, fixed at the start
#   HEADLAND_PODMAN_ULIMITS  podman --ulimit flags (default: nofile and nproc at most 16384). Here
#                            root lacks CAP_SYS_RESOURCE, so podman's own defaults (1048576)
#                            make runc fail with "error setting rlimit"; set it to "" where
#                            podman's defaults work.
# Output: one line per check ("ok - ..." or "not ok - ..."), then one JSON line:
#   {"ok":true,"image":"localhost/headland:0.1.0","id":"sha256:...","digest":"sha256:...",
#    "reproducible":true,"passed":N,"failed":0}
# Exit: 0 all passed, 1 a check failed, 3 cannot check here (not root, or buildah/podman missing;
# scripts/setup.sh installs them).
set -uo pipefail
cd "$(dirname "$0")/../.."

build=1
repro=1
for arg in "$@"; do
  case "$arg" in
    --no-build) build=0 ;;
    --no-repro) repro=0 ;;
    *) echo "usage: bash scripts/image/check.sh [--no-build] [--no-repro]" >&2; exit 2 ;;
  esac
done

if [ "$(id -u)" != 0 ]; then echo "image check: needs root (rootful podman)" >&2; exit 3; fi
for cmd in buildah podman runc dpkg-deb apt-get node; do
  command -v "$cmd" >/dev/null || { echo "image check: $cmd is not installed (scripts/setup.sh)" >&2; exit 3; }
done

# Both builds of the reproducibility check describe one commit, even if another lands meanwhile.
export SOURCE_DATE_EPOCH="${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct)}"
export HEADLAND_IMAGE_REVISION="${HEADLAND_IMAGE_REVISION:-$(git rev-parse HEAD)}"

version=$(node -p 'require("./package.json").version')
image="localhost/headland:$version"
podman=(podman --storage-driver vfs)
hard_nofile=$(ulimit -Hn); hard_nproc=$(ulimit -Hu)
lim() { if [ "$1" = unlimited ] || [ "$1" -gt 16384 ]; then echo 16384; else echo "$1"; fi; }
default_ulimits="--ulimit nofile=$(lim "$hard_nofile"):$(lim "$hard_nofile") --ulimit nproc=$(lim "$hard_nproc"):$(lim "$hard_nproc")"
read -r -a ulimits <<<"${HEADLAND_PODMAN_ULIMITS-$default_ulimits}"

passed=0
failed=0
ok() { echo "ok - $1"; passed=$((passed + 1)); }
notok() { echo "not ok - $1"; [ -n "${2:-}" ] && sed 's/^/    /' <<<"$2" | head -20; failed=$((failed + 1)); }

id=""
digest=""
report() { node -e 'const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")); console.log(r.id, r.digest, r.archiveSha256)' "build/image/headland-$version.json"; }

if [ "$build" = 1 ]; then
  if out=$(node scripts/image/build.mjs 2>&1); then
    ok "build: $(grep -E '^(compressed|build time):' <<<"$out" | tr -s ' ' | paste -sd ';' -)"
  else
    notok "build" "$out"
    echo "{\"ok\":false,\"image\":\"$image\",\"passed\":$passed,\"failed\":$failed}"
    exit 1
  fi
fi
if [ -f "build/image/headland-$version.json" ]; then read -r id digest archive_sha < <(report); fi
if ! exists_err=$("${podman[@]}" image exists "$image" 2>&1); then
  if grep -q 'database configuration mismatch' <<<"$exists_err"; then
    notok "podman cannot open containers-storage with the vfs driver: its database was made with another driver" "$exists_err (podman system reset starts its storage afresh, removing its images and containers)"
  else
    notok "$image is not in containers-storage (vfs)"
  fi
  echo "{\"ok\":false,\"image\":\"$image\",\"passed\":$passed,\"failed\":$failed}"
  exit 1
fi

# The manifests' settings for one container, as podman flags then the command, one per line.
manifest_args() {
  node --input-type=module -e '
    import { readFileSync } from "node:fs";
    import { parse } from "yaml";
    const doc = parse(readFileSync(process.argv[1], "utf8"));
    const pod = doc.spec.template.spec;
    const c = pod.containers[0];
    const sc = c.securityContext ?? {};
    const user = sc.runAsUser ?? pod.securityContext?.runAsUser;
    const group = sc.runAsGroup ?? pod.securityContext?.runAsGroup;
    const args = [];
    if (user !== undefined) args.push("--user", `${user}:${group ?? user}`);
    if (sc.readOnlyRootFilesystem) args.push("--read-only");
    if (sc.allowPrivilegeEscalation === false) args.push("--security-opt", "no-new-privileges");
    if (sc.privileged) args.push("--privileged");
    for (const cap of sc.capabilities?.drop ?? []) args.push("--cap-drop", cap);
    for (const cap of sc.capabilities?.add ?? []) args.push("--cap-add", cap);
    for (const e of c.env ?? []) if (typeof e.value === "string") args.push("--env", `${e.name}=${e.value}`);
    console.log([...args, "--", ...c.command].join("\n"));
  ' "$1"
}

run_in_image() { # FLAGS... -- COMMAND...: runs it, sets $out and $code
  local flags=() seen=0
  while [ $# -gt 0 ]; do
    if [ "$1" = -- ] && [ $seen = 0 ]; then seen=1; shift; break; fi
    flags+=("$1"); shift
  done
  out=$("${podman[@]}" run --rm --runtime runc --network none "${ulimits[@]}" "${flags[@]}" "$image" "$@" 2>&1)
  code=$?
}

check_program() { # NAME MANIFEST EXPECTED_TEXT
  local name=$1 manifest=$2 expected=$3 lines=()
  mapfile -t lines < <(manifest_args "$manifest")
  if [ ${#lines[@]} -lt 2 ]; then notok "$name: cannot read $manifest"; return; fi
  local sep
  for sep in "${!lines[@]}"; do [ "${lines[$sep]}" = -- ] && break; done
  local flags=("${lines[@]:0:$sep}") command=("${lines[@]:$((sep + 1))}")
  run_in_image "${flags[@]}" -- "${command[@]}" --help
  if [ "$code" = 0 ] && grep -q "$expected" <<<"$out"; then
    ok "$name: '${command[*]} --help' with $manifest's settings (${flags[*]})"
  else
    notok "$name: '${command[*]} --help' exited $code with $manifest's settings (${flags[*]})" "$out"
  fi
  # The addon loads under the same settings (the speaker needs it for BGP and ARP/NDP).
  run_in_image "${flags[@]}" --entrypoint /usr/bin/node -- --input-type=module -e \
    'const n = await import("/opt/headland/native/dist/index.js"); if (!n.isSupported()) { console.error("addon not loadable"); process.exit(1); } console.log("addon ok", process.version)'
  if [ "$code" = 0 ]; then ok "$name: the native addon loads ($out)"; else notok "$name: the native addon does not load" "$out"; fi
}

check_program headland-speaker manifests/speaker.yaml 'usage: headland-speaker'
check_program headland-controller manifests/controller.yaml 'usage: headland-controller'

cli_flags=(--read-only --cap-drop ALL --security-opt no-new-privileges -v "$PWD/manifests/examples/l2.yaml:/in/l2.yaml:ro" -v "$PWD/cli/testdata/overlapping-pools.yaml:/in/bad.yaml:ro")
run_in_image "${cli_flags[@]}" -- headland validate -f /in/l2.yaml
if [ "$code" = 0 ] && grep -q '^valid: 1 IPAddressPool, 1 L2Advertisement' <<<"$out"; then ok "headland validate -f (a valid file mounted in): exit 0"; else notok "headland validate of a valid file exited $code" "$out"; fi
run_in_image "${cli_flags[@]}" -- headland validate -f /in/bad.yaml
if [ "$code" = 1 ] && grep -q 'overlaps' <<<"$out"; then ok "headland validate -f (overlapping pools): exit 1 with the problem"; else notok "headland validate of an invalid file exited $code" "$out"; fi
run_in_image --read-only --cap-drop ALL --
if [ "$code" = 0 ] && grep -q 'headland validate' <<<"$out"; then ok "default command (headland --help)"; else notok "default command exited $code" "$out"; fi

# Distroless: no shell, no package manager.
for prog in /bin/sh /bin/bash /usr/bin/apt-get /usr/bin/dpkg /usr/bin/env; do
  run_in_image --read-only --cap-drop ALL --entrypoint "$prog" -- -c true
  if [ "$code" != 0 ]; then ok "no $prog in the image"; else notok "$prog is in the image"; fi
done

config=$("${podman[@]}" image inspect "$image" --format '{{.Config.User}}|{{json .Config.Entrypoint}}|{{json .Config.Cmd}}|{{index .Config.Labels "org.opencontainers.image.version"}}')
if [ "$config" = "65532:65532|null|[\"headland\",\"--help\"]|$version" ]; then ok "image config: user 65532:65532, no entrypoint, cmd headland --help, version $version"; else notok "image config is $config"; fi

reproducible=null
if [ "$repro" = 1 ]; then
  if [ -z "$id" ]; then
    notok "reproducibility: no build report (build/image/headland-$version.json); run without --no-build"
  elif out=$(node scripts/image/build.mjs --no-cache 2>&1); then
    read -r id2 digest2 archive_sha2 < <(report)
    if [ "$id2" = "$id" ] && [ "$digest2" = "$digest" ] && [ "$archive_sha2" = "$archive_sha" ]; then
      reproducible=true
      ok "reproducible: a build from nothing (--no-cache) gives the same id $id, digest $digest and archive bytes"
    else
      reproducible=false
      notok "not reproducible: id $id vs $id2, digest $digest vs $digest2, archive $archive_sha vs $archive_sha2"
    fi
  else
    notok "second build (--no-cache)" "$out"
  fi
fi

status=true
[ "$failed" = 0 ] || status=false
echo "{\"ok\":$status,\"image\":\"$image\",\"id\":\"$id\",\"digest\":\"$digest\",\"reproducible\":$reproducible,\"passed\":$passed,\"failed\":$failed}"
[ "$failed" = 0 ]
