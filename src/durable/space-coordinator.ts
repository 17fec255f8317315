import { DurableObject } from "cloudflare:workers";

/** One per space: hands out worker leases to queue processes (filled in by the pipeline). */
export class SpaceCoordinator extends DurableObject<Env> {}
