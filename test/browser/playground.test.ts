/**
 * docs/playground.html in headless Chromium, opened from the file system as a user would: typing a
 * valid packet and a broken one, a shared link, the examples menu, keyboard use. The page is built
 * afresh from the sources into .tmp/ (beside a copy of docs/grammar.html, which its rule links
 * open). It also takes the README's screenshot: `.tmp/playground/playground.png` on every run, and
 * docs/playground.png with UPDATE_SCREENSHOTS=1.
 */
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { playgroundExamples, renderPlayground } from '../../scripts/build-playground.ts';
import { chromiumMissing, launchChromium } from './chromium.ts';

const root = resolve(import.meta.dirname, '..', '..');
const folder = join(root, '.tmp', 'playground');
const pageUrl = pathToFileURL(join(folder, 'playground.html')).href;

describe.skipIf(chromiumMissing !== undefined)(`the playground in Chromium ${chromiumMissing ?? ''}`, () => {
  let browser: Browser;
  let page: Page;
  /** Uncaught errors in the page, and any request that is not for a local file: both must stay empty. */
  const problems: string[] = [];

  beforeAll(async () => {
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, 'playground.html'), await renderPlayground());
    copyFileSync(join(root, 'docs', 'grammar.html'), join(folder, 'grammar.html'));
    browser = await launchChromium();
    // One tab for all tests (each opens the page afresh): a new tab costs more than a test.
    page = await browser.newPage({ viewport: { width: 1000, height: 760 }, deviceScaleFactor: 1 });
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('request', (request) => {
      if (!request.url().startsWith('file:')) problems.push(`request: ${request.url()}`);
    });
  });

  afterAll(async () => {
    await browser?.close();
  });

  afterEach(() => {
    expect(problems).toEqual([]);
  });

  const text = async (selector: string) => (await page.locator(selector).textContent()) ?? '';

  /**
   * Puts `start` in the input, then types `keys` one key at a time (each key a round trip to the
   * browser, so only the end of a packet is typed); Ctrl+Space types NUL.
   */
  async function type(start: string, keys: string, thenNul = false): Promise<void> {
    const input = page.getByLabel('Packet', { exact: true });
    await input.fill(start);
    await input.pressSequentially(keys);
    if (thenNul) await input.press('Control+Space');
  }

  const bytes = (packet: string) => new TextEncoder().encode(packet).length;

  test('a valid packet, typed: its tree, JSON and canonical text, and the link in the address', async () => {
    await page.goto(pageUrl);
    const typed = 'USERNODE  bob 127.000.0.1 05001 SEND alice MESSAGE hi there\0';
    await type('USERNODE  bob 127.000.0.1 05001 SEND alice ', 'MESSAGE hi there', true);
    expect(await page.getByRole('status').textContent()).toBe(
      `A packet: UserCommand, SEND; ${bytes(typed)} bytes.`,
    );
    const packet = {
      kind: 'UserCommand',
      sender: { kind: 'UserNode', alias: 'bob', ip: '127.0.0.1', port: 5001 },
      command: { verb: 'SEND', alias: 'alice', message: 'hi there' },
    };
    expect(JSON.parse(await text('#json'))).toEqual(packet);
    const tree = await text('#tree');
    for (const line of [
      'packet: UserCommand',
      'sender: UserNode',
      'ip: "127.0.0.1"',
      'command: SEND',
      'message: "hi there"',
    ]) {
      expect(tree).toContain(line);
    }
    expect(await text('#canonical')).toBe('USERNODE bob 127.0.0.1 5001 SEND alice MESSAGE hi there\\0');
    expect(await text('#canonical-note')).toContain('not canonical');
    expect(await page.locator('#failure').isHidden()).toBe(true);
    // The address follows once typing rests.
    await expect.poll(() => decodeURIComponent(new URL(page.url()).hash.slice(1))).toBe(typed);
  });

  test('a broken packet, typed: the place marked, what was expected, the rule linked to its diagram', async () => {
    await page.goto(pageUrl);
    await type('USERNODE bob 127.0.0.1 ', '70000 EXIT');
    expect(await page.getByRole('status').textContent()).toBe(
      'Not a packet: 1:24: Port "70000" must be 4 digits, or 5 digits starting with 0-6 while reading Port.',
    );
    expect(await page.getByLabel('Packet', { exact: true }).getAttribute('aria-invalid')).toBe('true');
    expect(await text('#error-text mark')).toBe('70000');
    expect(await text('#error-position')).toBe('line 1, column 24 (offset 23 of 33)');
    expect(await text('#error-expected')).toBe(
      'a Port (4 digits, or 5 digits starting with 0-6; at most 65535)',
    );
    expect(await text('#error-found')).toBe('"70000"');
    expect(await page.locator('#result').isHidden()).toBe(true);
    await page.screenshot({ path: join(folder, 'playground.png') });
    if (process.env.UPDATE_SCREENSHOTS) await page.screenshot({ path: join(root, 'docs', 'playground.png') });

    // What a screen reader is given: the labelled controls, the status, the rule's link.
    const aria = await page.locator('body').ariaSnapshot();
    for (const line of [
      '- combobox "Examples from the conformance vectors"',
      '- textbox "Packet" [invalid]: USERNODE bob 127.0.0.1 70000 EXIT',
      '- status: "Not a packet: 1:24: Port',
      '- region "Why this is not a packet"',
      '- mark: "70000"',
      '- link "Port"',
      '- button "Select the error in the input"',
    ]) {
      expect(aria).toContain(line);
    }

    // The keyboard way to the error: the button selects it in the input.
    await page.getByRole('button', { name: 'Select the error in the input' }).press('Enter');
    const selection = await page.evaluate(
      `[document.activeElement.id, document.activeElement.selectionStart, document.activeElement.selectionEnd]`,
    );
    expect(selection).toEqual(['packet', 23, 24]);

    const rule = page.getByRole('link', { name: 'Port' });
    expect(await rule.getAttribute('href')).toBe('grammar.html#Port');
    await rule.click();
    await page.waitForURL(/grammar\.html#Port$/);
    expect(await page.locator('#Port').textContent()).toBe('Port');
  });

  test('the end of the input is marked where a packet stops short; a lexical error names its rule', async () => {
    await page.goto(pageUrl);
    await type('USERNODE bob 127.0.0.1 5001 SEND alice MESSAGE ', 'hi');
    expect(await text('#error-text mark')).toBe('end of input');
    expect(await page.getByRole('link', { name: 'Message' }).getAttribute('href')).toBe(
      'grammar.html#Message',
    );
    await type('', 'HELLO');
    expect(await text('#error-rule')).toContain('the first token chooses between Command and ServerReply');
  });

  test('a NUL pasted in is shown as its escape', async () => {
    await page.goto(pageUrl);
    const input = page.getByLabel('Packet', { exact: true });
    await input.fill('');
    await input.focus();
    await page.keyboard.insertText('USERNODE bob 127.0.0.1 5001 CSEND MESSAGE hi\0');
    expect(await input.inputValue()).toBe('USERNODE bob 127.0.0.1 5001 CSEND MESSAGE hi\\0');
    expect(await page.getByRole('status').textContent()).toMatch(/^A packet: UserCommand, CSEND/);
  });

  test('a link reproduces the packet, NUL and CR written as escapes in the input', async () => {
    const packet = 'SERVERREPLY SERVER a 10.0.0.1 8000 -ERR\rUSERNODE b 1.2.3.4 5001 CSEND MESSAGE x\\y\0';
    await page.goto(`${pageUrl}#${encodeURIComponent(packet)}`);
    expect(await page.getByLabel('Packet', { exact: true }).inputValue()).toBe(
      'SERVERREPLY SERVER a 10.0.0.1 8000 -ERR\\rUSERNODE b 1.2.3.4 5001 CSEND MESSAGE x\\\\y\\0',
    );
    expect(await page.getByRole('status').textContent()).toBe(
      `A packet: ServerReply -ERR, CSEND; ${bytes(packet)} bytes.`,
    );
    expect(await text('#canonical')).toBe(
      'SERVERREPLY SERVER a 10.0.0.1 8000 -ERR USERNODE b 1.2.3.4 5001 CSEND MESSAGE x\\\\y\\0',
    );
  });

  test('a long list is drawn closed, and opened from the keyboard', async () => {
    const users = Array.from({ length: 10 }, (_, i) => ` USERNODE user${i} 10.0.0.${i} ${5000 + i}`).join('');
    await page.goto(`${pageUrl}#${encodeURIComponent(`SERVER alpha 10.0.0.1 8000 KNOWNUSERS${users}`)}`);
    const list = page.locator('#tree details');
    expect(await list.locator('summary').textContent()).toBe('users: 10 items');
    expect(await list.locator('li').count()).toBe(0);
    await list.locator('summary').press('Enter');
    await expect.poll(() => list.locator(':scope > ul > li').count()).toBe(10);
    expect(await list.locator('li').first().textContent()).toContain('[0]: UserNode');
  });

  test('the examples menu holds every typable conformance vector, and each shows as valid or not as its vector says', async () => {
    await page.goto(pageUrl);
    const examples = playgroundExamples();
    expect(examples.length).toBeGreaterThan(100);
    // Chosen from the keyboard: focus the menu, arrow down to the first example.
    await page.getByLabel('Examples from the conformance vectors').focus();
    await page.keyboard.press('ArrowDown');
    expect(await page.getByLabel('Packet', { exact: true }).inputValue()).toBe(
      (examples[0]?.input ?? '').replaceAll('\0', '\\0'),
    );
    const shown = await page.evaluate(`(() => {
      const menu = document.getElementById('examples');
      const shown = [];
      for (const option of menu.querySelectorAll('option:not([value=""])')) {
        menu.value = option.value;
        menu.dispatchEvent(new Event('change'));
        shown[Number(option.value)] = document.getElementById('status').className;
      }
      return shown;
    })()`);
    expect(shown).toEqual(examples.map((example) => (example.valid ? 'valid' : 'invalid')));
  });
});
