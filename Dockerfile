# The API for production: connects to PostgreSQL through DATABASE_URL (and, for the migrations
# at start, MIGRATION_DATABASE_URL); see the README, "Running in a container". Three stages:
# the build with every dependency, the runtime dependencies alone (`npm ci --omit=dev`), and
# the final image with only those and the compiled code, run as an unprivileged user.
# Secrets (keys, database passwords) are given when the container runs, never built in.
ARG NODE_IMAGE=node:20-bookworm-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY migrations ./migrations
RUN npm run build

FROM ${NODE_IMAGE} AS runtime-dependencies
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

FROM ${NODE_IMAGE}
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=4000 \
    DATA_DIR=/var/lib/toptrajecten
WORKDIR /app
COPY --from=runtime-dependencies /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
# The reference dashboard page's files (served only with DASHBOARD_PAGE=true in production).
COPY src/modules/dashboards/page ./src/modules/dashboards/page
# DATA_DIR holds the signed audit checkpoints (AUDIT_CHECKPOINT_FILE): keep it on a volume.
RUN mkdir -p /var/lib/toptrajecten && chown 1000:1000 /var/lib/toptrajecten
VOLUME ["/var/lib/toptrajecten"]
# The node image's unprivileged user `node`, by number (Kubernetes' runAsNonRoot checks it).
USER 1000:1000
EXPOSE 4000
# Ready: the database answers and the process is not shutting down (GET /readyz).
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 4000) + '/readyz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "dist/src/main.js"]
