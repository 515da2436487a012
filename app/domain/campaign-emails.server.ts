/**
 * The invitation and reminder emails of a campaign, as outbox messages.
 *
 * Rendering a React Email template costs ~6 ms, which is a minute for a 10,000-recipient
 * campaign. Within one campaign only four things differ between recipients — the first
 * name and the link token (survey, scale and unsubscribe links) — while everything else
 * depends on the account owner. So each (owner, kind) is rendered once with placeholders
 * and every recipient's message is that render with the placeholders replaced: the name
 * escaped exactly as React escapes text in the HTML part, verbatim in the plain-text part,
 * and the token (base64url, nothing to escape) as is. tests/unit/campaign-emails.test.ts
 * holds the merge to byte-for-byte equality with a direct render.
 */
import { createElement } from "react";
import { InvitationEmail, invitationSubject, type InvitationEmailProps } from "../../emails/invitation";
import { ReminderEmail, reminderSubject, type ReminderEmailProps } from "../../emails/reminder";
import { renderEmail, type RenderedEmail } from "../../emails/render";
import { addressOf } from "./email-events";
import type { NewEmail } from "./outbox.server";

/**
 * Letters only, so React, the HTML-to-text step and URLs all leave them alone. The token mark
 * is as long as a real token (32 characters), so the plain-text part wraps its lines the same.
 */
const NAME_MARK = "RPMERGEFIRSTNAMEQX";
const TOKEN_MARK = "RPMERGETOKENQXQXQXQXQXQXQXQXQXQX";

export interface CampaignEmailContext {
  kind: "invitation" | "reminder";
  companyName: string;
  ownerName: string;
  /** "Maya Chen via Acme <surveys@acme.com>": the owner's name on the verified sender address. */
  from: string;
  replyTo: string | null;
  surveyTitle: string;
  /** Only relationship surveys open with the 0–10 scale in the email. */
  showScale: boolean;
  /** YYYY-MM-DD, the last day the links work. */
  expiresOn: string;
  /** e.g. https://feedback.example.com */
  baseUrl: string;
}

export interface CampaignRecipientEmail {
  contactName: string;
  toAddress: string;
  token: string;
  invitationId: string;
  campaignId: string;
  idempotencyKey: string;
}

export function surveyLinks(baseUrl: string, token: string) {
  const surveyUrl = `${baseUrl}/s/${token}`;
  return {
    surveyUrl,
    scaleUrls: Array.from({ length: 11 }, (_, score) => `${surveyUrl}/scale/${score}`),
    unsubscribeUrl: `${baseUrl}/u/${token}`,
  };
}

/** "Ana María Souza" → "Ana"; a blank name still greets someone. */
export function firstNameOf(name: string): string {
  return name.trim().split(/\s+/)[0] || "there";
}

/** The props one recipient's email is rendered from (also what the direct render in tests uses). */
export function emailProps(
  context: CampaignEmailContext,
  recipient: { contactName: string; token: string },
): InvitationEmailProps & ReminderEmailProps {
  return {
    companyName: context.companyName,
    contactFirstName: firstNameOf(recipient.contactName),
    ownerName: context.ownerName,
    surveyTitle: context.surveyTitle,
    ...surveyLinks(context.baseUrl, recipient.token),
    expiresOn: context.expiresOn,
    showScale: context.showScale,
  };
}

function subjectOf(context: CampaignEmailContext): string {
  return context.kind === "invitation"
    ? invitationSubject({ companyName: context.companyName, ownerName: context.ownerName })
    : reminderSubject({ companyName: context.companyName });
}

export async function renderCampaignEmail(
  context: CampaignEmailContext,
  recipient: { contactName: string; token: string },
): Promise<RenderedEmail> {
  const props = emailProps(context, recipient);
  return renderEmail(
    context.kind === "invitation"
      ? createElement(InvitationEmail, props)
      : createElement(ReminderEmail, props),
  );
}

/** What React writes for text in HTML (react-dom's escapeTextForBrowser). */
function escapeHtmlText(value: string): string {
  return value
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#x27;");
}

/**
 * Builds outbox messages for many recipients, rendering each distinct context once.
 * One instance serves one send run; it holds rendered templates in memory.
 */
export function createCampaignMailer() {
  const templates = new Map<string, Promise<RenderedEmail>>();

  function templateFor(context: CampaignEmailContext): Promise<RenderedEmail> {
    const key = JSON.stringify(context);
    let template = templates.get(key);
    if (!template) {
      template = renderCampaignEmail(context, { contactName: NAME_MARK, token: TOKEN_MARK });
      templates.set(key, template);
    }
    return template;
  }

  return async function campaignEmail(
    context: CampaignEmailContext,
    recipient: CampaignRecipientEmail,
  ): Promise<NewEmail> {
    const template = await templateFor(context);
    const firstName = firstNameOf(recipient.contactName);
    const merge = (text: string, name: string) =>
      text.replaceAll(NAME_MARK, () => name).replaceAll(TOKEN_MARK, () => recipient.token);
    const { unsubscribeUrl } = surveyLinks(context.baseUrl, recipient.token);
    return {
      kind: context.kind,
      to: recipient.toAddress,
      from: context.from,
      replyTo: context.replyTo,
      subject: subjectOf(context),
      html: merge(template.html, escapeHtmlText(firstName)),
      text: merge(template.text, firstName),
      headers: {
        "List-Unsubscribe": `<${unsubscribeUrl}>`,
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
      },
      invitationId: recipient.invitationId,
      campaignId: recipient.campaignId,
      idempotencyKey: recipient.idempotencyKey,
    };
  };
}

export type CampaignMailer = ReturnType<typeof createCampaignMailer>;

/**
 * The From line: the human's name on the verified sending address, so the customer sees who
 * is asking while the domain stays the one the provider verified. Quotes and angle brackets
 * in a name would break the header, so they are dropped.
 */
export function senderLine(senderName: string, companyName: string, emailFrom: string): string {
  const clean = (value: string) => value.replace(/["<>\\\r\n]/g, "").trim();
  return `"${clean(senderName)} via ${clean(companyName)}" <${addressOf(emailFrom)}>`;
}
