import { describe, expect, it } from "vitest";
import {
  createCampaignMailer,
  firstNameOf,
  renderCampaignEmail,
  senderLine,
  type CampaignEmailContext,
} from "~/domain/campaign-emails.server";

const context: CampaignEmailContext = {
  kind: "invitation",
  companyName: "Acme & Sons",
  ownerName: "Maya Chen",
  from: '"Maya Chen via Acme" <surveys@acme.test>',
  replyTo: "maya@acme.test",
  surveyTitle: "How is our relationship, really?",
  showScale: true,
  expiresOn: "2026-06-01",
  baseUrl: "https://feedback.acme.test",
};

const recipient = (contactName: string, token: string) => ({
  contactName,
  toAddress: "someone@customer.test",
  token,
  invitationId: "inv-1",
  campaignId: "camp-1",
  idempotencyKey: "invitation:inv-1",
});

describe("campaign emails", () => {
  // Names React must escape, a non-Latin one, and tokens with both base64url extras.
  it.each([
    ['O\'Brien & <Sons> "Jr"', "aB3_-x9QzT0kLmN7pQrStUvWxYz01234"],
    ["José María", "Zt3kQ9Zt3kQ9Zt3kQ9Zt3kQ9Zt3kQ9Zt"],
    ["李 雷", "________________________________"],
  ])("merges %s into exactly what a direct render gives", async (name, token) => {
    for (const kind of ["invitation", "reminder"] as const) {
      const mailer = createCampaignMailer();
      const merged = await mailer({ ...context, kind }, recipient(name, token));
      const direct = await renderCampaignEmail({ ...context, kind }, { contactName: name, token });
      expect(merged.html).toBe(direct.html);
      expect(merged.text).toBe(direct.text);
    }
  });

  it("carries one-click unsubscribe headers and the owner as sender and reply-to", async () => {
    const message = await createCampaignMailer()(
      context,
      recipient("Ana Souza", "Zt3kQ9Zt3kQ9Zt3kQ9Zt3kQ9Zt3kQ9Zt"),
    );
    expect(message.headers).toEqual({
      "List-Unsubscribe": "<https://feedback.acme.test/u/Zt3kQ9Zt3kQ9Zt3kQ9Zt3kQ9Zt3kQ9Zt>",
      "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    });
    expect(message).toMatchObject({
      from: context.from,
      replyTo: "maya@acme.test",
      to: "someone@customer.test",
    });
    expect(message.html).toContain("https://feedback.acme.test/s/Zt3kQ9Zt3kQ9Zt3kQ9Zt3kQ9Zt3kQ9Zt/scale/10");
    expect(message.text).toContain("Hi Ana,");
  });

  it("greets by first name and builds a From line that cannot break the header", () => {
    expect(firstNameOf("  Ana María Souza ")).toBe("Ana");
    expect(firstNameOf("")).toBe("there");
    expect(senderLine('Maya "the boss" <Chen>', "Acme", "Rapport <surveys@rapport.test>")).toBe(
      '"Maya the boss Chen via Acme" <surveys@rapport.test>',
    );
    expect(senderLine("Maya", "Acme", "surveys@rapport.test")).toBe('"Maya via Acme" <surveys@rapport.test>');
  });
});
