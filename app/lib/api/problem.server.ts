import type { ZodError } from "zod";

/** The problem types the API answers with (RFC 9457); docs/api.md lists them. The URIs never change. */
export const PROBLEM_TYPES = {
  unauthorized: { status: 401, title: "Missing or invalid API key" },
  forbidden: { status: 403, title: "The key's scope does not allow this" },
  "not-found": { status: 404, title: "No such resource" },
  "method-not-allowed": { status: 405, title: "Method not allowed" },
  "malformed-json": { status: 400, title: "The body is not valid JSON" },
  validation: { status: 400, title: "The request did not validate" },
  "unsupported-media-type": { status: 415, title: "Send the body as application/json" },
  "payload-too-large": { status: 413, title: "The body is too large" },
  conflict: { status: 409, title: "The request conflicts with the current state" },
  "idempotency-key-reused": { status: 409, title: "Idempotency-Key reused with a different request" },
  "idempotency-key-in-flight": { status: 409, title: "A request with this Idempotency-Key is still running" },
  "rate-limited": { status: 429, title: "Too many requests" },
  internal: { status: 500, title: "Internal error" },
} as const;
export type ProblemType = keyof typeof PROBLEM_TYPES;

export const PROBLEM_BASE_URI = "https://rapport.dev/problems/";

export interface FieldProblem {
  field: string;
  message: string;
}

export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail: string;
  errors?: FieldProblem[];
}

/** An expected failure, thrown anywhere in the pipeline and answered as problem+json. */
export class ApiProblem extends Error {
  readonly status: number;
  constructor(
    readonly problemType: ProblemType,
    readonly detail: string,
    readonly errors?: FieldProblem[],
    readonly headers: Record<string, string> = {},
  ) {
    super(detail);
    this.name = "ApiProblem";
    this.status = PROBLEM_TYPES[problemType].status;
  }

  toBody(): ProblemBody {
    return {
      type: `${PROBLEM_BASE_URI}${this.problemType}`,
      title: PROBLEM_TYPES[this.problemType].title,
      status: this.status,
      detail: this.detail,
      ...(this.errors ? { errors: this.errors } : {}),
    };
  }
}

export function problemResponse(problem: ApiProblem, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(problem.toBody()), {
    status: problem.status,
    headers: {
      "Content-Type": "application/problem+json",
      "Cache-Control": "no-store",
      ...problem.headers,
      ...headers,
    },
  });
}

/** A zod failure as field problems: `field` is the dotted path in the request's own (snake_case) names. */
export function fieldProblems(error: ZodError, prefix = ""): FieldProblem[] {
  return error.issues.map((issue) => {
    const path = issue.path.join(".");
    if (issue.code === "unrecognized_keys") {
      return {
        field: [prefix, path].filter(Boolean).join(".") || issue.keys.join(", "),
        message: `Unknown field${issue.keys.length > 1 ? "s" : ""}: ${issue.keys.join(", ")}.`,
      };
    }
    return { field: [prefix, path].filter(Boolean).join(".") || "(body)", message: issue.message };
  });
}

export function validationProblem(errors: FieldProblem[], detail?: string): ApiProblem {
  return new ApiProblem(
    "validation",
    detail ??
      `${errors.length === 1 ? "One field is" : `${errors.length} fields are`} invalid: ${errors
        .map((e) => e.field)
        .join(", ")}.`,
    errors,
  );
}
