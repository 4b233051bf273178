import { defineConfig } from "prisma/config";

// Used by the ordinary Prisma CLI on a connected machine (`npx prisma migrate deploy`).
// Offline, server/migrate.ts applies the same migrations through the WebAssembly schema engine.
export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  datasource: { url: process.env.DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/steelman" },
});
