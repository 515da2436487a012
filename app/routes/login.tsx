import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, useActionData, useNavigation, useSearchParams } from "@remix-run/react";
import { z } from "zod";
import { FormField } from "~/components/form-field";
import { homePath } from "~/domain/access";
import { authenticate, requireAnonymous, SIGN_IN_WINDOW_MS } from "~/lib/auth.server";
import { createSession } from "~/lib/session.server";
import { safeRedirect } from "~/lib/safe-redirect";

const signInSchema = z.object({
  email: z.string().trim().min(1, "Enter your email address.").max(320, "That email address is too long."),
  password: z.string().min(1, "Enter your password.").max(1024, "That password is too long."),
  redirectTo: z.string().optional(),
});

export async function loader({ request }: LoaderFunctionArgs) {
  await requireAnonymous(request);
  return json({});
}

export async function action({ request }: ActionFunctionArgs) {
  await requireAnonymous(request);
  const form = await request.formData();
  const parsed = signInSchema.safeParse(Object.fromEntries(form));
  if (!parsed.success) {
    const fieldErrors = parsed.error.flatten().fieldErrors;
    return json(
      {
        formError: null,
        fieldErrors: { email: fieldErrors.email?.[0], password: fieldErrors.password?.[0] },
      },
      { status: 400 },
    );
  }
  const result = await authenticate(request, parsed.data.email, parsed.data.password);
  if (!result.ok) {
    const formError =
      result.reason === "throttled"
        ? "Too many failed sign-ins. Wait 15 minutes and try again, or ask an admin to reset your password."
        : "That email and password do not match an account.";
    return result.reason === "throttled"
      ? json(
          { formError, fieldErrors: {} },
          { status: 429, headers: { "Retry-After": String(SIGN_IN_WINDOW_MS / 1000) } },
        )
      : json({ formError, fieldErrors: {} }, { status: 401 });
  }
  const { setCookie } = await createSession(request, result.user.id);
  return redirect(safeRedirect(parsed.data.redirectTo, homePath(result.user.role)), {
    headers: { "Set-Cookie": setCookie },
  });
}

export const meta: MetaFunction = () => [{ title: "Sign in · Rapport" }];

export default function Login() {
  const actionData = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  const navigation = useNavigation();
  const submitting = navigation.state !== "idle" && navigation.formAction === "/login";
  const fieldErrors: { email?: string; password?: string } = actionData?.fieldErrors ?? {};

  return (
    <main className="flex min-h-full items-center justify-center px-4 py-12">
      <div className="w-full max-w-sm">
        <p className="text-center text-sm font-semibold uppercase tracking-widest text-indigo-600">Rapport</p>
        <h1 className="mt-2 text-center text-2xl font-bold">Sign in to your workspace</h1>
        <Form method="post" className="card mt-8 space-y-5 p-6" noValidate>
          <input type="hidden" name="redirectTo" value={searchParams.get("redirectTo") ?? ""} />
          {actionData?.formError ? (
            <p role="alert" className="rounded-md bg-red-50 p-3 text-sm text-red-800">
              {actionData.formError}
            </p>
          ) : null}
          <FormField
            id="email"
            name="email"
            label="Email"
            type="email"
            autoComplete="username"
            required
            autoFocus
            error={fieldErrors.email}
          />
          <FormField
            id="password"
            name="password"
            label="Password"
            type="password"
            autoComplete="current-password"
            required
            error={fieldErrors.password}
          />
          <button type="submit" className="btn-primary w-full" disabled={submitting}>
            {submitting ? "Signing in…" : "Sign in"}
          </button>
        </Form>
      </div>
    </main>
  );
}
