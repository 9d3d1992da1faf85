# The Webex Contact Center mock server in a container: one process (waitress, threads), non-root, healthy by /health.
#
#   docker build -t wxcc-mockserver .
#   docker run --rm -p 5000:5000 wxcc-mockserver
#
# Build arguments:
#   BASE_IMAGE  any Debian-like image with python3 (>= 3.11) and its venv module
#   WHEELS      a directory inside the build context holding wheels of the package and all its dependencies
#               (`pip wheel --wheel-dir wheels .`); pip then installs from it alone, with no index
#   INDEX_URL   another package index (a mirror) when WHEELS is not given
#   CA_BUNDLE   a PEM file inside the build context that pip trusts (a TLS-intercepting proxy's CA)
ARG BASE_IMAGE=python:3.12-slim

FROM ${BASE_IMAGE} AS build
ARG WHEELS=
ARG INDEX_URL=
ARG CA_BUNDLE=
COPY . /src
# Index and CA go through the environment so that pip's build-isolation subprocess sees them too.
RUN set -eu; \
    python3 -m venv /opt/mockserver; \
    if [ -n "$INDEX_URL" ]; then export PIP_INDEX_URL="$INDEX_URL"; fi; \
    if [ -n "$CA_BUNDLE" ]; then export PIP_CERT="/src/$CA_BUNDLE"; fi; \
    if [ -n "$WHEELS" ]; then \
        /opt/mockserver/bin/pip install --no-cache-dir --no-index --find-links "/src/$WHEELS" wxcc-mockserver; \
    else \
        /opt/mockserver/bin/pip install --no-cache-dir /src; \
    fi; \
    /opt/mockserver/bin/mockserver config > /dev/null

FROM ${BASE_IMAGE}
RUN groupadd --system --gid 10001 mockserver \
    && useradd --system --uid 10001 --gid mockserver --home-dir /srv/mockserver --no-create-home \
       --shell /usr/sbin/nologin mockserver \
    && mkdir -p /srv/mockserver/data \
    && chown mockserver:mockserver /srv/mockserver/data
COPY --from=build /opt/mockserver /opt/mockserver
COPY fixtures /srv/mockserver/fixtures
# Configuration is by environment (`mockserver config` lists every MOCKSERVER_* setting). For state that
# survives restarts, mount a volume on /srv/mockserver/data and set MOCKSERVER_STORAGE and MOCKSERVER_SIGNING_KEY
# to files in it.
ENV PATH=/opt/mockserver/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    MOCKSERVER_HOST=0.0.0.0 \
    MOCKSERVER_PORT=5000 \
    MOCKSERVER_FIXTURES=/srv/mockserver/fixtures
WORKDIR /srv/mockserver
USER mockserver
EXPOSE 5000
# No curl in slim images: Python asks /health on whatever port MOCKSERVER_PORT says.
HEALTHCHECK --interval=10s --timeout=3s --start-period=10s --retries=3 \
    CMD ["python3", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/health' % os.environ.get('MOCKSERVER_PORT', '5000'), timeout=2)"]
CMD ["mockserver", "serve"]
