import { describe, expect, it } from "vitest";
import { outboxStatus } from "../../db/schema";
import { OUTBOX_STATUSES, withLinksInNewTab } from "~/domain/outbox-viewer";

describe("OUTBOX_STATUSES", () => {
  it("is the database's outbox_status enum, in its order", () => {
    expect([...OUTBOX_STATUSES]).toEqual(outboxStatus.enumValues);
  });
});

describe("withLinksInNewTab", () => {
  it("puts the base target first in an existing head, attributes and case notwithstanding", () => {
    expect(
      withLinksInNewTab(
        '<!DOCTYPE html><html lang="en"><HEAD data-x="1"><title>t</title></HEAD><body></body></html>',
      ),
    ).toBe(
      '<!DOCTYPE html><html lang="en"><HEAD data-x="1"><base target="_blank"><title>t</title></HEAD><body></body></html>',
    );
  });

  it("adds a head when the document has none, and does not mistake <header> for one", () => {
    expect(withLinksInNewTab("<html><body><header>Hi</header></body></html>")).toBe(
      '<html><head><base target="_blank"></head><body><header>Hi</header></body></html>',
    );
  });

  it("wraps a bare fragment", () => {
    expect(withLinksInNewTab('<p><a href="/s/x">Start</a></p>')).toBe(
      '<head><base target="_blank"></head><p><a href="/s/x">Start</a></p>',
    );
  });
});
