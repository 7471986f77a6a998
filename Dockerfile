# The Event Monitor app server (docs/deployment.md). Multi-stage, runs as the unprivileged `node`
# user, starts server.mjs directly (not `npm start`, which would start an embedded database).
# Not built on the development machine (it has no container engine); kept minimal and standard.
#
#   docker build -t event-monitor .
#   docker run -p 3000:3000 -e MONGODB_URI=... -e BETTER_AUTH_SECRET=... -e APP_URL=https://... event-monitor

FROM node:20-bookworm-slim AS build
WORKDIR /app
ENV NX_DAEMON=false NX_NO_CLOUD=true NX_TUI=false NEXT_TELEMETRY_DISABLED=1
COPY . .
RUN npm ci --no-audit --no-fund \
 && npx nx run @event-monitor/web:build --outputStyle=static

FROM node:20-bookworm-slim AS runtime
WORKDIR /app
ENV NODE_ENV=production NEXT_TELEMETRY_DISABLED=1 PORT=3000
# server.mjs loads the host (TypeScript over libs/*) through tsx, so the sources of the libs and the
# full node_modules come along (tsx is a devDependency: see docs/deployment.md, "Image").
COPY --from=build --chown=node:node /app/package.json /app/package-lock.json /app/tsconfig.base.json /app/tsconfig.json ./
COPY --from=build --chown=node:node /app/node_modules ./node_modules
COPY --from=build --chown=node:node /app/libs ./libs
COPY --from=build --chown=node:node /app/apps/web ./apps/web
USER node
EXPOSE 3000
HEALTHCHECK --interval=10s --timeout=3s --start-period=60s CMD node -e "fetch('http://127.0.0.1:'+process.env.PORT+'/api/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
# SIGTERM drains (SHUTDOWN_DELAY_SECONDS, then in-flight requests finish); node is PID 1 here, and
# server.mjs handles SIGTERM and SIGINT itself.
CMD ["sh", "-c", "exec node apps/web/server.mjs -p \"$PORT\" -H 0.0.0.0"]
