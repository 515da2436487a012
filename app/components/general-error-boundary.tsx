import { Link, isRouteErrorResponse, useRouteError } from "@remix-run/react";

const titles: Record<number, string> = {
  400: "That request was not right",
  401: "Please sign in",
  403: "You do not have access to this",
  404: "Page not found",
  405: "That action is not available here",
  409: "That has already been done",
  413: "That is too large",
  422: "Some answers need another look",
  429: "Too many requests",
  503: "Rapport is temporarily unavailable",
};

/**
 * The one error view: thrown Responses (expected failures) show their status and
 * message; anything else is an unexpected error and shows no internals.
 */
export function GeneralErrorBoundary() {
  const error = useRouteError();
  if (isRouteErrorResponse(error)) {
    const message =
      typeof error.data === "string" && error.data.length > 0
        ? error.data
        : error.status === 404
          ? "We could not find what you were looking for. It may have been moved or deleted."
          : error.statusText;
    return (
      <ErrorPanel
        status={error.status}
        title={titles[error.status] ?? `Error ${error.status}`}
        message={message}
      />
    );
  }
  return (
    <ErrorPanel
      status={500}
      title="Something went wrong"
      message="An unexpected error stopped this page. It has been logged; please try again in a moment."
    />
  );
}

function ErrorPanel({ status, title, message }: { status: number; title: string; message: string }) {
  return (
    <section role="alert" className="card p-6" aria-labelledby="error-title">
      <p className="text-sm font-semibold text-indigo-600">{status}</p>
      <h1 id="error-title" className="mt-1 text-2xl font-bold">
        {title}
      </h1>
      <p className="mt-2 text-slate-600">{message}</p>
      <p className="mt-4">
        <Link to="/" className="font-medium text-indigo-600 hover:underline">
          Go to the start page
        </Link>
      </p>
    </section>
  );
}
