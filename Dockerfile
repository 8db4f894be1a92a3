# syntax=docker/dockerfile:1
# The bot as a container: built from the npm registry and Debian packages only (no prebuilt binaries from
# elsewhere: better-sqlite3 is compiled here, Prisma needs no downloaded engine), run as a non-root user.
#   docker build -t engage-bot .
#   docker compose up        (with PostgreSQL and Redis, see compose.yaml)

FROM node:22-bookworm-slim AS build
WORKDIR /app
# Native addons (better-sqlite3) from source, against the headers this Node image ships with.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
ENV npm_config_build_from_source=true \
    npm_config_nodedir=/usr/local \
    npm_config_update_notifier=false
COPY package.json package-lock.json ./
# Dependencies first (a layer that changes only with the lock file); scripts run after the sources are in.
RUN npm ci --ignore-scripts --no-audit --no-fund && npm rebuild better-sqlite3
COPY tsconfig.json tsconfig.build.json ./
COPY prisma ./prisma
COPY scripts ./scripts
COPY src ./src
COPY adapters ./adapters
COPY commands ./commands
# Prisma clients, then tsc to dist/; then only what runs is kept.
RUN node scripts/generate.mjs && node scripts/build.mjs && npm prune --omit=dev --no-audit --no-fund

FROM node:22-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production \
    DATABASE_URL=file:/app/data/engage.db \
    PORT=3000 \
    LOG_FORMAT=json
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# Migrations are applied at start from here.
COPY --from=build /app/prisma ./prisma
RUN mkdir -p /app/data && chown node:node /app/data
USER node
VOLUME ["/app/data"]
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# docker stop sends SIGTERM to node (PID 1, which handles it): the bot stops cleanly within STOP_TIMEOUT_S.
STOPSIGNAL SIGTERM
CMD ["node", "dist/src/main.js"]
