import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";

/** `npm run bench:engine`: benchmarks that run inside workerd, kept out of `npm test`. */
export default defineConfig(async () => ({
  plugins: [
    cloudflareTest({
      wrangler: { configPath: "./wrangler.jsonc" },
      miniflare: {
        bindings: {
          TEST_MIGRATIONS: await readD1Migrations("./migrations"),
          STUB_URL: "http://127.0.0.1:9",
          ALLOW_PRIVATE_NETWORK: "true",
          BOOTSTRAP_TOKEN: "bench-bootstrap-token",
          JWT_SECRET: "bench-jwt-secret-0123456789abcdef0123456789",
          ENCRYPTION_KEY: "YmVuY2gtZW5jcnlwdGlvbi1rZXktMDEyMzQ1Njc4OWE=",
        },
      },
    }),
  ],
  test: { include: ["bench/**/*.test.ts"], setupFiles: ["./test/apply-migrations.ts"], testTimeout: 300_000 },
}));
