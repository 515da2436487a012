import { Link, Section, Text } from "@react-email/components";

import { CustomerFooter } from "./components/footer";
import { formatCalendarDate } from "./components/format";
import { EmailLayout } from "./components/layout";
import { OwnerSignature } from "./components/signature";
import { mutedStyle, primaryButtonStyle, textStyle } from "./components/theme";

export type RecoveryPulseEmailProps = {
  companyName: string;
  contactFirstName: string;
  /** The account owner, who worked the case and signs the message. */
  ownerName: string;
  ownerTitle?: string;
  surveyUrl: string;
  unsubscribeUrl: string;
  /** YYYY-MM-DD, the last day the link works. */
  expiresOn: string;
};

export function recoveryPulseSubject({
  companyName,
  ownerName,
}: Pick<RecoveryPulseEmailProps, "companyName" | "ownerName">) {
  return `${ownerName} at ${companyName}: did we put it right?`;
}

/**
 * After a Customer 9-1-1 case is resolved: two questions to the customer who raised it,
 * so the team learns whether the fix landed rather than assuming it did.
 */
export function RecoveryPulseEmail(props: RecoveryPulseEmailProps) {
  const { companyName, contactFirstName, ownerName, ownerTitle, surveyUrl, unsubscribeUrl } = props;
  const closes = formatCalendarDate(props.expiresOn);

  return (
    <EmailLayout
      preview={`${ownerName} would like to know whether the problem you raised is really solved.`}
      footer={
        <CustomerFooter companyName={companyName} ownerName={ownerName} unsubscribeUrl={unsubscribeUrl} />
      }
    >
      <Text className="rp-text" style={textStyle}>
        Hi {contactFirstName},
      </Text>
      <Text className="rp-text" style={textStyle}>
        You told us recently that something was wrong. We believe it is dealt with now, but you are the one
        who knows. Two quick questions, under a minute: did we put it right?
      </Text>
      <Section style={{ margin: "0 0 16px" }}>
        <Link className="rp-button" href={surveyUrl} style={primaryButtonStyle}>
          Tell us in two questions
        </Link>
      </Section>
      <Text className="rp-muted" style={mutedStyle}>
        The link works until {closes}. If it is still not right, say so: it goes straight back to me.
      </Text>
      <OwnerSignature ownerName={ownerName} ownerTitle={ownerTitle} companyName={companyName} />
    </EmailLayout>
  );
}

RecoveryPulseEmail.PreviewProps = {
  companyName: "Acme",
  contactFirstName: "Jordan",
  ownerName: "Maya Chen",
  ownerTitle: "Account manager",
  surveyUrl: "https://rapport.example.com/s/Zt3kQ9",
  unsubscribeUrl: "https://rapport.example.com/u/Zt3kQ9",
  expiresOn: "2025-07-15",
} satisfies RecoveryPulseEmailProps;

export default RecoveryPulseEmail;
