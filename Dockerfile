# Millrace in one image. Untested here (no Docker engine on the development machines).
FROM node:20-bookworm-slim
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev
COPY . .
ENV NODE_ENV=production
EXPOSE 8080 18081
CMD ["npx", "tsx", "bin/millrace.ts", "start"]
