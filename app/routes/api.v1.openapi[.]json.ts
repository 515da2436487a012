import { buildOpenApiDocument } from "~/lib/api/openapi.server";

/** The OpenAPI 3.1 document; public, so tools can read it without a key. */
export function loader() {
  return new Response(JSON.stringify(buildOpenApiDocument(), null, 2), {
    headers: { "Content-Type": "application/json; charset=utf-8", "Cache-Control": "public, max-age=300" },
  });
}
