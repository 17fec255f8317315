import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";

/** `npm run bench:engine`: benchmarks that run inside workerd, kept out of `npm test`. */
export default defineConfig(async () => ({
  plugins: [
    cloudflareTest({
      wrangler: { configPath: "./wrangler.jsonc" },
      miniflare: { bindings: { TEST_MIGRATIONS: await readD1Migrations("./migrations"), STUB_URL: "http://127.0.0.1:9", ALLOW_PRIVATE_NETWORK: "true" } },
    }),
  ],
  test: { include: ["bench/**/*.test.ts"], testTimeout: 300_000 },
}));
