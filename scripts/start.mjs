#!/usr/bin/env node
// `npm start`: local D1 migrations, then `wrangler dev` on 127.0.0.1, then the bootstrap token and URLs.
// Honours PORT (8787), BOOTSTRAP_TOKEN (from .dev.vars) and STATE_DIR (.wrangler/state) so that
// several instances can run side by side.
import { spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";

const port = Number(process.env.PORT ?? 8787);
const stateDir = process.env.STATE_DIR ?? ".wrangler/state";
const inspectorPort = Number(process.env.INSPECTOR_PORT ?? port + 1000);
const quiet = { ...process.env, WRANGLER_SEND_METRICS: "false", CLOUDFLARE_CF_FETCH_ENABLED: "false" };

function ensureDevVars() {
  if (existsSync(".dev.vars")) return;
  const secret = () => randomBytes(32).toString("hex");
  const text = readFileSync(".dev.vars.example", "utf8")
    .replace(/^BOOTSTRAP_TOKEN=.*$/m, `BOOTSTRAP_TOKEN=${secret()}`)
    .replace(/^JWT_SECRET=.*$/m, `JWT_SECRET=${secret()}`)
    .replace(/^ENCRYPTION_KEY=.*$/m, `ENCRYPTION_KEY=${randomBytes(32).toString("base64")}`);
  writeFileSync(".dev.vars", text, { mode: 0o600 });
  console.log("Wrote .dev.vars with fresh random secrets.");
}

function devVar(name) {
  const match = new RegExp(`^${name}=(.*)$`, "m").exec(readFileSync(".dev.vars", "utf8"));
  return match ? match[1].trim() : undefined;
}

ensureDevVars();
const bootstrapToken = process.env.BOOTSTRAP_TOKEN || devVar("BOOTSTRAP_TOKEN");

const migrate = spawnSync("wrangler", ["d1", "migrations", "apply", "DB", "--local", "--persist-to", stateDir], {
  stdio: ["ignore", "inherit", "inherit"],
  env: quiet,
});
if (migrate.status !== 0) process.exit(migrate.status ?? 1);

const args = ["dev", "--ip", "127.0.0.1", "--port", String(port), "--persist-to", stateDir, "--inspector-port", String(inspectorPort), "--show-interactive-dev-session=false"];
if (process.env.BOOTSTRAP_TOKEN) args.push("--var", `BOOTSTRAP_TOKEN:${process.env.BOOTSTRAP_TOKEN}`);
const wrangler = spawn("wrangler", args, { stdio: ["ignore", "inherit", "inherit"], env: quiet });

// Stop wrangler itself (not only this script) so workerd does not keep the port.
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => wrangler.kill(signal));
wrangler.on("exit", (code) => process.exit(code ?? 0));

const base = `http://127.0.0.1:${port}`;
for (let i = 0; i < 240; i++) {
  await new Promise((r) => setTimeout(r, 250));
  try {
    const res = await fetch(`${base}/api/v1/health`);
    if (res.ok) {
      console.log(`
Open Alumio is running.
  API:             ${base}/api/v1
  Docs:            ${base}/docs
  OpenAPI schema:  ${base}/api/v1/schema.json
  Bootstrap token: ${bootstrapToken}
  State:           ${stateDir}

Try: curl -H "Authorization: Bearer ${bootstrapToken}" ${base}/api/v1/users/me
`);
      break;
    }
  } catch {
    // not listening yet
  }
}
