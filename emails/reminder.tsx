import { Link, Section, Text } from "@react-email/components";

import { CustomerFooter } from "./components/footer";
import { formatCalendarDate } from "./components/format";
import { EmailLayout } from "./components/layout";
import { OwnerSignature } from "./components/signature";
import { mutedStyle, primaryButtonStyle, textStyle } from "./components/theme";

export type ReminderEmailProps = {
  companyName: string;
  contactFirstName: string;
  /** The account owner, the human behind the message. */
  ownerName: string;
  ownerTitle?: string;
  surveyTitle: string;
  surveyUrl: string;
  unsubscribeUrl: string;
  /** YYYY-MM-DD, the last day the link works. */
  expiresOn: string;
};

export function reminderSubject({ companyName }: Pick<ReminderEmailProps, "companyName">) {
  return `A gentle reminder: your view of working with ${companyName}`;
}

/** One short, respectful nudge: no guilt, no urgency beyond the real closing date. */
export function ReminderEmail(props: ReminderEmailProps) {
  const { companyName, contactFirstName, ownerName, ownerTitle, surveyTitle, surveyUrl, unsubscribeUrl } =
    props;
  const closes = formatCalendarDate(props.expiresOn);
  const who = ownerTitle?.trim()
    ? `${ownerName}, ${ownerTitle.trim()} at ${companyName},`
    : `${ownerName} at ${companyName}`;

  return (
    <EmailLayout
      preview={`${ownerName}'s questions are still open until ${closes}, in case you have a few minutes.`}
      footer={
        <CustomerFooter companyName={companyName} ownerName={ownerName} unsubscribeUrl={unsubscribeUrl} />
      }
    >
      <Text className="rp-text" style={textStyle}>
        Hi {contactFirstName},
      </Text>
      <Text className="rp-text" style={textStyle}>
        A little while ago {who} asked us to send you “{surveyTitle}”. If you have not had a moment yet, it is
        still open until {closes} and takes a few minutes. Your honest view, good or bad, is what helps.
      </Text>
      <Section style={{ margin: "0 0 16px" }}>
        <Link className="rp-button" href={surveyUrl} style={primaryButtonStyle}>
          Open the survey
        </Link>
      </Section>
      <Text className="rp-muted" style={mutedStyle}>
        If now is not a good time, no need to reply.
      </Text>
      <OwnerSignature ownerName={ownerName} ownerTitle={ownerTitle} companyName={companyName} />
    </EmailLayout>
  );
}

ReminderEmail.PreviewProps = {
  companyName: "Acme",
  contactFirstName: "Jordan",
  ownerName: "Maya Chen",
  ownerTitle: "Account manager",
  surveyTitle: "How is our relationship, really?",
  surveyUrl: "https://rapport.example.com/s/Zt3kQ9",
  unsubscribeUrl: "https://rapport.example.com/unsubscribe/Zt3kQ9",
  expiresOn: "2025-07-15",
} satisfies ReminderEmailProps;

export default ReminderEmail;
