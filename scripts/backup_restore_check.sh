#!/usr/bin/env bash
# Backup/restore check: prove that a pg_dump of a database restores completely.
#
#   scripts/backup_restore_check.sh [SOURCE_URL [RESTORE_SERVER_URL]]
#
# Dumps SOURCE_URL with `pg_dump -Fc` (the format of the nightly backup), restores the dump
# into a new scratch database with the options docs/deploy.md prescribes, and compares the row
# count of every table in the public schema between source and restore. The source is counted
# in the very snapshot that pg_dump reads, so the check is valid on a live database too.
#
# SOURCE_URL          default postgres://postgres@127.0.0.1:5432/gonghui_restore_src
# RESTORE_SERVER_URL  server (any database on it) to restore on; default the source's server.
#                     The user must be allowed to create databases there.
#
# Prints "restore check ok: N tables, M rows" and exits 0, or names the differing tables and
# exits 1. The scratch database and the dump file are removed on every exit path.
# Needs psql, pg_dump, pg_restore, createdb and dropdb (PostgreSQL 15 client) on PATH.
# Passwords, if any, come from ~/.pgpass or PGPASSWORD, never from the command line.
set -euo pipefail

SRC_URL=${1:-postgres://postgres@127.0.0.1:5432/gonghui_restore_src}
SERVER_URL=${2:-$SRC_URL}

die() {
  echo "restore check FAILED: $*" >&2
  exit 1
}

for tool in psql pg_dump pg_restore createdb dropdb; do
  command -v "$tool" >/dev/null 2>&1 || die "$tool not found on PATH (install postgresql-client-15)"
done

# postgres://user@host:port/dbname?params -> same URL with another database name.
with_dbname() {
  local url=$1 name=$2 base query=""
  base=${url%%\?*}
  [[ $url == *\?* ]] && query="?${url#*\?}"
  [[ $base == */*/* ]] || die "not a database URL: $url"
  printf '%s/%s%s' "${base%/*}" "$name" "$query"
}

export PGCONNECT_TIMEOUT=${PGCONNECT_TIMEOUT:-10}

SCRATCH_DB="gh_restore_check_$(date +%Y%m%d%H%M%S)_$$_${RANDOM}"
SCRATCH_URL=$(with_dbname "$SERVER_URL" "$SCRATCH_DB")
WORKDIR=$(mktemp -d "${TMPDIR:-/tmp}/gh_restore_check.XXXXXX")
DUMP="$WORKDIR/source.dump"
scratch_created=0
snap_pid=""

cleanup() {
  local rc=$?
  set +e
  if [[ -n $snap_pid ]] && kill -0 "$snap_pid" 2>/dev/null; then
    kill "$snap_pid" 2>/dev/null
    wait "$snap_pid" 2>/dev/null
  fi
  if ((scratch_created)); then
    dropdb --no-password --if-exists --force --maintenance-db="$SERVER_URL" "$SCRATCH_DB" ||
      echo "warning: could not drop scratch database $SCRATCH_DB; drop it by hand" >&2
  fi
  rm -rf "$WORKDIR"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 141' PIPE

# One row "table|rows" per ordinary or partitioned table of the public schema, sorted by name.
COUNT_SQL="SELECT c.relname || '|' || (xpath('/row/n/text()', query_to_xml(
    format('SELECT count(*) AS n FROM %I.%I', n.nspname, c.relname), false, true, '')))[1]::text
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND NOT c.relispartition
  ORDER BY c.relname COLLATE \"C\";"
END_MARK="__gh_restore_check_end__"

PSQL=(psql --no-password -X -q -A -t -v ON_ERROR_STOP=1)
"${PSQL[@]}" "$SRC_URL" -c "SELECT 1" >/dev/null || die "cannot connect to ${SRC_URL%%\?*}"

# 1. Open a repeatable-read transaction on the source and export its snapshot, so that the
#    dump and the source counts see exactly the same rows.
coproc SNAP { exec "${PSQL[@]}" "$SRC_URL" 2>&1; }
snap_pid=$SNAP_PID
snap_in=${SNAP[1]}
snap_out=${SNAP[0]}
# The session waits idle in its transaction while pg_dump runs: lift the role's time limits.
printf '%s\n' "SET idle_in_transaction_session_timeout = 0;" "SET statement_timeout = 0;" \
  "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY;" \
  "SELECT pg_export_snapshot();" >&"$snap_in" || die "the source session ended early"
snapshot=""
IFS= read -r -t 60 snapshot <&"$snap_out" || true
[[ $snapshot =~ ^[0-9A-F]+-[0-9A-F]+-[0-9]+$ ]] ||
  die "cannot open a snapshot on the source ${SRC_URL%%\?*}: ${snapshot:-no answer}"

# 2. Dump in that snapshot.
echo "dumping ${SRC_URL%%\?*} (snapshot $snapshot)"
pg_dump --no-password --format=custom --snapshot="$snapshot" --file="$DUMP" --dbname="$SRC_URL" ||
  die "pg_dump failed"

# 3. Count the source in the same snapshot, then end the transaction.
printf '%s\n' "$COUNT_SQL" "\\echo $END_MARK" >&"$snap_in" || die "the source session ended early"
: >"$WORKDIR/source.counts"
found_end=0
while IFS= read -r line <&"$snap_out"; do
  if [[ $line == "$END_MARK" ]]; then
    found_end=1
    break
  fi
  printf '%s\n' "$line" >>"$WORKDIR/source.counts"
done
((found_end)) || die "counting rows on the source failed: $(cat "$WORKDIR/source.counts")"
printf '%s\n' "COMMIT;" "\\q" >&"$snap_in" || die "the source session ended early"
wait "$snap_pid" || die "the source session ended with an error"
snap_pid=""
grep -qv '^[^|]*|[0-9][0-9]*$' "$WORKDIR/source.counts" &&
  die "unexpected output while counting the source: $(cat "$WORKDIR/source.counts")"
[[ -s $WORKDIR/source.counts ]] || die "the source has no tables in schema public"

# 4. Restore into a fresh scratch database, exactly as docs/deploy.md restores a backup.
echo "restoring into scratch database $SCRATCH_DB"
scratch_created=1 # before createdb: a signal during createdb must still lead to the drop
createdb --no-password --maintenance-db="$SERVER_URL" "$SCRATCH_DB" || die "createdb $SCRATCH_DB failed"
pg_restore --no-password --clean --if-exists --no-owner --exit-on-error --dbname="$SCRATCH_URL" "$DUMP" ||
  die "pg_restore failed"

# 5. Count the restore and compare, table by table.
"${PSQL[@]}" "$SCRATCH_URL" -c "$COUNT_SQL" >"$WORKDIR/restore.counts" ||
  die "counting rows on the restore failed"

for side in source restore; do
  LC_ALL=C sort -t '|' -k 1,1 -o "$WORKDIR/$side.counts" "$WORKDIR/$side.counts"
done
LC_ALL=C join -t '|' -a 1 -a 2 -e missing -o 0,1.2,2.2 \
  "$WORKDIR/source.counts" "$WORKDIR/restore.counts" >"$WORKDIR/joined"
diffs=$(awk -F'|' '$2 != $3 { printf "  %s: source %s, restore %s\n", $1, $2, $3 }' \
  "$WORKDIR/joined")
if [[ -n $diffs ]]; then
  echo "restore check FAILED: row counts differ" >&2
  printf '%s\n' "$diffs" >&2
  exit 1
fi

tables=$(wc -l <"$WORKDIR/joined")
rows=$(awk -F'|' '{ s += $2 } END { print s + 0 }' "$WORKDIR/joined")
echo "restore check ok: $((tables)) tables, $rows rows"
