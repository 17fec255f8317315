declare namespace Cloudflare {
  interface Env {
    TEST_MIGRATIONS: import("cloudflare:test").D1Migration[];
    /** Base URL of the local stub server (test/stub-server.ts). */
    STUB_URL: string;
  }
}
