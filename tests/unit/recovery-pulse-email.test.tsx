import { describe, expect, it } from "vitest";
import RecoveryPulseEmail, { recoveryPulseSubject } from "../../emails/recovery-pulse";
import { renderEmail } from "../../emails/render";

const props = RecoveryPulseEmail.PreviewProps;

describe("recovery pulse email", () => {
  it("links the survey and the one-click unsubscribe, names the owner and the closing date", async () => {
    const { html, text } = await renderEmail(<RecoveryPulseEmail {...props} />);
    expect(html).toContain(`href="${props.surveyUrl}"`);
    expect(html).toContain(`href="${props.unsubscribeUrl}"`);
    expect(html).toContain("did we put it right?");
    for (const part of [html, text]) {
      expect(part).toContain("Maya Chen");
      expect(part).toContain("July 15, 2025");
      expect(part).not.toMatch(/undefined|null|NaN|\[object/);
    }
    expect(text).toContain(props.surveyUrl);
    expect(text).toContain(props.unsubscribeUrl);
  });

  it("reads naturally without an owner title", async () => {
    const { text } = await renderEmail(<RecoveryPulseEmail {...props} ownerTitle={undefined} />);
    expect(text).toContain("Maya Chen\nAcme");
  });

  it("has a subject naming the owner and the company", () => {
    expect(recoveryPulseSubject(props)).toBe("Maya Chen at Acme: did we put it right?");
  });
});
