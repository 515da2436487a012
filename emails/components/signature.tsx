import { Text } from "@react-email/components";

import { textStyle } from "./theme";

type SignatureProps = { ownerName: string; ownerTitle?: string; companyName: string };

/** Signed by the account owner: the customer should see a person, not a system. */
export function OwnerSignature({ ownerName, ownerTitle, companyName }: SignatureProps) {
  const title = ownerTitle?.trim();
  return (
    <Text className="rp-text" style={{ ...textStyle, margin: "24px 0 0" }}>
      Thank you,
      <br />
      {ownerName}
      <br />
      {title ? `${title}, ${companyName}` : companyName}
    </Text>
  );
}
