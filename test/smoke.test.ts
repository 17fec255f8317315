import { describe, expect, it } from "vitest";
import { call } from "./helpers/api";

describe("smoke", () => {
  it("answers health without a token", async () => {
    const res = await call("GET", "/health", { token: null });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: "ok" });
  });
  it("answers /users/me for the bootstrap token", async () => {
    const res = await call("GET", "/users/me");
    expect(res.status).toBe(200);
    expect(res.body.object.roles).toContain("ROLE_SYSTEM_ADMINISTRATOR");
  });
});
