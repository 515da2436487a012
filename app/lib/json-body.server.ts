/** The largest JSON body a respondent may send (a whole survey's answers fit many times over). */
export const MAX_JSON_BODY_BYTES = 256 * 1024;

/**
 * Reads a JSON request body, refusing with a clear 4xx: 413 when too large, 415 when
 * not JSON, 400 when it does not parse.
 */
export async function readJsonBody(request: Request, maxBytes = MAX_JSON_BODY_BYTES): Promise<unknown> {
  const type = request.headers.get("Content-Type") ?? "";
  if (!type.toLowerCase().startsWith("application/json")) {
    throw jsonError(415, "Send the answers as application/json.");
  }
  const declared = Number(request.headers.get("Content-Length") ?? "0");
  if (declared > maxBytes) throw jsonError(413, `The answers are too large (at most ${maxBytes / 1024} KB).`);
  const bytes = new Uint8Array(await request.arrayBuffer());
  if (bytes.byteLength > maxBytes)
    throw jsonError(413, `The answers are too large (at most ${maxBytes / 1024} KB).`);
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw jsonError(400, "The answers are not valid UTF-8 text.");
  }
  try {
    return JSON.parse(text);
  } catch {
    throw jsonError(400, "The answers are not valid JSON.");
  }
}

export function jsonError(status: number, message: string, extra: Record<string, unknown> = {}): Response {
  return new Response(JSON.stringify({ error: message, ...extra }), {
    status,
    headers: { "Content-Type": "application/json; charset=utf-8", "Cache-Control": "no-store" },
  });
}
