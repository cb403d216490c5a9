// The status page in a real browser (Debian's chromium, driven by playwright-core): job rows,
// a failing health check shown failing, numbers that change after a refresh, a screenshot.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { createMetricsServer, HealthChecks, Registry } from '../../src/index.js';
import { fetchRaw } from '../support/http.js';

// Headless, and a fresh profile directory, are what playwright's launch() does by itself; the
// rest keeps Chromium from reaching for a network this machine does not have.
const CHROMIUM_FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

describe('status page', () => {
  it('shows jobs and health, refreshes, and is protected like /metrics', async () => {
    const registry = new Registry();
    registry.observeJob('send-email', 'success', 0.3);
    registry.observeJob('send-email', 'failure', 1.2);
    registry.observeJob('nightly-report', 'success', 95);
    const health = new HealthChecks(registry)
      .add('database', () => 'connections 3/10')
      .add(
        'payment-api',
        () => {
          throw new Error('HTTP 502 from upstream');
        },
        { critical: false },
      );
    const server = await createMetricsServer({
      registry,
      port: 0,
      health,
      statusPage: true,
      trustedCidrs: ['127.0.0.1/32'],
    });
    const base = server.url.replace(/\/metrics$/, '');
    const browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      headless: true,
      args: CHROMIUM_FLAGS,
    });
    try {
      expect((await fetchRaw(`${base}/`, { localAddress: '127.0.0.2' })).status).toBe(403);
      expect((await fetchRaw(`${base}/status.json`, { localAddress: '127.0.0.2' })).status).toBe(403);

      const page = await browser.newPage();
      await page.goto(`${base}/`);
      const email = page.locator('#jobs tr[data-kind="send-email"]');
      await email.waitFor();
      expect(await email.locator('td').allTextContents()).toEqual([
        'send-email',
        '2',
        '1',
        expect.stringMatching(/s$/),
        expect.stringMatching(/s$|ms$/),
      ]);
      await expect.poll(() => page.locator('#jobs tr[data-kind]').count()).toBe(2);
      const failing = page.locator('#health tr[data-component="payment-api"]');
      expect(await failing.getAttribute('data-status')).toBe('down');
      expect(await failing.textContent()).toContain('HTTP 502 from upstream');
      expect(await page.locator('#overall').textContent()).toBe('degraded');

      // New runs appear at the next refresh (every 3 s) without reloading the page.
      for (let i = 0; i < 5; i++) registry.observeJob('send-email', 'success', 0.1);
      await expect.poll(async () => email.locator('td').nth(1).textContent(), { timeout: 8000 }).toBe('7');

      const artifacts = new URL('../../test-artifacts/', import.meta.url).pathname;
      mkdirSync(artifacts, { recursive: true });
      await page.screenshot({ path: join(artifacts, 'status-page.png'), fullPage: true });
    } finally {
      await browser.close();
      await server.close();
    }
  }, 60_000);
});
