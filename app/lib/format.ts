const labels: Record<string, string> = {
  mid_market: "Mid-market",
  smb: "SMB",
  decision_maker: "Decision-maker",
  at_risk: "At risk",
  qbr: "QBR",
  no_decision: "No decision",
};

/** `mid_market` → "Mid-market", `enterprise` → "Enterprise". */
export function humanize(value: string): string {
  if (labels[value]) return labels[value];
  const words = value.replace(/_/g, " ");
  return words.charAt(0).toUpperCase() + words.slice(1);
}

const money = new Intl.NumberFormat("en-US", {
  style: "currency",
  currency: "USD",
  maximumFractionDigits: 0,
});
export function formatCents(cents: number): string {
  return money.format(cents / 100);
}
