import { describe, expect, it } from "vitest";
import { createRequestPacer } from "~/lib/email.server";

/** A clock that only moves when the pacer sleeps (or the test says so). */
function fakeTime() {
  let now = 0;
  return {
    clock: () => now,
    sleep: async (ms: number) => {
      now += ms;
    },
    advance(ms: number) {
      now += ms;
    },
    get now() {
      return now;
    },
  };
}

describe("createRequestPacer", () => {
  it("lets at most N requests be answered in any rolling window", async () => {
    const time = fakeTime();
    const pacer = createRequestPacer(2, time);
    const starts: number[] = [];
    for (let i = 0; i < 6; i++) {
      const answered = await pacer.wait();
      starts.push(time.now);
      time.advance(10); // the provider takes 10 ms to answer
      answered();
    }
    // two at once, then the next two once the first answers are 1 s (+25 ms slack) old
    expect(starts).toEqual([0, 10, 1035, 1045, 2070, 2080]);
  });

  it("counts a request from its answer, so a slow answer delays the next ones instead of bunching them", async () => {
    const time = fakeTime();
    const pacer = createRequestPacer(2, time);
    const first = await pacer.wait();
    time.advance(600); // busy event loop / slow provider
    first();
    const second = await pacer.wait();
    second();
    const third = await pacer.wait();
    expect(time.now).toBe(600 + 1025);
    third();
  });

  it("holds every request while the provider asked to wait", async () => {
    const time = fakeTime();
    const pacer = createRequestPacer(10, time);
    pacer.pause(3000);
    const answered = await pacer.wait();
    expect(time.now).toBe(3000);
    answered();
  });

  it("spaces a rate below one a second as one request per period", async () => {
    const time = fakeTime();
    const pacer = createRequestPacer(0.5, time);
    (await pacer.wait())();
    (await pacer.wait())();
    expect(time.now).toBe(2025);
  });
});
