import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { call, createSpace, systemAdministratorToken, tokenFor, unique } from "../helpers/api";

/**
 * Every in-scope operation x every kind of caller. Allowed callers get a 2xx, everyone else a 401
 * (no token) or 403 (token, but not enough rights).
 */
type Caller = "anonymous" | "viewer" | "editor" | "administrator" | "otherAdministrator" | "systemAdministrator";
type Level = "authenticated" | "user" | "administrator" | "system";

const ALLOWED: Record<Level, Caller[]> = {
  authenticated: ["viewer", "editor", "administrator", "otherAdministrator", "systemAdministrator"],
  user: ["viewer", "editor", "administrator", "systemAdministrator"],
  administrator: ["administrator", "systemAdministrator"],
  system: ["systemAdministrator"],
};

interface Fixture {
  tokens: Record<Exclude<Caller, "anonymous">, string>;
  emails: Record<Exclude<Caller, "anonymous">, string>;
  auditId: string;
  unsyncedSpace: string;
}

interface Case {
  n: string;
  operationId: string;
  level: Level;
  /** Builds the request for one caller; each call must be independent of the others. */
  request: (f: Fixture, caller: Caller) => { method: string; path: string; body?: unknown; contentType?: string; rawBody?: string };
}

const email = () => `${unique("m")}@example.com`;
const ownTokenOf = async (token: string) => (await call("POST", "/tokens", { token, body: { name: "own" } })).body.identifier as string;
const ownFilterOf = async (token: string) =>
  (await call("POST", "/users/me/table-filters", { token, body: { tableKey: "tasks", name: "f", filter: {} } })).body.object.identifier as string;

// Resources the caller owns are created just before the call (see `prepare`).
const prepared = new Map<string, string>();
const key = (op: string, caller: Caller) => `${op}:${caller}`;

const CASES: Case[] = [
  { n: "4", operationId: "getCurrentSpaceAuditTrailItem", level: "administrator", request: (f) => ({ method: "GET", path: `/audit_trail/current_space/item/${f.auditId}` }) },
  { n: "5", operationId: "getCurrentSpaceAuditTrail", level: "administrator", request: () => ({ method: "GET", path: "/audit_trail/current_space" }) },
  { n: "6", operationId: "exportCurrentSpaceAuditTrail", level: "administrator", request: () => ({ method: "POST", path: "/audit_trail/current_space/export", contentType: "application/x-www-form-urlencoded", rawBody: "filter=%7B%22limit%22%3A5%7D" }) },
  { n: "7", operationId: "exportAuditTrail", level: "system", request: () => ({ method: "POST", path: "/audit_trail/export", contentType: "application/x-www-form-urlencoded", rawBody: "" }) },
  { n: "8", operationId: "getAuditTrailItem", level: "system", request: (f) => ({ method: "GET", path: `/audit_trail/item/${f.auditId}` }) },
  { n: "9", operationId: "getAuditTrail", level: "system", request: () => ({ method: "GET", path: "/audit_trail" }) },
  { n: "10", operationId: "retrySpaceSync", level: "system", request: (f) => ({ method: "POST", path: `/spaces/${f.unsyncedSpace}/sync` }) },
  {
    n: "11",
    operationId: "createSpace",
    level: "system",
    request: () => {
      const identifier = unique("s");
      return { method: "POST", path: "/spaces", body: { object: { identifier, name: "S", purpose: "dev" }, users: [], dataEngines: [] } };
    },
  },
  { n: "12", operationId: "upsertSpace", level: "system", request: () => ({ method: "PUT", path: "/spaces", body: { identifier: unique("s"), name: "S", purpose: "uat" } }) },
  { n: "13", operationId: "getSpace", level: "user", request: () => ({ method: "GET", path: "/spaces/default" }) },
  { n: "19", operationId: "assignSpaceUsers", level: "administrator", request: () => ({ method: "PUT", path: "/spaces/default/users", body: { users: [{ email: email(), roles: ["ROLE_USER"] }] } }) },
  { n: "20", operationId: "getSpaceUsers", level: "administrator", request: () => ({ method: "GET", path: "/spaces/default/users" }) },
  { n: "21", operationId: "createSpaceUser", level: "administrator", request: () => ({ method: "POST", path: "/spaces/default/users", body: { email: email(), roles: ["ROLE_EDITOR"] } }) },
  { n: "22", operationId: "getSpaceUser", level: "administrator", request: (f) => ({ method: "GET", path: `/spaces/default/users/${f.emails.viewer}` }) },
  { n: "23", operationId: "updateSpaceUser", level: "administrator", request: (_f, c) => ({ method: "PUT", path: `/spaces/default/users/${prepared.get(key("updateSpaceUser", c))}`, body: { email: prepared.get(key("updateSpaceUser", c)), roles: ["ROLE_EDITOR"] } }) },
  { n: "24", operationId: "deleteSpaceUser", level: "administrator", request: (_f, c) => ({ method: "DELETE", path: `/spaces/default/users/${prepared.get(key("deleteSpaceUser", c))}` }) },
  { n: "25", operationId: "getCurrentUser", level: "authenticated", request: () => ({ method: "GET", path: "/users/me" }) },
  { n: "26", operationId: "getUsers", level: "administrator", request: () => ({ method: "GET", path: "/users" }) },
  { n: "27", operationId: "createUser", level: "administrator", request: () => ({ method: "POST", path: "/users", body: { email: email(), roles: ["ROLE_USER"] } }) },
  { n: "28", operationId: "getUser", level: "administrator", request: (f) => ({ method: "GET", path: `/users/${f.emails.editor}` }) },
  { n: "29", operationId: "updateUser", level: "administrator", request: (_f, c) => ({ method: "PUT", path: `/users/${prepared.get(key("updateUser", c))}`, body: { email: prepared.get(key("updateUser", c)), roles: ["ROLE_EDITOR", "ROLE_USER"] } }) },
  { n: "30", operationId: "updateCurrentSpaceUserPreferences", level: "user", request: () => ({ method: "PUT", path: "/users/me/space-preferences", body: { updatedPreferences: { theme: "dark" } } }) },
  { n: "31", operationId: "getTableFilters", level: "authenticated", request: () => ({ method: "GET", path: "/users/me/table-filters" }) },
  { n: "32", operationId: "createTableFilter", level: "authenticated", request: () => ({ method: "POST", path: "/users/me/table-filters", body: { tableKey: "tasks", name: "mine", filter: { where: {} } } }) },
  { n: "33", operationId: "updateTableFilter", level: "authenticated", request: (_f, c) => ({ method: "PUT", path: `/users/me/table-filters/${prepared.get(key("updateTableFilter", c))}`, body: { tableKey: "tasks", name: "renamed", filter: {} } }) },
  { n: "34", operationId: "deleteTableFilter", level: "authenticated", request: (_f, c) => ({ method: "DELETE", path: `/users/me/table-filters/${prepared.get(key("deleteTableFilter", c))}` }) },
  { n: "35", operationId: "updateCurrentUserPreferences", level: "authenticated", request: () => ({ method: "PATCH", path: "/users/me/preferences", body: { updatedPreferences: { language: "nl" } } }) },
  { n: "36", operationId: "acceptTerms", level: "authenticated", request: () => ({ method: "POST", path: "/users/me/terms" }) },
  { n: "84", operationId: "getServerInfo", level: "user", request: () => ({ method: "GET", path: "/info/server" }) },
  { n: "85", operationId: "getSubscription", level: "user", request: () => ({ method: "GET", path: "/info/subscription" }) },
  { n: "86", operationId: "getEnvironmentInfo", level: "user", request: () => ({ method: "GET", path: "/info/environment" }) },
  { n: "87", operationId: "getTokens", level: "authenticated", request: () => ({ method: "GET", path: "/tokens" }) },
  { n: "88", operationId: "createToken", level: "authenticated", request: () => ({ method: "POST", path: "/tokens", body: { name: "mine" } }) },
  { n: "89", operationId: "getToken", level: "authenticated", request: (_f, c) => ({ method: "GET", path: `/tokens/${prepared.get(key("getToken", c))}` }) },
  { n: "90", operationId: "updateToken", level: "authenticated", request: (_f, c) => ({ method: "PUT", path: `/tokens/${prepared.get(key("updateToken", c))}`, body: { name: "renamed" } }) },
  { n: "91", operationId: "setUpdateCycle", level: "system", request: () => ({ method: "PUT", path: "/settings/update-cycle", body: { updateCycle: "lts" } }) },
  { n: "130", operationId: "getSystemAdministrators", level: "system", request: () => ({ method: "GET", path: "/system-administrators" }) },
  { n: "131", operationId: "createSystemAdministrator", level: "system", request: () => ({ method: "POST", path: "/system-administrators", body: { email: email(), roles: ["ROLE_SYSTEM_ADMINISTRATOR"] } }) },
  { n: "132", operationId: "getSystemAdministrator", level: "system", request: (f) => ({ method: "GET", path: `/system-administrators/${f.emails.systemAdministrator}` }) },
  { n: "133", operationId: "updateSystemAdministrator", level: "system", request: (_f, c) => ({ method: "PUT", path: `/system-administrators/${prepared.get(key("updateSystemAdministrator", c))}`, body: { email: prepared.get(key("updateSystemAdministrator", c)), roles: ["ROLE_SYSTEM_ADMINISTRATOR"] } }) },
  { n: "146", operationId: "getEnvironments", level: "authenticated", request: () => ({ method: "GET", path: "/environments" }) },
  { n: "E3", operationId: "getCapabilities", level: "authenticated", request: () => ({ method: "GET", path: "/application/capabilities" }) },
  { n: "E4", operationId: "getSpaces", level: "authenticated", request: () => ({ method: "GET", path: "/spaces" }) },
  { n: "E5", operationId: "deleteToken", level: "authenticated", request: (_f, c) => ({ method: "DELETE", path: `/tokens/${prepared.get(key("deleteToken", c))}` }) },
  { n: "E7", operationId: "deleteSystemAdministrator", level: "system", request: (_f, c) => ({ method: "DELETE", path: `/system-administrators/${prepared.get(key("deleteSystemAdministrator", c))}` }) },
  { n: "E8", operationId: "deleteUser", level: "administrator", request: (_f, c) => ({ method: "DELETE", path: `/users/${prepared.get(key("deleteUser", c))}` }) },
];

/** Creates what a caller's request needs (their own token, their own filter, a member to edit). */
async function prepare(operationId: string, caller: Caller, f: Fixture) {
  const token = caller === "anonymous" ? f.tokens.systemAdministrator : f.tokens[caller];
  const id = key(operationId, caller);
  switch (operationId) {
    case "getToken":
    case "updateToken":
    case "deleteToken":
      prepared.set(id, await ownTokenOf(token));
      break;
    case "updateTableFilter":
    case "deleteTableFilter":
      prepared.set(id, await ownFilterOf(token));
      break;
    case "updateSpaceUser":
    case "deleteSpaceUser":
    case "updateUser":
    case "deleteUser": {
      const member = email();
      await call("PUT", "/spaces/default/users", { body: { users: [{ email: member, roles: ["ROLE_USER"] }] } });
      prepared.set(id, member);
      break;
    }
    case "updateSystemAdministrator":
    case "deleteSystemAdministrator": {
      const admin = email();
      await call("POST", "/system-administrators", { body: { email: admin, roles: ["ROLE_SYSTEM_ADMINISTRATOR"] } });
      prepared.set(id, admin);
      break;
    }
  }
}

describe("access control: every in-scope operation x every kind of caller", () => {
  let fixture: Fixture;

  beforeAll(async () => {
    const other = await createSpace();
    const [viewer, editor, administrator, otherAdministrator, systemAdministrator] = await Promise.all([
      tokenFor(["ROLE_USER"]),
      tokenFor(["ROLE_EDITOR"]),
      tokenFor(["ROLE_ADMINISTRATOR"]),
      tokenFor(["ROLE_ADMINISTRATOR"], other),
      systemAdministratorToken(),
    ]);
    const tokens = { viewer: viewer.token, editor: editor.token, administrator: administrator.token, otherAdministrator: otherAdministrator.token, systemAdministrator: systemAdministrator.token };
    const emails = { viewer: viewer.email, editor: editor.email, administrator: administrator.email, otherAdministrator: otherAdministrator.email, systemAdministrator: systemAdministrator.email };
    const audit = await call("GET", "/audit_trail/current_space", { query: { filter: JSON.stringify({ limit: 1 }) } });
    const unsyncedSpace = unique("unsynced");
    await fetch(`${env.STUB_URL}/__fail-provisioning/${unsyncedSpace}`, { method: "PUT" });
    await createSpace(unsyncedSpace);
    fixture = { tokens, emails, auditId: audit.body.results[0].identifier, unsyncedSpace };
  });

  const callers: Caller[] = ["anonymous", "viewer", "editor", "administrator", "otherAdministrator", "systemAdministrator"];

  it("covers every in-scope operation once", () => {
    expect(new Set(CASES.map((c) => c.operationId)).size).toBe(CASES.length);
    expect(CASES).toHaveLength(46);
  });

  for (const op of CASES) {
    it(`${op.n} ${op.operationId} (${op.level})`, async () => {
      const outcomes: Record<string, number> = {};
      const expected: Record<string, number | string> = {};
      for (const caller of callers) {
        await prepare(op.operationId, caller, fixture);
        const req = op.request(fixture, caller);
        const res = await call(req.method, req.path, {
          token: caller === "anonymous" ? null : fixture.tokens[caller],
          body: req.body,
          rawBody: req.rawBody,
          contentType: req.contentType,
        });
        outcomes[caller] = res.status;
        expected[caller] = caller === "anonymous" ? 401 : ALLOWED[op.level].includes(caller) ? "2xx" : 403;
      }
      const actual = Object.fromEntries(Object.entries(outcomes).map(([c, s]) => [c, s >= 200 && s < 300 ? "2xx" : s]));
      expect(actual).toEqual(expected);
    });
  }
});
