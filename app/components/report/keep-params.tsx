import { useSearchParams } from "@remix-run/react";

/** Every other parameter of the page as hidden fields, so a panel's own form keeps the filters. */
export function KeepParams({ except }: { except: string[] }) {
  const [searchParams] = useSearchParams();
  return (
    <>
      {[...searchParams.entries()]
        .filter(([name]) => !except.includes(name))
        .map(([name, value]) => (
          <input key={`${name}=${value}`} type="hidden" name={name} value={value} />
        ))}
    </>
  );
}
