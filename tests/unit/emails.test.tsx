import { describe, expect, it } from "vitest";

import CaseAlertEmail, { caseAlertSubject } from "../../emails/case-alert";
import InvitationEmail, { invitationSubject } from "../../emails/invitation";
import ReminderEmail from "../../emails/reminder";
import { renderEmail } from "../../emails/render";

const invitation = InvitationEmail.PreviewProps;
const reminder = ReminderEmail.PreviewProps;
const alert = CaseAlertEmail.PreviewProps;

/** HTML escapes & in attributes; the URLs the app builds carry query strings. */
const inHtml = (url: string) => url.replace(/&/g, "&amp;");

describe("invitation email", () => {
  const scaleUrls = Array.from({ length: 11 }, (_, n) => `https://r.test/s/tok/a?score=${n}&src=email`);

  it("links all eleven scores in order and names the owner", async () => {
    const { html } = await renderEmail(<InvitationEmail {...invitation} scaleUrls={scaleUrls} />);
    let from = 0;
    for (const url of scaleUrls) {
      const at = html.indexOf(`href="${inHtml(url)}"`, from);
      expect(at, url).toBeGreaterThan(from - 1);
      from = at + 1;
    }
    expect(html).toContain("Maya Chen, Account manager at Acme, asked us to send this.");
    expect(html).toContain("Not at all likely");
    expect(html).toContain("Extremely likely");
    expect(html).toContain('<meta name="color-scheme" content="light dark"');
    expect(html).toContain("prefers-color-scheme: dark");
  });

  it("has a plain-text part with the survey and unsubscribe links but not eleven score links", async () => {
    const { text } = await renderEmail(<InvitationEmail {...invitation} scaleUrls={scaleUrls} />);
    expect(text).toContain(invitation.surveyUrl);
    expect(text).toContain(invitation.unsubscribeUrl);
    expect(text).toContain("Maya Chen");
    expect(text).toContain("July 15, 2025");
    expect(text).not.toContain("score=7");
    expect(text).not.toContain("To start");
    expect(text).not.toMatch(/<[a-z]/i);
  });

  it("omits the scale when showScale is false and offers the survey button instead", async () => {
    const { html, text } = await renderEmail(<InvitationEmail {...invitation} showScale={false} />);
    for (const url of invitation.scaleUrls) expect(html).not.toContain(url);
    expect(html).not.toContain("Not at all likely");
    expect(html).toContain(`href="${invitation.surveyUrl}"`);
    expect(text).toContain(invitation.surveyUrl);
  });

  it("falls back to the survey link when the app passes fewer than eleven scale links", async () => {
    const { html } = await renderEmail(
      <InvitationEmail {...invitation} scaleUrls={scaleUrls.slice(0, 10)} />,
    );
    expect(html).not.toContain("Not at all likely");
    expect(html).toContain(`href="${invitation.surveyUrl}"`);
  });

  it("reads naturally without an owner title", async () => {
    const { text } = await renderEmail(<InvitationEmail {...invitation} ownerTitle={undefined} />);
    expect(text).toContain("Maya Chen at Acme asked us to send this.");
  });

  it("shows a malformed expiry date as given instead of crashing", async () => {
    const { text } = await renderEmail(<InvitationEmail {...invitation} expiresOn="2025-02-30" />);
    expect(text).toContain("works until 2025-02-30");
  });

  it("has a subject naming the owner", () => {
    expect(invitationSubject(invitation)).toBe("Maya Chen would like to hear how working with Acme is going");
  });
});

describe("reminder email", () => {
  it("renders both parts with the survey, the unsubscribe link and the owner", async () => {
    const { html, text } = await renderEmail(<ReminderEmail {...reminder} />);
    expect(html).toContain(`href="${reminder.surveyUrl}"`);
    expect(html).toContain(`href="${reminder.unsubscribeUrl}"`);
    expect(html).toContain('<meta name="color-scheme" content="light dark"');
    expect(text).toContain(reminder.surveyUrl);
    expect(text).toContain(reminder.unsubscribeUrl);
    expect(text).toContain("Maya Chen, Account manager at Acme, asked us to send you");
    expect(text).toContain("July 15, 2025");
  });
});

describe("case alert email", () => {
  it("names the account, the contact and the SLA deadline with its zone", async () => {
    const { html, text } = await renderEmail(<CaseAlertEmail {...alert} />);
    for (const part of [html, text]) {
      expect(part).toContain("Northwind Logistics");
      expect(part).toContain("Jordan Reyes");
      expect(part).toContain("Thu, June 12, 2025 at 2:00 PM UTC");
    }
    expect(html).toContain(`href="${alert.caseUrl}"`);
    expect(text).toContain(alert.caseUrl);
    expect(text).toContain(alert.verbatim);
  });

  it("shows the deadline in the owner's zone when one is given, and accepts a Date", async () => {
    const { text } = await renderEmail(
      <CaseAlertEmail {...alert} slaDueAt={new Date("2025-06-12T14:00:00Z")} timeZone="America/New_York" />,
    );
    expect(text).toContain("Thu, June 12, 2025 at 10:00 AM EDT");
  });

  it("leaves out the quote block when there is no verbatim", async () => {
    const { html } = await renderEmail(<CaseAlertEmail {...alert} verbatim={undefined} />);
    expect(html).not.toContain("“");
  });

  it("has a subject naming the contact, account and severity", () => {
    expect(caseAlertSubject(alert)).toBe("9-1-1: Jordan Reyes at Northwind Logistics needs you (High)");
  });
});

describe("every template", () => {
  it.each([
    ["invitation", <InvitationEmail key="i" {...invitation} />],
    [
      "invitation without scale or title",
      <InvitationEmail key="i2" {...invitation} showScale={false} ownerTitle={undefined} />,
    ],
    ["reminder", <ReminderEmail key="r" {...reminder} />],
    ["reminder without title", <ReminderEmail key="r2" {...reminder} ownerTitle={undefined} />],
    ["case alert", <CaseAlertEmail key="c" {...alert} />],
    ["case alert without verbatim", <CaseAlertEmail key="c2" {...alert} verbatim={undefined} />],
  ])("%s never prints undefined or null", async (_name, element) => {
    const { html, text } = await renderEmail(element);
    for (const part of [html, text]) {
      expect(part).not.toMatch(/undefined|null|NaN|\[object/);
    }
    expect(text.trim().length).toBeGreaterThan(100);
  });
});

describe("plain-text part", () => {
  it("keeps headings as written rather than in capitals", async () => {
    const { text } = await renderEmail(<CaseAlertEmail {...alert} />);
    expect(text).toContain("Jordan Reyes at Northwind Logistics needs a person");
  });
});
