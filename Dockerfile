# Legwork: a small image that runs the bot with long polling. Data (SQLite) lives in /app/var.
#   docker build -t legwork .
#   docker run --env-file .env -v legwork-data:/app/var legwork
FROM python:3.11-slim AS build
WORKDIR /src
COPY pyproject.toml constraints.txt README.md ./
COPY bot ./bot
# Wheels only (no compilers in the image); dev tools stay out.
RUN pip install --no-cache-dir --prefix=/install -c constraints.txt .

FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 DATA_DIR=/app/var CONTENT_DIR=/app/data
COPY --from=build /install /usr/local
RUN useradd --create-home --uid 10001 legwork && mkdir -p /app/var && chown legwork /app/var
WORKDIR /app
COPY data ./data
USER legwork
VOLUME ["/app/var"]
ENTRYPOINT ["python", "-m", "bot"]
