import { afterAll, afterEach, beforeAll, beforeEach } from "vitest";
import { startFakeResend, type FakeResend, type FakeResendOptions } from "./fake-resend";

/**
 * For an integration test file that sends mail: one fake Resend for the file, emptied before
 * each test, with RESEND_API_KEY / RESEND_BASE_URL pointing at it (plus `env`, where a value
 * of undefined unsets the variable) for each test and restored after it.
 */
export function fakeResendForEachTest(
  options: FakeResendOptions & { env?: Record<string, string | undefined> } = {},
): { readonly fake: FakeResend } {
  const { env = {}, ...fakeOptions } = options;
  let fake: FakeResend | undefined;
  const names = ["RESEND_API_KEY", "RESEND_BASE_URL", ...Object.keys(env)];
  const saved = Object.fromEntries(names.map((name) => [name, process.env[name]]));

  beforeAll(async () => {
    fake = await startFakeResend(fakeOptions);
  });
  afterAll(async () => {
    await fake?.close();
  });
  beforeEach(() => {
    fake!.received.length = 0;
    fake!.requests.length = 0;
    const values: Record<string, string | undefined> = {
      RESEND_API_KEY: "re_test",
      RESEND_BASE_URL: fake!.url,
      ...env,
    };
    for (const [name, value] of Object.entries(values)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });
  afterEach(() => {
    for (const name of names) {
      if (saved[name] === undefined) delete process.env[name];
      else process.env[name] = saved[name];
    }
  });
  return {
    get fake() {
      if (!fake)
        throw new Error("fakeResendForEachTest: the fake starts in beforeAll; read it inside a test");
      return fake;
    },
  };
}
