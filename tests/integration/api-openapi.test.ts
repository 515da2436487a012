import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { buildOpenApiDocument } from "~/lib/api/openapi.server";
import { apiOperations } from "~/lib/api/registry.server";
import { loader } from "~/routes/api.v1.openapi[.]json";

const routesDir = path.resolve("app/routes");

describe("/api/v1/openapi.json", () => {
  it("is an OpenAPI 3.1 document with every registered operation", async () => {
    const response = loader();
    expect(response.headers.get("Content-Type")).toContain("application/json");
    const document = await response.json();
    expect(document.openapi).toBe("3.1.0");
    for (const op of apiOperations) {
      const entry = document.paths[op.path]?.[op.method.toLowerCase()];
      expect(entry, `${op.method} ${op.path}`).toBeDefined();
      expect(entry.operationId).toBe(op.operationId);
      expect(entry["x-rapport-scope"]).toBe(op.scope);
    }
    const documented = Object.values(document.paths as Record<string, object>).flatMap((p) => Object.keys(p));
    expect(documented).toHaveLength(apiOperations.length);
    expect(new Set(apiOperations.map((op) => op.operationId)).size).toBe(apiOperations.length);
  });

  it("serves every registered path from a route module, and every API route module from the registry", () => {
    // /accounts/external/{external_id} → api.v1.accounts.external.$externalId.ts;
    // a dot within a segment is escaped: /responses.csv → api.v1.responses[.]csv.ts
    const fileFor = (p: string) =>
      `api.v1${p
        .split("/")
        .map((s) =>
          s
            .replace(
              /^\{(\w+)\}$/,
              (_m, n: string) => `$${n.replace(/_([a-z])/g, (_x, c: string) => c.toUpperCase())}`,
            )
            .replaceAll(".", "[.]"),
        )
        .join(".")}.ts`;
    const files = fs.readdirSync(routesDir).filter((f) => f.startsWith("api.v1."));
    const expected = new Set(apiOperations.map((op) => fileFor(op.path)));
    for (const file of expected) expect(files).toContain(file);
    const others = files.filter((f) => !expected.has(f)).sort();
    expect(others).toEqual(["api.v1.$.ts", "api.v1.openapi[.]json.ts"]);
    for (const file of expected) {
      const source = fs.readFileSync(path.join(routesDir, file), "utf8");
      expect(source).toMatch(/apiHandler\("[^"]+"\)/);
    }
  });

  it("validates every documented example against the schema it illustrates", () => {
    let checked = 0;
    for (const op of apiOperations) {
      if (op.body) {
        expect(op.requestExample, `${op.operationId} has a request example`).toBeDefined();
        const parsed = op.body.safeParse(op.requestExample);
        expect(
          parsed.success,
          `${op.operationId} request example: ${JSON.stringify(parsed.error?.issues)}`,
        ).toBe(true);
        checked += 1;
      }
      for (const [status, spec] of Object.entries(op.responses)) {
        if (!spec.schema) continue;
        expect(spec.example, `${op.operationId} ${status} has an example`).toBeDefined();
        const parsed = spec.schema.safeParse(spec.example);
        expect(parsed.success, `${op.operationId} ${status}: ${JSON.stringify(parsed.error?.issues)}`).toBe(
          true,
        );
        checked += 1;
      }
    }
    expect(checked).toBeGreaterThan(0);
  });

  it("documents each answer under its own media type, a CSV download as text/csv", () => {
    const document = buildOpenApiDocument();
    const csv = document.paths["/responses.csv"]!.get as {
      responses: Record<string, { content: Record<string, { schema: { type: string }; example: unknown }> }>;
    };
    const ok = csv.responses["200"]!.content;
    expect(Object.keys(ok)).toEqual(["text/csv"]);
    expect(ok["text/csv"]!.schema.type).toBe("string");
    expect(typeof ok["text/csv"]!.example).toBe("string");
    expect(Object.keys(csv.responses)).toEqual(expect.arrayContaining(["400", "401", "429"]));
    const list = document.paths["/responses"]!.get as typeof csv;
    expect(Object.keys(list.responses["200"]!.content)).toEqual(["application/json"]);
  });

  it("documents the problem types, the bearer scheme and strict bodies", () => {
    const document = buildOpenApiDocument();
    expect(document.components.securitySchemes.bearer).toMatchObject({ type: "http", scheme: "bearer" });
    const create = document.paths["/accounts"]!.post as {
      requestBody: { content: { "application/json": { schema: { additionalProperties: boolean } } } };
      responses: Record<string, unknown>;
    };
    expect(create.requestBody.content["application/json"].schema.additionalProperties).toBe(false);
    expect(Object.keys(create.responses)).toEqual(
      expect.arrayContaining(["201", "400", "401", "403", "409", "413"]),
    );
  });
});
