/** Only same-site paths: "/accounts/1" yes; "//evil.example", "https://…", "\\evil" no. */
export function safeRedirect(to: string | null | undefined, fallback = "/"): string {
  if (!to || typeof to !== "string") return fallback;
  if (!to.startsWith("/") || to.startsWith("//") || to.startsWith("/\\") || to.includes("\n"))
    return fallback;
  return to;
}
