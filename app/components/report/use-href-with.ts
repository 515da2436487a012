import { useSearchParams } from "@remix-run/react";

/** The current URL's query with some parameters changed (undefined removes one). */
export function useHrefWith() {
  const [searchParams] = useSearchParams();
  return (changes: Record<string, string | undefined>, hash = "") => {
    const params = new URLSearchParams(searchParams);
    for (const [name, value] of Object.entries(changes)) {
      if (value === undefined) params.delete(name);
      else params.set(name, value);
    }
    const search = params.toString();
    return `${search ? `?${search}` : "?"}${hash}`;
  };
}
