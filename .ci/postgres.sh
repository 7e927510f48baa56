# Throwaway PostgreSQL cluster for the tests (sourced by .ci/run; usable by hand too):
#
#   source .ci/postgres.sh && pg_throwaway_start && .venv/bin/pytest tests/integration/test_postgres.py
#   pg_throwaway_stop
#
# pg_throwaway_start installs the Debian `postgresql` package when no server binaries are found and we
# are root, creates a cluster in a temporary directory (initdb; as the `postgres` system user when run
# as root, since the server refuses to run as root), starts it on 127.0.0.1 on a free port with a
# password for the superuser, and exports BUDGET_PG_HOST/PORT/USER/PASSWORD/DBNAME as
# dbt_project/profiles.yml (target `postgres`) reads them. pg_throwaway_stop stops it and deletes it.
# Both return 0 on failure too (a warning): the tests that need the server skip with a message.

pg_throwaway_bindir() {
    local dir
    for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
        [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ] && { echo "$dir"; return 0; }
    done
    command -v initdb >/dev/null && command -v pg_ctl >/dev/null && { dirname "$(command -v initdb)"; return 0; }
    return 1
}

pg_throwaway_start() {
    local bindir
    if ! bindir=$(pg_throwaway_bindir); then
        if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
            echo "== installing postgresql (apt-get)"
            (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null) \
                || { echo "warning: could not install postgresql; the postgres tests will skip" >&2; return 0; }
        fi
        bindir=$(pg_throwaway_bindir) || { echo "warning: no PostgreSQL server binaries" >&2; return 0; }
    fi
    PG_THROWAWAY_DIR=$(mktemp -d /tmp/budget-pg.XXXXXX)
    local run_as=()
    if [ "$(id -u)" = 0 ]; then
        id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
        chown postgres "$PG_THROWAWAY_DIR"
        run_as=(runuser -u postgres --)
    fi
    local port password
    port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    password="ci-$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')"
    printf '%s\n' "$password" > "$PG_THROWAWAY_DIR/pwfile"
    [ ${#run_as[@]} -gt 0 ] && chown postgres "$PG_THROWAWAY_DIR/pwfile"
    if ! "${run_as[@]}" "$bindir/initdb" -D "$PG_THROWAWAY_DIR/data" -U budget --pwfile="$PG_THROWAWAY_DIR/pwfile" \
            --auth-local=trust --auth-host=scram-sha-256 -E UTF8 --locale=C.UTF-8 >"$PG_THROWAWAY_DIR/initdb.log" 2>&1; then
        echo "warning: initdb failed (see $PG_THROWAWAY_DIR/initdb.log); the postgres tests will skip" >&2
        return 0
    fi
    if ! "${run_as[@]}" "$bindir/pg_ctl" -D "$PG_THROWAWAY_DIR/data" -l "$PG_THROWAWAY_DIR/server.log" -w \
            -o "-h 127.0.0.1 -p $port -k $PG_THROWAWAY_DIR -c fsync=off -c synchronous_commit=off" start >/dev/null; then
        echo "warning: the PostgreSQL server did not start (see $PG_THROWAWAY_DIR/server.log)" >&2
        return 0
    fi
    export PG_THROWAWAY_DIR PG_THROWAWAY_BINDIR="$bindir"
    if ! "${run_as[@]}" "$bindir/createdb" -h "$PG_THROWAWAY_DIR" -p "$port" -U budget budget; then
        echo "warning: createdb failed; the postgres tests will skip" >&2
        return 0
    fi
    export BUDGET_PG_HOST=127.0.0.1 BUDGET_PG_PORT="$port" BUDGET_PG_USER=budget \
        BUDGET_PG_PASSWORD="$password" BUDGET_PG_DBNAME=budget
    echo "== throwaway PostgreSQL $("$bindir/postgres" --version | awk '{print $3}') on 127.0.0.1:$port ($PG_THROWAWAY_DIR)"
}

pg_throwaway_stop() {
    [ -n "${PG_THROWAWAY_DIR:-}" ] && [ -d "$PG_THROWAWAY_DIR" ] || return 0
    local run_as=()
    [ "$(id -u)" = 0 ] && run_as=(runuser -u postgres --)
    if [ -f "$PG_THROWAWAY_DIR/data/postmaster.pid" ]; then
        "${run_as[@]}" "$PG_THROWAWAY_BINDIR/pg_ctl" -D "$PG_THROWAWAY_DIR/data" -m immediate -w stop >/dev/null 2>&1 \
            || echo "warning: could not stop the PostgreSQL server in $PG_THROWAWAY_DIR" >&2
    fi
    rm -rf "$PG_THROWAWAY_DIR"
    unset PG_THROWAWAY_DIR
}
