# Hearth API image. Build: docker build -t hearth-api .
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json nest-cli.json ./
COPY apps ./apps
COPY libs ./libs
RUN npm run build && npm prune --omit=dev

FROM node:24-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# The built web client (the API serves it, with its CSP).
COPY --from=build /app/apps/web/dist ./apps/web/dist
COPY package.json ./
# The embedded database (if used) lives here; with DATABASE_URL it stays empty.
RUN mkdir -p /data && chown node:node /data
ENV DATA_DIR=/data HUB_LISTEN_HOST=0.0.0.0
USER node
EXPOSE 3000
CMD ["node", "dist/apps/api/src/main.js"]
