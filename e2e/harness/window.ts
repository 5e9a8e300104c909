// The app's window as the end-to-end tests drive it: Debian's chromium on the harness at 1360x900,
// every console error and uncaught exception collected (a run must end with none), and the
// locators the tests share.
import type { Locator, Page } from 'playwright-core';
import { launchChromium, type HarnessBrowser } from './chromium';
import type { Harness } from './server';

export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A form field by its label; a required field's label ends in an asterisk. */
export function fieldByLabel(page: Page, label: string): Locator {
  return page.getByLabel(new RegExp(`^${escapeRegExp(label)}\\s*(\\*)?$`));
}

/** Opens the window on the harness; console errors and page errors are pushed to `problems`. */
export async function openAppWindow(harness: Harness, problems: string[]): Promise<HarnessBrowser> {
  const browser = await launchChromium({ viewport: { width: 1360, height: 900 } });
  const { page } = browser;
  page.setDefaultTimeout(20_000);
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(message.text());
  });
  page.on('pageerror', (error) => problems.push(error.message));
  await page.goto(harness.url);
  return browser;
}
