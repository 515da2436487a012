import { describe, expect, it } from "vitest";
import { isPredictionLocked, isPredictionVisibleTo } from "~/domain/predictions";

const made = new Date("2026-03-01T10:00:00Z");
const prediction = { authorId: "rep", createdAt: made, campaignId: null };

describe("sealed predictions", () => {
  it("are visible only to their author until the customer answers", () => {
    expect(isPredictionVisibleTo(prediction, "rep", [])).toBe(true);
    expect(isPredictionVisibleTo(prediction, "boss", [])).toBe(false);
  });

  it("ignore answers that came before the prediction was made", () => {
    const earlier = [{ completedAt: new Date("2026-02-01T00:00:00Z"), campaignId: null }];
    expect(isPredictionVisibleTo(prediction, "boss", earlier)).toBe(false);
    expect(isPredictionLocked(prediction, earlier)).toBe(false);
  });

  it("become visible to the team and locked once the customer answers", () => {
    const later = [{ completedAt: new Date("2026-03-02T00:00:00Z"), campaignId: "c1" }];
    expect(isPredictionVisibleTo(prediction, "boss", later)).toBe(true);
    expect(isPredictionLocked(prediction, later)).toBe(true);
  });

  it("wait for the campaign they predict when they name one", () => {
    const forCampaign = { ...prediction, campaignId: "c2" };
    const otherCampaign = [{ completedAt: new Date("2026-03-02T00:00:00Z"), campaignId: "c1" }];
    expect(isPredictionLocked(forCampaign, otherCampaign)).toBe(false);
    expect(
      isPredictionLocked(forCampaign, [{ completedAt: new Date("2026-03-05T00:00:00Z"), campaignId: "c2" }]),
    ).toBe(true);
  });
});
