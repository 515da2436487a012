import type { TestProject } from "vitest/node";
import { runMigrations } from "../../app/lib/migrate.server";
import { createTestDatabase, type TestDatabase } from "./test-database";

declare module "vitest" {
  export interface ProvidedContext {
    databaseUrl: string;
  }
}

let database: TestDatabase | undefined;

export async function setup(project: TestProject) {
  database = await createTestDatabase("integration");
  await runMigrations(database.url);
  process.stdout.write(`Integration tests use ${database.description}\n`);
  project.provide("databaseUrl", database.url);
}

export async function teardown() {
  await database?.dispose();
}
