# Two stages: the build stage compiles src/ with tsc (a dev dependency); the image holds only dist/, the folders
# the code reads at run time, and the production dependencies. No tsx, no TypeScript, no dev dependencies.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY scripts/copy-build-assets.mjs ./scripts/
COPY src ./src
RUN npm run build

FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
COPY bin ./bin
COPY views ./views
COPY templates ./templates
COPY locales ./locales
COPY public ./public
# The image runs as the unprivileged `node` user of the base image; DATA_DIR (embedded database) must be writable.
RUN mkdir -p /app/data && chown node:node /app/data
USER node
EXPOSE 3000
# `web` and `worker` are the same image with another command: `node dist/main.js web|worker` (see the README).
# No HEALTHCHECK here: the worker serves no HTTP. The web process answers GET /healthz and /readyz.
CMD ["node", "dist/main.js", "serve"]
