/**
 * Only same-site paths: "/accounts/1" yes; "//evil.example", "https://…", "/\\evil" no. Any
 * control character or backslash is refused outright: browsers drop tabs and newlines from
 * URLs, so "/\t/evil.example" would otherwise become "//evil.example".
 */
export function safeRedirect(to: string | null | undefined, fallback = "/"): string {
  if (!to || typeof to !== "string") return fallback;
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f\\]/.test(to)) return fallback;
  if (!to.startsWith("/") || to.startsWith("//")) return fallback;
  return to;
}
