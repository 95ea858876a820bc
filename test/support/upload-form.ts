import type { Page } from 'playwright-core';
import { type Harness, waitUntilStored } from './harness';

/**
 * Sends the one file staged in the library's upload form, waits until the asset is stored and
 * returns its id; with `open`, goes on to the asset's page through the form's link.
 */
export async function sendStagedFile(page: Page, harness: Harness, { open = false } = {}): Promise<string> {
  await page.getByRole('button', { name: 'Upload (1)', exact: true }).click();
  const uploaded = page.locator('a.uploaded');
  await uploaded.waitFor();
  const id = (await uploaded.getAttribute('href'))!.split('/').pop()!;
  await waitUntilStored(harness, id);
  if (open) {
    await uploaded.click();
    await page.getByTestId('asset-state').waitFor();
  }
  return id;
}
