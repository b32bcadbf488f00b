# paperboy in a container: a build stage compiles the TypeScript (npm run build), the runtime stage holds only
# production dependencies and dist/, runs as the unprivileged `node` user and keeps its database in the data/
# volume. Not built on the development machines (no Docker engine or base-image registry there): docs/deploy.md.

FROM node:20-slim AS build
WORKDIR /app
# better-sqlite3 installs a prebuilt binary for linux x64 / arm64; the toolchain is the fallback when none fits.
RUN apt-get update \
  && apt-get install -y --no-install-recommends python3 make g++ \
  && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci
COPY tsconfig.json tsconfig.build.json ./
COPY scripts ./scripts
COPY commands ./commands
COPY src ./src
COPY data/builtin-papers.txt data/known-words.txt.gz ./data/
RUN npm run build && npm prune --omit=dev

FROM node:20-slim
# HEALTH_HOST defaults to 127.0.0.1: in a container the orchestrator probes from outside, so every interface.
ENV NODE_ENV=production \
  PAPERBOY_DB=/app/data/paperboy.db \
  HEALTH_PORT=8080 \
  HEALTH_HOST=0.0.0.0 \
  LOG_FORMAT=json
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
RUN mkdir -p /app/data && chown node:node /app/data
USER node
VOLUME ["/app/data"]
# 8080: /healthz, /readyz, /metrics. 3000: Slack HTTP mode (SLACK_SIGNING_SECRET), behind a TLS proxy.
EXPOSE 8080 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=120s --retries=3 \
  CMD ["node", "-e", "fetch(`http://127.0.0.1:${process.env.HEALTH_PORT}/healthz`).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# SIGTERM runs the bounded shutdown (exit within 5 s, forced at 10 s): the default 10 s stop timeout is enough.
STOPSIGNAL SIGTERM
CMD ["node", "--enable-source-maps", "dist/src/main.js"]
