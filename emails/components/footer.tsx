import { Link, Text } from "@react-email/components";

import { linkStyle, mutedStyle } from "./theme";

type CustomerFooterProps = {
  companyName: string;
  ownerName: string;
  unsubscribeUrl: string;
};

/** Footer for anything a customer receives: why they got it, from whom, and a way out. */
export function CustomerFooter({ companyName, ownerName, unsubscribeUrl }: CustomerFooterProps) {
  return (
    <>
      <Text className="rp-muted" style={{ ...mutedStyle, fontSize: "13px", lineHeight: "18px" }}>
        You are getting this because you work with {companyName}. {ownerName} asked Rapport, the tool{" "}
        {companyName} uses to hear from customers, to send it.
      </Text>
      <Text className="rp-muted" style={{ ...mutedStyle, fontSize: "13px", lineHeight: "18px" }}>
        Rather not receive these?{" "}
        <Link className="rp-link" href={unsubscribeUrl} style={linkStyle}>
          Unsubscribe
        </Link>
      </Text>
    </>
  );
}
