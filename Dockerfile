# syntax=docker/dockerfile:1
# Escalations: one image for both roles (`worker` and `api`), chosen by the command.
#   docker build -t escalations:0.1.0 .
#   docker run escalations:0.1.0 node dist/src/main.js worker
# The workflow bundle is built when the worker starts, from the TypeScript sources in src/workflows,
# so the runtime image keeps src/ and the production node_modules (webpack and swc come with @temporalio/worker).

FROM node:20.19.5-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
COPY . .
RUN npm run build

FROM node:20.19.5-bookworm-slim AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev && npm cache clean --force
COPY --from=build /app/dist ./dist
COPY --from=build /app/src ./src
COPY --from=build /app/config ./config
COPY --from=build /app/templates ./templates
# DATA_DIR (embedded store / dev server state) is unused when DATABASE_URL and TEMPORAL_ADDRESS are set,
# but it must be writable by the unprivileged user in case anything is written there.
RUN mkdir -p /app/data && chown node:node /app/data
USER node
EXPOSE 3000
CMD ["node", "dist/src/main.js", "api"]
