import { Body, Container, Head, Html, Preview, Section } from "@react-email/components";
import type { ReactNode } from "react";

import { LAYOUT_CSS, colors, font } from "./theme";

type EmailLayoutProps = {
  /** The line inbox lists show after the subject. */
  preview: string;
  children: ReactNode;
  /** Sits under the card: who sent this and how to stop it. */
  footer?: ReactNode;
};

/** The frame every Rapport email shares: light/dark aware, one column, fluid down to 320 px. */
export function EmailLayout({ preview, children, footer }: EmailLayoutProps) {
  return (
    <Html lang="en" dir="ltr">
      <Head>
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="color-scheme" content="light dark" />
        <meta name="supported-color-schemes" content="light dark" />
        {/* A constant string, never user data, so injecting it raw is safe. */}
        <style dangerouslySetInnerHTML={{ __html: LAYOUT_CSS }} />
      </Head>
      <Preview>{preview}</Preview>
      <Body
        className="rp-page"
        style={{ backgroundColor: colors.page, fontFamily: font, margin: 0, padding: "24px 8px" }}
      >
        <Container style={{ maxWidth: "560px", width: "100%", margin: "0 auto" }}>
          <Section
            className="rp-card"
            style={{
              backgroundColor: colors.card,
              border: `1px solid ${colors.border}`,
              borderRadius: "8px",
              padding: "28px 24px",
            }}
          >
            {children}
          </Section>
          {footer ? <Section style={{ padding: "16px 8px 0" }}>{footer}</Section> : null}
        </Container>
      </Body>
    </Html>
  );
}
