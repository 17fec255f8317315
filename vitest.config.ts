import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";

export default defineConfig(async () => {
  const migrations = await readD1Migrations("./migrations");
  return {
    plugins: [
      cloudflareTest(({ inject }) => ({
        wrangler: { configPath: "./wrangler.jsonc" },
        miniflare: {
          bindings: {
            TEST_MIGRATIONS: migrations,
            STUB_URL: inject("stubUrl"),
            PROVISIONING_WEBHOOK_URL: `${inject("stubUrl")}/provisioning`,
            PROVISIONING_WEBHOOK_SECRET: "test-provisioning-secret",
            BOOTSTRAP_TOKEN: "test-bootstrap-token",
            JWT_SECRET: "test-jwt-secret-0123456789abcdef0123456789",
            ENCRYPTION_KEY: "dGVzdC1lbmNyeXB0aW9uLWtleS0wMTIzNDU2Nzg5YWI=",
            ALLOW_PRIVATE_NETWORK: "true",
          },
        },
      })),
    ],
    test: {
      include: ["test/**/*.test.ts"],
      setupFiles: ["./test/apply-migrations.ts"],
      globalSetup: ["./test/global-setup.ts"],
      // Two cores run every file's workerd at once: heavy tests (1,200 R2 writes) need headroom.
      testTimeout: 30_000,
      hookTimeout: 30_000,
    },
  };
});
