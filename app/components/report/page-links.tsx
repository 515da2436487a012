import { Link } from "@remix-run/react";
import { useHrefWith } from "./use-href-with";

/** Previous / next for one panel's list, by its own page parameter, keeping everything else. */
export function PageLinks({
  param,
  page,
  pageSize,
  total,
  hash,
  label,
}: {
  param: string;
  page: number;
  pageSize: number;
  total: number;
  hash: string;
  label: string;
}) {
  const hrefWith = useHrefWith();
  const pages = Math.max(1, Math.ceil(total / pageSize));
  if (total <= pageSize && page === 1) return null;
  const first = total === 0 ? 0 : Math.min(total, (page - 1) * pageSize + 1);
  const last = Math.min(total, page * pageSize);
  return (
    <nav
      aria-label={label}
      className="mt-3 flex items-center justify-between text-sm text-slate-600 print:hidden"
    >
      <p>{`${first}–${last} of ${total}`}</p>
      <div className="flex gap-2">
        {page > 1 ? (
          <Link
            className="btn-secondary"
            to={hrefWith({ [param]: String(Math.min(page - 1, pages)) }, hash)}
            preventScrollReset
          >
            Previous
          </Link>
        ) : null}
        {page < pages ? (
          <Link
            className="btn-secondary"
            to={hrefWith({ [param]: String(page + 1) }, hash)}
            preventScrollReset
          >
            Next
          </Link>
        ) : null}
      </div>
    </nav>
  );
}
