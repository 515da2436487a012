import { createHmac } from "node:crypto";
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { expect, test, type Locator, type Page } from "@playwright/test";
import { openMenuIfCollapsed, signIn, watchForProblems } from "../support/e2e-actions";

/** Opens Settings from the main navigation, as the admin would. */
async function openSettings(page: Page) {
  await openMenuIfCollapsed(page);
  await page
    .getByRole("navigation", { name: "Main" })
    .filter({ visible: true })
    .getByRole("link", { name: "Settings" })
    .click();
  await expect(page.getByRole("heading", { level: 1, name: "Settings" })).toBeVisible();
}

/** Presses Tab until `target` has the focus, the way someone without a mouse gets there. */
async function tabTo(page: Page, target: Locator, maxPresses = 80) {
  await expect(target).toBeVisible();
  for (let i = 0; i < maxPresses; i++) {
    if (await target.evaluate((element) => element === document.activeElement)) return;
    await page.keyboard.press("Tab");
  }
  throw new Error(`${maxPresses} presses of Tab never reached ${target.toString()}`);
}

test("an admin creates an API key with the keyboard, uses it, sees when it was last used, and revokes it", async ({
  page,
  request,
}, testInfo) => {
  const problems = watchForProblems(page);
  const name = `e2e ${testInfo.project.name} key ${Date.now()}`;
  await signIn(page, "admin@demo.test");
  await openSettings(page);

  // From here on the keyboard only: to the page, through the form, and submit.
  const apiKeysLink = page.getByRole("navigation", { name: "More settings" }).getByRole("link", {
    name: "API keys",
  });
  await tabTo(page, apiKeysLink);
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/\/settings\/api-keys$/);
  await expect(page.getByRole("heading", { level: 1, name: "API keys" })).toBeVisible();

  const nameField = page.getByLabel("Name", { exact: true });
  await tabTo(page, nameField);
  await page.keyboard.type(name);
  await page.keyboard.press("Tab");
  const scope = page.getByLabel("Scope");
  await expect(scope).toBeFocused();
  await expect(scope).toHaveValue("read");
  await page.keyboard.press("ArrowDown");
  await expect(scope).toHaveValue("write");
  await page.keyboard.press("Tab");
  await expect(page.getByRole("button", { name: "Create the key" })).toBeFocused();
  await page.keyboard.press("Enter");

  // The whole key, shown this once.
  const shown = page.getByRole("status").filter({ hasText: "it is shown only this once" });
  await expect(shown).toContainText(`Your new write key “${name}”`);
  const keyText = shown.getByTestId("new-api-key");
  await expect(keyText).toBeVisible();
  await expect(keyText).toHaveText(/^rk_[0-9a-f]{8}_[A-Za-z0-9_-]{43}$/);
  const key = (await keyText.textContent())!.trim();
  const prefix = key.split("_")[1]!;

  // After a reload it is gone: the list has the name, the scope and the prefix only.
  await page.reload();
  await expect(page.getByRole("heading", { level: 1, name: "API keys" })).toBeVisible();
  await expect(page.getByTestId("new-api-key")).toHaveCount(0);
  await expect(page.getByText(key)).toHaveCount(0);
  const row = page.getByRole("table", { name: "API keys" }).getByRole("row").filter({ hasText: name });
  await expect(row).toHaveCount(1);
  const cells = row.getByRole("cell");
  await expect(cells.nth(0)).toHaveText(name);
  await expect(cells.nth(1)).toHaveText(`rk_${prefix}_…`);
  await expect(cells.nth(2)).toHaveText("write");
  await expect(cells.nth(3)).toContainText("by ");
  await expect(cells.nth(4)).toHaveText("never");
  await expect(cells.nth(5)).toHaveText("Active");

  // The key works against the running server…
  const authorization = { Authorization: `Bearer ${key}` };
  const ok = await request.get("/api/v1/accounts", { headers: authorization });
  expect(ok.status()).toBe(200);
  expect(ok.headers()["content-type"]).toMatch(/^application\/json/);
  const listed = (await ok.json()) as { data: unknown[]; next_cursor: string | null };
  expect(Array.isArray(listed.data)).toBe(true);
  expect(listed.data.length).toBeGreaterThan(0);

  // …and the page now says when it was last used (en-GB, UTC: "1 Dec 2026, 14:19").
  await page.reload();
  await expect(cells.nth(4)).toHaveText(/^\d{1,2} [A-Z][a-z]{2,3} \d{4}, \d{2}:\d{2}$/);

  // Revoking asks first: cancelling leaves the key active.
  const dialogs: string[] = [];
  page.once("dialog", (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  await row.getByRole("button", { name: `Revoke ${name}` }).click();
  await expect.poll(() => dialogs).toEqual([`Revoke “${name}”? Anything using it stops working at once.`]);
  await expect(cells.nth(5)).toHaveText("Active");
  await expect(page.getByText("Key revoked.")).toHaveCount(0);
  const stillOk = await request.get("/api/v1/accounts", { headers: authorization });
  expect(stillOk.status()).toBe(200);

  // Confirming revokes it.
  page.once("dialog", (dialog) => {
    dialogs.push(dialog.message());
    void dialog.accept();
  });
  await row.getByRole("button", { name: `Revoke ${name}` }).click();
  await expect(
    page.getByRole("status").filter({ hasText: "Key revoked. Requests using it now get 401." }),
  ).toBeVisible();
  expect(dialogs).toHaveLength(2);
  await expect(cells.nth(5)).toHaveText(/^Revoked \d{1,2} [A-Z][a-z]{2,3} \d{4}, \d{2}:\d{2} by .+/);
  await expect(row.getByRole("button", { name: /^Revoke/ })).toHaveCount(0);

  const refused = await request.get("/api/v1/accounts", { headers: authorization });
  expect(refused.status()).toBe(401);
  expect(refused.headers()["content-type"]).toMatch(/^application\/problem\+json/);
  const problem = (await refused.json()) as { type: string; status: number };
  expect(problem).toMatchObject({ type: "https://rapport.dev/problems/unauthorized", status: 401 });
  expect(problems).toEqual([]);
});

interface Received {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A webhook receiver on 127.0.0.1 that answers 200 and remembers every request. */
async function startReceiver() {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      received.push({
        method: req.method ?? "",
        path: req.url ?? "",
        headers: req.headers,
        body: Buffer.concat(chunks).toString("utf8"),
      });
      res.writeHead(200, { "Content-Type": "text/plain" }).end("ok");
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    port,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** docs/webhooks.md: v1,<base64 HMAC-SHA256 of "id.timestamp.body">, keyed with the secret after whsec_. */
function expectedSignature(secret: string, id: string, timestamp: string, body: string): string {
  const key = Buffer.from(secret.replace(/^whsec_/, ""), "base64");
  return `v1,${createHmac("sha256", key).update(`${id}.${timestamp}.${body}`).digest("base64")}`;
}

test("an admin adds a webhook endpoint, sends a test event the app's worker delivers signed, and sees it in the log", async ({
  page,
}, testInfo) => {
  const problems = watchForProblems(page);
  const receiver = await startReceiver();
  try {
    const url = `http://127.0.0.1:${receiver.port}/hook`;
    const description = `e2e ${testInfo.project.name} endpoint ${Date.now()}`;
    await signIn(page, "admin@demo.test");
    await openSettings(page);
    await page
      .getByRole("navigation", { name: "More settings" })
      .getByRole("link", { name: "Webhooks" })
      .click();
    await expect(page.getByRole("heading", { level: 1, name: "Webhooks" })).toBeVisible();

    const add = page.getByRole("region", { name: "Add an endpoint" });
    await add.getByLabel("URL").fill(url);
    await add.getByLabel("Description (optional)").fill(description);
    await add.getByRole("checkbox", { name: /^response\.completed/ }).check();
    await add.getByRole("button", { name: "Add the endpoint" }).click();

    await expect(page).toHaveURL(/\/settings\/webhooks\/[0-9a-f-]{36}\?created=1$/);
    await expect(page.getByRole("heading", { level: 1, name: url })).toBeVisible();
    await expect(
      page
        .getByRole("status")
        .filter({ hasText: "Endpoint added. Copy its signing secret into the receiver." }),
    ).toBeVisible();
    const secretText = page.getByTestId("webhook-secret");
    await expect(secretText).toHaveText(/^whsec_[A-Za-z0-9+/]{43}=$/);
    const secret = (await secretText.textContent())!.trim();
    const log = page.getByRole("region", { name: "Delivery log" });
    await expect(log.getByText("Nothing sent yet.")).toBeVisible();

    await page.getByRole("button", { name: "Send test" }).click();
    await expect(
      page
        .getByRole("status")
        .filter({ hasText: "A webhook.test event is queued. Its delivery appears in the log below." }),
    ).toBeVisible();

    // The app's own job worker (pg-boss in the server process) POSTs it to the receiver.
    const isTest = (r: Received) => {
      try {
        return (JSON.parse(r.body) as { type?: string }).type === "webhook.test";
      } catch {
        return false;
      }
    };
    await expect
      .poll(() => receiver.received.filter(isTest).length, {
        timeout: 30_000,
        message: "waiting for the webhook.test delivery at the receiver",
      })
      .toBe(1);
    const delivery = receiver.received.find(isTest)!;
    expect(delivery.method).toBe("POST");
    expect(delivery.path).toBe("/hook");
    expect(delivery.headers["content-type"]).toBe("application/json");
    expect(delivery.headers["user-agent"]).toBe("Rapport-Webhooks/1");
    const event = JSON.parse(delivery.body) as {
      id: string;
      type: string;
      timestamp: string;
      data: { message: string };
    };
    expect(event.id).toMatch(/^evt_/);
    expect(event.data.message).toEqual(expect.any(String));
    expect(Number.isNaN(Date.parse(event.timestamp))).toBe(false);

    const id = delivery.headers["webhook-id"] as string;
    const timestamp = delivery.headers["webhook-timestamp"] as string;
    const signature = delivery.headers["webhook-signature"] as string;
    expect(id).toBe(event.id);
    expect(Math.abs(Date.now() / 1000 - Number(timestamp))).toBeLessThan(300);
    expect(signature.split(" ")).toContain(expectedSignature(secret, id, timestamp, delivery.body));
    // …and not with some other secret
    expect(signature.split(" ")).not.toContain(
      expectedSignature(`whsec_${Buffer.alloc(32).toString("base64")}`, id, timestamp, delivery.body),
    );

    // The log shows it delivered: succeeded on the first try, HTTP 200, no error.
    const entry = log.getByRole("row").filter({ hasText: event.id });
    await expect(async () => {
      await page.reload();
      await expect(entry.getByRole("cell").nth(2)).toHaveText("succeeded", { timeout: 1_000 });
    }).toPass({ timeout: 20_000 });
    const cells = entry.getByRole("cell");
    await expect(cells.nth(1)).toContainText("webhook.test");
    await expect(cells.nth(3)).toHaveText("1");
    await expect(cells.nth(4)).toHaveText("200");
    await expect(cells.nth(5)).toHaveText("");
    expect(receiver.received.filter(isTest)).toHaveLength(1);

    // The list shows the endpoint with its one subscription.
    await page.getByRole("link", { name: "← Webhooks" }).click();
    const listed = page
      .getByRole("table", { name: "Webhook endpoints" })
      .getByRole("row")
      .filter({ hasText: description });
    await expect(listed.getByRole("link", { name: url })).toBeVisible();
    await expect(listed.getByRole("cell").nth(1)).toHaveText("response.completed");
    await expect(listed.getByRole("cell").nth(2)).toHaveText("Enabled");

    // Delete it (confirmed), so later specs' survey answers are not queued for a receiver that is gone.
    await listed.getByRole("link", { name: url }).click();
    await expect(page.getByRole("heading", { level: 1, name: url })).toBeVisible();
    page.once("dialog", (dialog) => void dialog.accept());
    await page.getByRole("button", { name: "Delete endpoint" }).click();
    await expect(page).toHaveURL(/\/settings\/webhooks$/);
    await expect(page.getByText(description)).toHaveCount(0);
    expect(problems).toEqual([]);
  } finally {
    await receiver.close();
  }
});
