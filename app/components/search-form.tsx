import { Form, useLocation, type FormProps } from "@remix-run/react";

/**
 * A GET form that searches or filters the page: what it asks for lives in the URL (shareable, the
 * back button works, it works before the page hydrates). It remounts on every navigation, so its
 * controls always show the URL's values (after "Clear filters", say).
 */
export function SearchForm({ label, ...props }: Omit<FormProps, "method" | "role"> & { label: string }) {
  const location = useLocation();
  return <Form key={location.search} method="get" role="search" aria-label={label} {...props} />;
}
