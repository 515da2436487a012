import { Link, Section, Text } from "@react-email/components";

import { colors, mutedStyle } from "./theme";

type AdvocacyScaleProps = {
  /** Eleven links, index = score 0..10, each recording that answer server-side. */
  scaleUrls: readonly string[];
};

/*
 * Inline-block links rather than table cells, so the row wraps on narrow screens
 * (six then five at 320 px) instead of overflowing. 38×44 px targets with a 4 px gap are
 * above WCAG's 24 px minimum and close to the 44 px touch guideline. Plain links need no
 * JavaScript: the click is a GET that records the answer and lands on the survey.
 *
 * Skipped in the plain-text part (data-skip-in-text): eleven bare URLs would bury the one
 * survey link there.
 */
export function AdvocacyScale({ scaleUrls }: AdvocacyScaleProps) {
  return (
    <Section data-skip-in-text="true" style={{ margin: "0 0 16px" }}>
      <div style={{ fontSize: 0, lineHeight: 0 }}>
        {scaleUrls.map((url, score) => (
          <Link
            key={score}
            href={url}
            className="rp-scale"
            aria-label={`${score} out of 10`}
            title={`${score} out of 10`}
            style={{
              backgroundColor: colors.scale,
              border: `1px solid ${colors.border}`,
              borderRadius: "6px",
              boxSizing: "border-box",
              color: colors.text,
              display: "inline-block",
              fontSize: "16px",
              fontWeight: 600,
              height: "44px",
              lineHeight: "42px",
              margin: "0 4px 4px 0",
              textAlign: "center",
              textDecoration: "none",
              width: "38px",
            }}
          >
            {score}
          </Link>
        ))}
      </div>
      {/* Numbers in the labels keep them true when the row wraps. */}
      <Text className="rp-muted" style={{ ...mutedStyle, margin: "4px 0 0" }}>
        0 = Not at all likely · 10 = Extremely likely
      </Text>
    </Section>
  );
}
