#!/usr/bin/env bash
# A throwaway PostgreSQL server for the store's contract tests, owned by the test run. Sourced by ./test.sh:
#   start_test_postgres   initdb a cluster in a temp folder, start it on 127.0.0.1 at a free port, create the
#                         database autonet_test and export AUTONET_TEST_POSTGRES=<connection string>
#   stop_test_postgres    stop it and delete the folder
# If it cannot start, it says why and leaves AUTONET_TEST_POSTGRES unset: those tests then report as skipped.

AUTONET_PG_BIN="${AUTONET_PG_BIN:-/usr/lib/postgresql/15/bin}"
AUTONET_PG_DIR=""

# PostgreSQL refuses to run as root: run its programs as the postgres user then.
_pg_as_owner() {
    if [ "$(id -u)" -eq 0 ]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

_pg_free_port() {
    local port
    for port in $(seq $((54000 + RANDOM % 1000)) 55999); do
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
            echo "$port"
            return 0
        fi
    done
    return 1
}

start_test_postgres() {
    if [ -n "${AUTONET_TEST_POSTGRES:-}" ]; then
        return 0
    fi
    if [ ! -x "$AUTONET_PG_BIN/initdb" ]; then
        echo "autonet: no PostgreSQL at $AUTONET_PG_BIN (Debian package postgresql); its tests will be skipped" >&2
        return 1
    fi
    local port
    port="$(_pg_free_port)" || { echo "autonet: no free port for PostgreSQL; its tests will be skipped" >&2; return 1; }
    AUTONET_PG_DIR="$(mktemp -d /tmp/autonet-pg.XXXXXX)"
    chmod 755 "$AUTONET_PG_DIR"
    [ "$(id -u)" -eq 0 ] && chown postgres "$AUTONET_PG_DIR"
    local log="$AUTONET_PG_DIR/server.log"
    if ! _pg_as_owner "$AUTONET_PG_BIN/initdb" -D "$AUTONET_PG_DIR/data" -U autonet -A trust --no-sync -E UTF8 \
            >"$AUTONET_PG_DIR/initdb.log" 2>&1 \
        || ! _pg_as_owner "$AUTONET_PG_BIN/pg_ctl" -D "$AUTONET_PG_DIR/data" -l "$log" -w -t 60 start \
            -o "-c listen_addresses=127.0.0.1 -p $port -k $AUTONET_PG_DIR -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300" \
            >/dev/null 2>&1 \
        || ! _pg_as_owner "$AUTONET_PG_BIN/createdb" -h 127.0.0.1 -p "$port" -U autonet autonet_test >/dev/null 2>&1; then
        echo "autonet: could not start PostgreSQL for the tests; its tests will be skipped. Last lines of its logs:" >&2
        tail -n 5 "$AUTONET_PG_DIR/initdb.log" "$log" 2>/dev/null >&2
        stop_test_postgres
        return 1
    fi
    export AUTONET_TEST_POSTGRES="Host=127.0.0.1;Port=$port;Username=autonet;Database=autonet_test"
    echo "autonet: PostgreSQL for the tests on 127.0.0.1:$port" >&2
}

stop_test_postgres() {
    [ -n "$AUTONET_PG_DIR" ] || return 0
    if [ -f "$AUTONET_PG_DIR/data/postmaster.pid" ]; then
        _pg_as_owner "$AUTONET_PG_BIN/pg_ctl" -D "$AUTONET_PG_DIR/data" -m immediate -w stop >/dev/null 2>&1
    fi
    rm -rf "$AUTONET_PG_DIR"
    AUTONET_PG_DIR=""
}
