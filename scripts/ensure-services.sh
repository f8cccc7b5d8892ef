#!/usr/bin/env bash
# Makes sure the local PostgreSQL and RabbitMQ the tests and the demo use are up: starts them when
# installed but stopped, installs them from Debian's packages when missing (needs root).
# Only touches 127.0.0.1 services; set SKIP_SERVICE_CHECK=1 to skip (e.g. when pointing elsewhere).
# --with-chromium also installs Debian's chromium (the test suite renders the report page in it);
# --with-promtool Debian's prometheus package, for promtool (the test suite checks the alert rules);
# --with-compose Debian's docker-compose when no `docker compose` plugin is there (the test suite checks
# docker-compose.yml with its `config`; nothing is built or run).
set -euo pipefail
[ "${SKIP_SERVICE_CHECK:-}" = "1" ] && exit 0
ARGS=("$@")

say() { echo "[services] $*" >&2; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && exec 3>&- 3<&-; }
wait_port() { for _ in $(seq 1 "${2:-60}"); do port_open "$1" && return 0; sleep 1; done; return 1; }
apt_updated=""
apt_install() {
  [ -n "$apt_updated" ] || { as_root apt-get update -qq; apt_updated=1; }
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

if ! port_open 5432; then
  if ! ls /etc/postgresql/*/main >/dev/null 2>&1; then
    say "PostgreSQL not installed: installing from Debian's packages"
    apt_install postgresql
    ver=$(ls /etc/postgresql | head -n1)
    # trust auth on loopback, as the tests and the demo expect (local development only)
    as_root sed -i -E 's/^(host\s+all\s+all\s+127\.0\.0\.1\/32\s+)\S+/\1trust/; s/^(local\s+all\s+postgres\s+)\S+/\1trust/' \
      "/etc/postgresql/$ver/main/pg_hba.conf"
    # the package may have started the cluster already, with the old rules: make it read the new ones
    as_root pg_ctlcluster --skip-systemctl-redirect "$ver" main reload >/dev/null 2>&1 || true
  fi
  ver=$(ls /etc/postgresql | head -n1)
  say "starting PostgreSQL $ver"
  as_root pg_ctlcluster --skip-systemctl-redirect "$ver" main start || true
  wait_port 5432 60 || { say "PostgreSQL did not come up on 127.0.0.1:5432"; exit 1; }
fi

if ! port_open 5672; then
  if ! command -v rabbitmq-server >/dev/null 2>&1; then
    say "RabbitMQ not installed: installing from Debian's packages"
    apt_install rabbitmq-server
  fi
  say "starting RabbitMQ"
  as_root rabbitmq-server -detached || true
  wait_port 5672 120 || { say "RabbitMQ did not come up on 127.0.0.1:5672"; exit 1; }
  # the AMQP port opens before the node is fully booted
  as_root rabbitmqctl await_startup >/dev/null 2>&1 || true
fi

want() { case " ${ARGS[*]:-} " in *" $1 "*) return 0 ;; *) return 1 ;; esac; }
if want --with-chromium && [ ! -x /usr/bin/chromium ]; then
  say "Chromium not installed (the report page is tested in it): installing Debian's chromium"
  apt_install chromium
fi

if want --with-promtool && ! command -v promtool >/dev/null 2>&1; then
  say "promtool not installed (the alert rules are tested with it): installing Debian's prometheus"
  apt_install --no-install-recommends prometheus
fi

if want --with-compose && ! docker compose version >/dev/null 2>&1 && ! command -v docker-compose >/dev/null 2>&1; then
  say "no docker compose (docker-compose.yml is checked with it): installing Debian's docker-compose"
  apt_install --no-install-recommends docker-compose
fi
