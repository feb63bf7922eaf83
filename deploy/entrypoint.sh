#!/bin/sh
# Start one replica: Streamlit on 0.0.0.0:$PORT serving the read-only database at $JSNA_DB.
# Extra arguments go to `streamlit run` (e.g. --server.baseUrlPath jsna).
set -eu

: "${JSNA_DB:=/app/data/jsna.duckdb}"
: "${PORT:=8501}"
: "${ADDRESS:=0.0.0.0}"

if [ ! -f "$JSNA_DB" ]; then
    echo "jsna-entrypoint: no database at $JSNA_DB (build the image with the source context)" >&2
    exit 1
fi
# Replicas behind one load balancer should sign cookies with one secret, so a reader moved to
# another replica (one was stopped) keeps a valid XSRF cookie for downloads and uploads.
if [ -z "${STREAMLIT_SERVER_COOKIE_SECRET:-}" ]; then
    echo "jsna-entrypoint: STREAMLIT_SERVER_COOKIE_SECRET is unset; set one value for every replica" >&2
fi

export JSNA_DB
cd "$(dirname "$0")/.."  # the project root: app.py, pages/, .streamlit/
exec streamlit run app.py \
    --server.address "$ADDRESS" \
    --server.port "$PORT" \
    --server.headless true \
    --server.fileWatcherType none \
    --browser.gatherUsageStats false \
    "$@"
