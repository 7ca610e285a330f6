// This file is part of the business hall modules.  The COPYRIGHT file at the
// top level of this repository contains the full copyright notices and
// license terms.
//
// A front desk clerk settles a balanced day in the sao web client, from an
// empty form, and the walk counts her actions.
//
//   CHROMIUM=/usr/bin/chromium node tests/browser/clerk_walk.mjs \
//       BASE_URL DATABASE LOGIN PASSWORD SCREENSHOT_PREFIX
//
// The clerk opens 营业厅 › 结帐 › 结帐单, creates a settlement (her hall,
// today and her shift on the rota come by default), imports her day report
// of the billing system, counts the notes, closes the count and confirms.
// An action is a click, a file chosen or a field typed (and left with
// Tab).  Prints one JSON line on stdout:
//   {"ok": true, "actions": N, "steps": [...], "state": "...",
//    "difference": "...", "screenshots": [...]}
// or {"ok": false, "error": "...", ...} with exit status 1.
import {
    TIMEOUT, launch, login, openMenu, poll, report, run, trackCalls,
} from './sao.mjs';

const ACTIVE = '#tabcontent > .tab-pane.active';
// The clerk's day report of the billing system: 5 notes of 100 yuan pay
// it exactly
const REPORT = 'code,amount\nHF,500\n';
const NOTES = {denomination: '100', count: '5'};
// The label of the count in the form
const COUNTS = '点钞';

async function main() {
    const [baseUrl, database, user, password, prefix] =
        process.argv.slice(2);
    if (!prefix) {
        throw new Error('usage: clerk_walk.mjs BASE_URL DATABASE LOGIN '
            + 'PASSWORD SCREENSHOT_PREFIX');
    }
    const result = {ok: false, actions: 0, steps: [], screenshots: []};
    let browser;
    let page;
    const watchdog = setTimeout(() => {
        report({...result, error: `no result after ${8 * TIMEOUT} ms`})
            .then(() => process.exit(1));
    }, 8 * TIMEOUT);
    const step = (what, actions = 1) => {
        result.actions += actions;
        result.steps.push(what);
    };
    const value = name => page.locator(`${ACTIVE} [name=${name}]`).first()
        .evaluate(el => el.tagName === 'SELECT'
            ? (el.selectedOptions[0] || {text: null}).text
            : (el.value !== undefined ? el.value : el.innerText))
        .catch(() => null);
    const shot = async name => {
        const path = `${prefix}-${name}.png`;
        await page.screenshot({path, fullPage: false});
        result.screenshots.push(path);
    };
    try {
        browser = await launch();
        page = browser.page;
        const calls = trackCalls(page);
        const errors = [];
        page.on('pageerror', error => errors.push(String(error)));
        await page.goto(baseUrl, {timeout: TIMEOUT});
        await login(page, database, user, password);
        await calls.idle();

        // The menu: two parents to expand and the entry
        const menu = ['营业厅', '结帐', '结帐单'];
        await openMenu(page, menu);
        step(`menu ${menu.join(' / ')}`, menu.length);
        await poll(async () => (await page.locator(
            `${ACTIVE} button#new_, ${ACTIVE} a#new_`).count()) > 0,
            'the settlement list');
        await calls.idle();

        await page.locator(`${ACTIVE} button#new_`).first().click(
            {timeout: TIMEOUT});
        step('New');
        await calls.idle();

        // The fees: the billing system's day report of the clerk, imported
        await page.locator(`${ACTIVE} button`, {hasText: '导入营业报表'})
            .first().click({timeout: TIMEOUT});
        step('Import Day Report');
        const dialog = page.locator('.modal:visible').last();
        await dialog.locator('input[type=file]').first().waitFor(
            {state: 'attached', timeout: TIMEOUT});
        await dialog.locator('input[type=file]').first().setInputFiles({
            name: 'day-report.csv', mimeType: 'text/csv',
            buffer: Buffer.from(REPORT)});
        step('choose the report file');
        await dialog.locator('.modal-footer button', {hasText: '导入'})
            .first().click({timeout: TIMEOUT});
        step('Import');
        await calls.idle();
        await poll(async () => !(await page.locator('.modal:visible')
            .count()), 'the import to end');
        await calls.idle();

        // The count of the notes of 100 yuan
        const widget = label => page.locator(`${ACTIVE} .form-one2many`)
            .filter({has: page.locator('.form-one2many-string',
                {hasText: label})}).first();
        const row = widget(COUNTS).locator('table.tree > tbody > tr')
            .filter({hasText: NOTES.denomination}).first();
        // The first click selects the row, the second edits the cell
        for (const what of [`the row of ${NOTES.denomination}`, null]) {
            await row.locator('td[headers]:visible').nth(1).click(
                {timeout: TIMEOUT});
            await calls.idle();
            if (what) {
                step(`select ${what}`);
            }
        }
        if (process.env.HALL_WALK_DEBUG) {
            await shot('count-cell');
        }
        await page.keyboard.type(NOTES.count);
        await page.keyboard.press('Tab');
        await calls.idle();
        step(`${NOTES.count} notes of ${NOTES.denomination}`);
        result.live = {
            payable: await value('payable'),
            counted: await value('counted'),
            difference: await value('difference'),
        };
        await shot('counted');

        // Close the count, then confirm (and accept the question)
        await page.locator(`${ACTIVE} button`, {hasText: '点款完毕'})
            .first().click({timeout: TIMEOUT});
        step('Close Count');
        await calls.idle();
        await page.locator(`${ACTIVE} button`, {hasText: '结帐'})
            .last().click({timeout: TIMEOUT});
        step('Confirm');
        const ok = page.locator('.modal:visible .modal-footer button'
            + '.btn-primary').last();
        await ok.waitFor({timeout: TIMEOUT});
        await ok.click({timeout: TIMEOUT});
        step('yes, confirm');
        await calls.idle();

        result.state = await value('state');
        result.difference = await value('difference');
        await shot('confirmed');
        result.ok = !errors.length;
        if (errors.length) {
            result.error = errors.join('\n');
        }
    } catch (error) {
        result.error = String(error && error.message || error);
        if (page) {
            try {
                await shot('failed');
            } catch (screenshotError) {
                result.screenshot_error = String(screenshotError.message);
            }
        }
    } finally {
        if (browser) {
            await browser.close();
        }
        clearTimeout(watchdog);
    }
    await report(result);
    return result.ok ? 0 : 1;
}

run(main);
