# Legwork: a small image that runs the bot with long polling. Data (SQLite) lives in /app/var.
#   cp .env.example .env        # then set TELEGRAM_BOT_TOKEN in .env
#   docker build -t legwork .
#   docker run --env-file .env -v legwork-data:/app/var legwork
# Pinned by version tag: a rebuild gets the same Python and Debian release.
ARG PYTHON_IMAGE=python:3.11.11-slim-bookworm

FROM ${PYTHON_IMAGE} AS build
WORKDIR /src
# Dependencies first, in their own layer: a code change does not reinstall them. The runtime
# dependencies come from pyproject.toml, pinned by constraints.txt; dev tools stay out.
COPY pyproject.toml constraints.txt ./
RUN python -c "import tomllib; print(*tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies'], sep='\n')" \
        > requirements.txt \
    && pip install --no-cache-dir --prefix=/install --only-binary=:all: \
        -c constraints.txt -r requirements.txt
COPY README.md ./
COPY bot ./bot
RUN pip install --no-cache-dir --prefix=/install --no-deps .

FROM ${PYTHON_IMAGE}
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 DATA_DIR=/app/var
COPY --from=build /install /usr/local
RUN useradd --create-home --uid 10001 legwork && mkdir -p /app/var && chown legwork /app/var
WORKDIR /app
# The content store is found as ./data (CONTENT_DIR overrides it).
COPY data ./data
USER legwork
VOLUME ["/app/var"]
# No HEALTHCHECK: a long-polling bot serves no port to probe, and "the process is alive" is
# what Docker already knows. Failures stop the process with one line and a non-zero exit code,
# so run it with a restart policy (docker run --restart unless-stopped ...).
ENTRYPOINT ["python", "-m", "bot"]
