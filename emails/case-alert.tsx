import { Heading, Link, Section, Text } from "@react-email/components";

import { formatMoment } from "./components/format";
import { EmailLayout } from "./components/layout";
import { colors, mutedStyle, primaryButtonStyle, textStyle } from "./components/theme";

export type CaseSeverity = "medium" | "high" | "critical";

export type CaseAlertEmailProps = {
  ownerFirstName: string;
  accountName: string;
  contactName: string;
  /** Human text, e.g. "Advocacy 3 of 10 on the relationship survey". */
  trigger: string;
  severity: CaseSeverity;
  /** When the SLA runs out; a Date from the database or an ISO 8601 string. */
  slaDueAt: Date | string;
  /** IANA zone of the reader; the deadline is shown with the zone named. Defaults to UTC. */
  timeZone?: string;
  caseUrl: string;
  /** The customer's own words, if they wrote any. */
  verbatim?: string;
};

const severityLabel: Record<CaseSeverity, string> = {
  medium: "Medium",
  high: "High",
  critical: "Critical",
};

export function caseAlertSubject({
  accountName,
  contactName,
  severity,
}: Pick<CaseAlertEmailProps, "accountName" | "contactName" | "severity">) {
  return `9-1-1: ${contactName} at ${accountName} needs you (${severityLabel[severity] ?? severity})`;
}

/** To the account owner: who is in trouble, why we think so, and by when to act. */
export function CaseAlertEmail(props: CaseAlertEmailProps) {
  const { ownerFirstName, accountName, contactName, trigger, severity, caseUrl, verbatim } = props;
  const due = formatMoment(props.slaDueAt, props.timeZone);
  const label = severityLabel[severity] ?? severity;
  const quote = verbatim?.trim();

  return (
    <EmailLayout preview={`${contactName} at ${accountName}: ${trigger}. Please respond by ${due}.`}>
      <Text
        className="rp-alert"
        style={{ ...mutedStyle, color: colors.alert, fontWeight: 600, margin: "0 0 8px" }}
      >
        Customer 9-1-1 · {label}
      </Text>
      <Heading
        as="h1"
        className="rp-text"
        style={{ ...textStyle, fontSize: "20px", lineHeight: "28px", fontWeight: 600 }}
      >
        {contactName} at {accountName} needs a person
      </Heading>
      <Text className="rp-text" style={textStyle}>
        Hi {ownerFirstName}, you own this account, so this case is yours. What happened: {trigger}.
      </Text>
      {quote ? (
        <Text
          className="rp-text"
          style={{
            ...textStyle,
            borderLeft: `3px solid ${colors.border}`,
            paddingLeft: "12px",
            fontStyle: "italic",
          }}
        >
          “{quote}”
        </Text>
      ) : null}
      <Text className="rp-text" style={textStyle}>
        Please reach {contactName} yourself, by phone or in person if you can, by <strong>{due}</strong>.
        Customers rarely say twice that something is wrong.
      </Text>
      <Section style={{ margin: "0 0 16px" }}>
        <Link className="rp-button" href={caseUrl} style={primaryButtonStyle}>
          Open the case
        </Link>
      </Section>
      <Text className="rp-muted" style={mutedStyle}>
        Acknowledge the case when you have made contact; the clock and the outcome are visible to your
        leadership.
      </Text>
    </EmailLayout>
  );
}

CaseAlertEmail.PreviewProps = {
  ownerFirstName: "Maya",
  accountName: "Northwind Logistics",
  contactName: "Jordan Reyes",
  trigger: "Advocacy 3 of 10 on the relationship survey",
  severity: "high",
  slaDueAt: "2025-06-12T14:00:00Z",
  timeZone: "UTC",
  caseUrl: "https://rapport.example.com/cases/7f1c2a9e-0d4b-4c1e-9a57-2b1f7e5c8d30",
  verbatim: "We raised the invoicing problem three times and nobody came back to us.",
} satisfies CaseAlertEmailProps;

export default CaseAlertEmail;
