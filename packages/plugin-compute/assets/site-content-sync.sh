#!/bin/bash
# site-content-sync once|loop: serve the release the site's pointer object names (installed by site's user data).
set -uo pipefail
# shellcheck source=/dev/null
. /etc/site/content.env

log() { echo "site-content: $*"; }

# The instance role's credentials, from IMDSv2.
load_credentials() {
  local token role document
  token="$(curl -sS --fail --max-time 5 -X PUT "$SITE_IMDS_ENDPOINT/latest/api/token" \
    -H 'X-aws-ec2-metadata-token-ttl-seconds: 300')" || return 1
  role="$(curl -sS --fail --max-time 5 -H "X-aws-ec2-metadata-token: $token" \
    "$SITE_IMDS_ENDPOINT/latest/meta-data/iam/security-credentials/")" || return 1
  role="$(head -n 1 <<<"$role")"
  document="$(curl -sS --fail --max-time 5 -H "X-aws-ec2-metadata-token: $token" \
    "$SITE_IMDS_ENDPOINT/latest/meta-data/iam/security-credentials/$role")" || return 1
  mapfile -t CREDENTIALS < <(python3 -c 'import json, sys
d = json.load(sys.stdin)
print(d["AccessKeyId"]); print(d["SecretAccessKey"]); print(d["Token"])' <<<"$document") || return 1
  [ "${#CREDENTIALS[@]}" -eq 3 ]
}

# s3_get KEY FILE: GET the object into FILE; prints the HTTP status. S3 wants the payload's sha256 signed with
# every SigV4 request: a GET's is that of the empty body.
s3_get() {
  curl -sS --max-time 120 --aws-sigv4 "aws:amz:$SITE_CONTENT_REGION:s3" \
    --user "${CREDENTIALS[0]}:${CREDENTIALS[1]}" -H "x-amz-security-token: ${CREDENTIALS[2]}" \
    -H 'x-amz-content-sha256: e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855' \
    -o "$2" -w '%{http_code}' "$SITE_CONTENT_ENDPOINT/$1"
}

sync_once() {
  local work status version key sha256 release actual staging previous
  load_credentials || { log "no credentials from the instance role (IMDS) yet"; return 1; }
  work="$(mktemp -d)"
  # shellcheck disable=SC2064 # expand now: the folder of this pass
  trap "rm -rf -- '$work'" RETURN
  status="$(s3_get "$SITE_CONTENT_POINTER" "$work/pointer.json")" || status=000
  [ "$status" = 200 ] || { log "cannot read s3://$SITE_CONTENT_BUCKET/$SITE_CONTENT_POINTER (HTTP $status)"; return 1; }
  read -r version key sha256 < <(python3 -c 'import json, sys
d = json.load(open(sys.argv[1]))
print(d["version"], d["key"], d["sha256"])' "$work/pointer.json" 2>/dev/null) || true
  if ! [[ "${version:-}" =~ ^[0-9a-f]{12}$ && "${key:-}" == "releases/$version.zip" && "${sha256:-}" =~ ^[0-9a-f]{64}$ ]]; then
    log "$SITE_CONTENT_POINTER is not a pointer site wrote; keeping what is served"
    return 1
  fi
  release="/var/www/releases/$version"
  previous="$(readlink /var/www/current 2>/dev/null || true)"
  [ "$previous" = "$release" ] && return 0
  if [ ! -d "$release" ]; then
    status="$(s3_get "$key" "$work/release.zip")" || status=000
    [ "$status" = 200 ] || { log "cannot download $key (HTTP $status)"; return 1; }
    actual="$(sha256sum "$work/release.zip" | cut -d ' ' -f 1)"
    if [ "$actual" != "$sha256" ]; then
      log "refusing $key: its sha256 is $actual, the pointer says $sha256; keeping what is served"
      return 1
    fi
    staging="$(mktemp -d /var/www/releases/.new.XXXXXX)"
    if ! unzip -q "$work/release.zip" -d "$staging"; then
      rm -rf -- "$staging"
      log "cannot unpack $key"
      return 1
    fi
    printf '%s' "$version" >"$staging/.site-version"
    chmod -R a+rX "$staging"
    chmod 0755 "$staging"
    mv -T "$staging" "$release"
  fi
  # The switch: one rename of a symbolic link, so a request sees the old release or the new one, never a mix.
  ln -sfn "$release" /var/www/.current.new
  mv -T /var/www/.current.new /var/www/current
  log "serving $version"
  # Keep the release just left (a request may still be reading it) and the current one.
  for dir in /var/www/releases/*/; do
    dir="${dir%/}"
    [ "$dir" = "$release" ] || [ "$dir" = "$previous" ] || rm -rf -- "$dir"
  done
  return 0
}

case "${1:-once}" in
  once) sync_once ;;
  loop)
    last=''
    while :; do
      message="$(sync_once 2>&1)"
      # Say each change once, not every poll.
      if [ -n "$message" ] && [ "$message" != "$last" ]; then echo "$message"; fi
      last="$message"
      sleep "$SITE_CONTENT_POLL_SECONDS"
    done
    ;;
  *) echo "usage: site-content-sync once|loop" >&2; exit 2 ;;
esac
