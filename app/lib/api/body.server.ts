import { jsonValueProblems, UNSTORABLE_TEXT_MESSAGE } from "../json-body.server";
import { ApiProblem, validationProblem, type FieldProblem } from "./problem.server";

/** The largest request body the API reads (docs/api.md, "Limits"). */
export const MAX_API_BODY_BYTES = 1024 * 1024;

/**
 * Reads a JSON body as raw text and parsed value. Refuses before reading when the declared
 * length is too large, and while reading when the stream turns out larger than declared
 * (or declared nothing): a chunked upload cannot get past the limit.
 */
export async function readJsonBody(
  request: Request,
  maxBytes = MAX_API_BODY_BYTES,
): Promise<{ text: string; value: unknown }> {
  const type = (request.headers.get("Content-Type") ?? "").toLowerCase();
  if (!/^application\/([a-z0-9.+-]+\+)?json\b/.test(type)) {
    throw new ApiProblem(
      "unsupported-media-type",
      "Send the request body as application/json (set the Content-Type header).",
    );
  }
  const tooLarge = () =>
    new ApiProblem("payload-too-large", `The request body must be at most ${maxBytes} bytes (1 MB).`);
  const declared = Number(request.headers.get("Content-Length") ?? "0");
  if (Number.isFinite(declared) && declared > maxBytes) throw tooLarge();
  const chunks: Uint8Array[] = [];
  let size = 0;
  if (request.body) {
    const reader = request.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > maxBytes) {
        await reader.cancel().catch(() => {});
        throw tooLarge();
      }
      chunks.push(value);
    }
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new ApiProblem("malformed-json", "The request body is not valid UTF-8.");
  }
  if (text.trim() === "")
    throw new ApiProblem("malformed-json", "The request body is empty; send a JSON object.");
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new ApiProblem(
      "malformed-json",
      `The request body is not valid JSON: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  // Postgres would fail on such text with a 500; a __proto__ key would vanish into a prototype.
  const problems = jsonValueProblems(value);
  if (problems.length > 0) {
    throw validationProblem(
      problems.map(({ path, message }) => ({ field: path || "(body)", message: sentence(message) })),
    );
  }
  return { text, value };
}

/** Field problems for query parameters whose name or value Postgres cannot store (isStorableText). */
export function unstorableProblems(fields: readonly string[]): FieldProblem[] {
  return fields.map((field) => ({ field, message: sentence(UNSTORABLE_TEXT_MESSAGE) }));
}

const sentence = (message: string) => `${message.charAt(0).toUpperCase()}${message.slice(1)}.`;
