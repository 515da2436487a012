import type { CSSProperties } from "react";

/*
 * Inline styles carry the light theme because many clients (Gmail web among them) drop
 * <style> blocks; the dark theme lives in LAYOUT_CSS and overrides these by class name,
 * so every styled element gets both a `style` and a `className`.
 */
export const colors = {
  page: "#f4f5f7",
  card: "#ffffff",
  border: "#e2e5ea",
  text: "#1f2430",
  muted: "#5b6472",
  link: "#2450b8",
  accent: "#2450b8",
  accentText: "#ffffff",
  scale: "#eef1f6",
  alert: "#b42318",
} as const;

export const font = '-apple-system, BlinkMacSystemFont, "Segoe UI", Roboto, Helvetica, Arial, sans-serif';

export const textStyle: CSSProperties = {
  color: colors.text,
  fontSize: "16px",
  lineHeight: "24px",
  margin: "0 0 16px",
};

export const mutedStyle: CSSProperties = {
  color: colors.muted,
  fontSize: "14px",
  lineHeight: "20px",
  margin: "0 0 12px",
};

export const linkStyle: CSSProperties = { color: colors.link, textDecoration: "underline" };

export const primaryButtonStyle: CSSProperties = {
  backgroundColor: colors.accent,
  color: colors.accentText,
  borderRadius: "6px",
  display: "inline-block",
  fontSize: "16px",
  fontWeight: 600,
  lineHeight: "20px",
  padding: "12px 20px",
  textDecoration: "none",
};

/*
 * Dark mode: Apple Mail, iOS Mail and Outlook for Mac honour prefers-color-scheme;
 * Outlook.com marks its dark mode with [data-ogsc]/[data-ogsb]. `!important` beats the
 * inline light styles. Clients that do neither invert colours themselves, which the
 * plain palette above survives.
 */
export const LAYOUT_CSS = `
:root { color-scheme: light dark; supported-color-schemes: light dark; }
@media (prefers-color-scheme: dark) {
  .rp-page { background-color: #111318 !important; }
  .rp-card { background-color: #1b1e25 !important; border-color: #2e333d !important; }
  .rp-text { color: #e6e8ec !important; }
  .rp-muted { color: #a7afbc !important; }
  .rp-link { color: #8fb3ff !important; }
  .rp-button { background-color: #8fb3ff !important; color: #111318 !important; }
  .rp-scale { background-color: #262a33 !important; color: #e6e8ec !important; border-color: #3a404c !important; }
  .rp-alert { color: #ff8a80 !important; }
}
[data-ogsc] .rp-text { color: #e6e8ec !important; }
[data-ogsc] .rp-muted { color: #a7afbc !important; }
[data-ogsc] .rp-link { color: #8fb3ff !important; }
[data-ogsc] .rp-scale { color: #e6e8ec !important; }
[data-ogsc] .rp-alert { color: #ff8a80 !important; }
[data-ogsb] .rp-page { background-color: #111318 !important; }
[data-ogsb] .rp-card { background-color: #1b1e25 !important; }
[data-ogsb] .rp-button { background-color: #8fb3ff !important; }
[data-ogsb] .rp-scale { background-color: #262a33 !important; }
@media (max-width: 480px) {
  .rp-card { padding: 20px 16px !important; }
}
`;
