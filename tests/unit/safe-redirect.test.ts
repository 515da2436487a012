import { describe, expect, it } from "vitest";
import { safeRedirect } from "~/lib/safe-redirect";

describe("safeRedirect", () => {
  it("keeps a same-site path with its query", () => {
    expect(safeRedirect("/accounts?q=acme")).toBe("/accounts?q=acme");
  });

  it.each([
    ["//evil.example/x"],
    ["https://evil.example"],
    ["/\\evil.example"],
    ["javascript:alert(1)"],
    ["/\t/evil.example"],
    ["/\r/evil.example"],
    ["/\n/evil.example"],
    ["/accounts\\..\\evil"],
    [""],
    [null],
    [undefined],
  ])("falls back for %s", (to) => {
    expect(safeRedirect(to, "/dashboard")).toBe("/dashboard");
  });
});
