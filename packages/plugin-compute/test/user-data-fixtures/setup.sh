#!/bin/bash
# A user's own instance.userDataFile: no download, a page of its own.
set -euo pipefail
dnf install -y httpd
mkdir -p /var/www/html
cat >/var/www/html/index.html <<'HTML'
<!doctype html>
<title>Barista Cafe</title>
<h1>Opening soon</h1>
HTML
systemctl enable --now httpd
