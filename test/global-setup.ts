import type { TestProject } from "vitest/node";
import { startStubServer } from "./stub-server";

declare module "vitest" {
  export interface ProvidedContext {
    stubUrl: string;
  }
}

export default async function setup(project: TestProject) {
  const { url, server } = await startStubServer();
  project.provide("stubUrl", url);
  return () => new Promise<void>((resolve) => server.close(() => resolve()));
}
