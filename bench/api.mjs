#!/usr/bin/env node
// `npm run bench:api`: starts the API on a fresh local state, then drives it with autocannon for
// DURATION seconds per endpoint on 127.0.0.1 and prints req/s, p50/p99 latency and each
// endpoint's ratio to the unauthenticated no-op. Target: GET /users/me >= 0.6x the no-op.
import autocannon from "autocannon";
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const port = Number(process.env.BENCH_PORT ?? 8899);
const duration = Number(process.env.DURATION ?? 10);
const connections = Number(process.env.CONNECTIONS ?? 10);
const stateDir = mkdtempSync(join(tmpdir(), "open-alumio-bench-"));
const bootstrap = `bench-${Math.random().toString(36).slice(2)}`;
const base = `http://127.0.0.1:${port}`;

const server = spawn("node", ["scripts/start.mjs"], {
  env: { ...process.env, PORT: String(port), STATE_DIR: stateDir, BOOTSTRAP_TOKEN: bootstrap, INSPECTOR_PORT: String(port + 1) },
  stdio: ["ignore", "pipe", "inherit"],
});
server.stdout.resume();
const stop = () => {
  server.kill("SIGTERM");
  rmSync(stateDir, { recursive: true, force: true });
};
process.on("exit", stop);

async function waitReady() {
  for (let i = 0; i < 240; i++) {
    try {
      if ((await fetch(`${base}/api/v1/health`)).ok) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error("the server did not start");
}

async function api(method, path, body, token = bootstrap) {
  const res = await fetch(`${base}/api/v1${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: body && JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  return res.json();
}

function run(title, path, headers = {}) {
  return new Promise((resolve, reject) => {
    autocannon({ url: `${base}${path}`, duration, connections, headers }, (err, result) => {
      if (err) return reject(err);
      if (result.non2xx > 0) return reject(new Error(`${title}: ${result.non2xx} non-2xx answers`));
      resolve({ title, rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99 });
    });
  });
}

await waitReady();
// A real user (administrator of the default space) with a real API token, and some audit entries.
const email = "bench@example.com";
await api("PUT", "/spaces/default/users", { users: [{ email, roles: ["ROLE_ADMINISTRATOR"] }] });
const { access_token: token } = await api("POST", "/tokens", { name: "bench", user: email });
for (let i = 0; i < 200; i++) await api("POST", "/users/me/table-filters", { tableKey: "tasks", name: `f${i}`, filter: {} }, token);
const auth = { authorization: `Bearer ${token}` };
const filter = encodeURIComponent(JSON.stringify({ where: { category: "Users" }, order: "createdAt desc", limit: 50 }));

const results = [];
results.push(await run("GET /api/v1/health (no-op)", "/api/v1/health"));
results.push(await run("GET /api/v1/users/me", "/api/v1/users/me", auth));
results.push(await run("GET /api/v1/audit_trail/current_space?filter=...", `/api/v1/audit_trail/current_space?filter=${filter}`, auth));

const noop = results[0].rps;
console.log(`\n${duration}s per endpoint, ${connections} connections, 127.0.0.1:${port}\n`);
console.log("endpoint".padEnd(52), "req/s".padStart(9), "p50 ms".padStart(8), "p99 ms".padStart(8), "ratio".padStart(7));
for (const r of results) {
  console.log(r.title.padEnd(52), r.rps.toFixed(0).padStart(9), String(r.p50).padStart(8), String(r.p99).padStart(8), (r.rps / noop).toFixed(2).padStart(7));
}
const me = results[1].rps / noop;
console.log(`\nGET /users/me is ${me.toFixed(2)}x the no-op (target >= 0.60): ${me >= 0.6 ? "met" : "NOT met"}`);
stop();
process.exit(0);
