import { GeneralErrorBoundary } from "~/components/general-error-boundary";

// Any URL no other route matches.
export async function loader() {
  throw new Response("We could not find that page. Check the address, or go back to the start page.", {
    status: 404,
  });
}

export default function NotFound() {
  return null;
}

export function ErrorBoundary() {
  return (
    <main className="mx-auto max-w-xl p-8">
      <GeneralErrorBoundary />
    </main>
  );
}
