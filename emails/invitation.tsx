import { Heading, Link, Section, Text } from "@react-email/components";

import { CustomerFooter } from "./components/footer";
import { formatCalendarDate, askedUsToSend } from "./components/format";
import { EmailLayout } from "./components/layout";
import { AdvocacyScale } from "./components/scale";
import { OwnerSignature } from "./components/signature";
import { linkStyle, mutedStyle, primaryButtonStyle, textStyle } from "./components/theme";

export type InvitationEmailProps = {
  /** The vendor: the company whose customer is being asked. */
  companyName: string;
  contactFirstName: string;
  /** The account owner, the human behind the message. */
  ownerName: string;
  ownerTitle?: string;
  surveyTitle: string;
  surveyUrl: string;
  /** Eleven links for advocacy 0..10, built by the app; each records the answer and opens the survey. */
  scaleUrls: readonly string[];
  unsubscribeUrl: string;
  /** YYYY-MM-DD, the last day the link works. */
  expiresOn: string;
  /** Only relationship surveys open with the advocacy question. */
  showScale: boolean;
};

export function invitationSubject({
  companyName,
  ownerName,
}: Pick<InvitationEmailProps, "companyName" | "ownerName">) {
  return `${ownerName} would like to hear how working with ${companyName} is going`;
}

export function InvitationEmail(props: InvitationEmailProps) {
  const { companyName, contactFirstName, ownerName, ownerTitle, surveyTitle, surveyUrl } = props;
  const { scaleUrls, unsubscribeUrl, expiresOn, showScale } = props;
  // A scale with a missing link would record nothing for that score; show the plain link only.
  const scaleComplete = showScale && scaleUrls.length === 11;

  return (
    <EmailLayout
      preview={`${ownerName} asked us to send this: a few short questions about working with ${companyName}.`}
      footer={
        <CustomerFooter companyName={companyName} ownerName={ownerName} unsubscribeUrl={unsubscribeUrl} />
      }
    >
      <Text className="rp-text" style={textStyle}>
        Hi {contactFirstName},
      </Text>
      <Text className="rp-text" style={textStyle}>
        {askedUsToSend(ownerName, companyName, ownerTitle)} {companyName} wants to know how working together
        really is, including what is not going well. It takes a few minutes, and the people who work with you
        read every answer.
      </Text>

      <Heading
        as="h2"
        className="rp-text"
        style={{ ...textStyle, fontSize: "18px", lineHeight: "26px", fontWeight: 600, margin: "8px 0 12px" }}
      >
        {surveyTitle}
      </Heading>

      {scaleComplete ? (
        <>
          {/* The question and its scale stay out of the text part, which has only the survey link. */}
          <Text data-skip-in-text="true" className="rp-text" style={{ ...textStyle, margin: "0 0 12px" }}>
            To start: how likely are you to recommend {companyName} to a colleague?
          </Text>
          <AdvocacyScale scaleUrls={scaleUrls} />
          <Text data-skip-in-text="true" className="rp-muted" style={mutedStyle}>
            Choosing a number saves it and opens the rest of the survey with your answer filled in.
          </Text>
          <Text className="rp-text" style={textStyle}>
            You can also{" "}
            <Link className="rp-link" href={surveyUrl} style={linkStyle}>
              open the survey
            </Link>{" "}
            from the start.
          </Text>
        </>
      ) : (
        <Section style={{ margin: "0 0 16px" }}>
          <Link className="rp-button" href={surveyUrl} style={primaryButtonStyle}>
            Open the survey
          </Link>
        </Section>
      )}

      <Text className="rp-muted" style={mutedStyle}>
        This link is just for you and works until {formatCalendarDate(expiresOn)}.
      </Text>

      <OwnerSignature ownerName={ownerName} ownerTitle={ownerTitle} companyName={companyName} />
    </EmailLayout>
  );
}

InvitationEmail.PreviewProps = {
  companyName: "Acme",
  contactFirstName: "Jordan",
  ownerName: "Maya Chen",
  ownerTitle: "Account manager",
  surveyTitle: "How is our relationship, really?",
  surveyUrl: "https://rapport.example.com/s/Zt3kQ9",
  scaleUrls: Array.from({ length: 11 }, (_, score) => `https://rapport.example.com/s/Zt3kQ9/a/${score}`),
  unsubscribeUrl: "https://rapport.example.com/unsubscribe/Zt3kQ9",
  expiresOn: "2025-07-15",
  showScale: true,
} satisfies InvitationEmailProps;

export default InvitationEmail;
