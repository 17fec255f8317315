import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import pkg from "../../package.json";
import { call, createSpace, expectProblem, tokenFor } from "../helpers/api";

describe("info and settings", () => {
  it("server info derives its URLs from the request origin", async () => {
    const res = await call("GET", "/info/server");
    expect(res.body).toEqual({ ipAddress: "", oauth2RedirectUrl: "http://localhost/api/v1/oauth/callback", apiUrl: "http://localhost/api/v1" });
  });

  it("subscription: open source edition, the package version, URLs from the origin", async () => {
    const res = await call("GET", "/info/subscription");
    expect(res.body).toMatchObject({
      edition: "open source",
      version: pkg.version,
      queueEnabled: true,
      openApiSchema: "http://localhost/api/v1/schema.json",
      webHookUrl: "http://localhost/api/v1/webhook",
      httpProxyUrl: "http://localhost/api/v1/http-proxy",
      swaggerDocsUrl: "http://localhost/docs",
      oauth1CallbackUrl: "http://localhost/api/v1/oauth1/callback",
    });
  });

  it("environment: the real D1 size, R2 usage and the space's workers", async () => {
    const space = await createSpace();
    const before = (await call("GET", "/info/environment", { query: { space } })).body;
    expect(before.dataEngines.numberOfWorkers).toBe(1);
    expect(before.usage.databaseSizeBytes).toBeGreaterThan(4096);
    await env.FILES.put(`test/info-${space}`, "x".repeat(5000));
    const after = (await call("GET", "/info/environment", { query: { space } })).body;
    expect(after.usage.filesystemSizeBytes - before.usage.filesystemSizeBytes).toBe(5000);
  });

  it("update cycle accepts latest or lts only", async () => {
    expect((await call("PUT", "/settings/update-cycle", { body: { updateCycle: "lts" } })).body).toEqual({ updateCycle: "lts" });
    expect(expectProblem(await call("PUT", "/settings/update-cycle", { body: { updateCycle: "nightly" } }), 400).violations[0].propertyPath).toBe("updateCycle");
  });

  it("environments are the spaces the caller can use; capabilities say what is configured", async () => {
    const space = await createSpace();
    const user = await tokenFor(["ROLE_USER"], space);
    const envs = await call("GET", "/environments", { token: user.token });
    expect(envs.body.results).toEqual([{ environment: { identifier: space, name: space, code: space, type: "test", prototype: "space" } }]);
    const caps = await call("GET", "/application/capabilities", { token: user.token });
    expect(caps.body.capabilities).toMatchObject({ ai: false, spaceProvisioning: true, queue: true });
  });
});
