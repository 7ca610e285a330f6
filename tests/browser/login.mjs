// This file is part of the business hall modules.  The COPYRIGHT file at the
// top level of this repository contains the full copyright notices and
// license terms.
//
// Log into the sao web client with Chromium and open a list from the menu.
//
//   CHROMIUM=/usr/bin/chromium node tests/browser/login.mjs \
//       BASE_URL DATABASE LOGIN PASSWORD SCREENSHOT [MENU_ENTRY...]
//
// MENU_ENTRY are the labels of the menu path to open, from the top entry
// to the one with the action (default: 营业厅 营业厅, the halls list).
// Prints one JSON line on stdout:
//   {"ok": true, "texts": [...], "menu": [...], "tabs": [...],
//    "headers": [...], "rows": [[...], ...], "calendar": {...} or null,
//    "screenshot": PATH}
// With HALL_BROWSER_CALENDAR=1 the entry opens a calendar.
// or {"ok": false, "error": "...", ...} with exit status 1.
// Every wait is bounded by HALL_BROWSER_TIMEOUT milliseconds (30000) and
// the whole run by four times that.
import {
    LIST, TIMEOUT, collect, launch, login, openMenu, poll, report, run,
    trackCalls,
} from './sao.mjs';

// The label of a domain tab of the list to open, if any
const DOMAIN_TAB = process.env.HALL_BROWSER_TAB || '';
// The entry opens a calendar, not a list: its first event is waited for
const CALENDAR = Boolean(process.env.HALL_BROWSER_CALENDAR);

async function main() {
    const [baseUrl, database, user, password, screenshot, ...menu] =
        process.argv.slice(2);
    if (!screenshot) {
        throw new Error('usage: login.mjs BASE_URL DATABASE LOGIN PASSWORD '
            + 'SCREENSHOT [MENU_ENTRY...]');
    }
    const labels = menu.length ? menu : ['营业厅', '营业厅'];
    const result = {ok: false, screenshot};
    let browser;
    let page;
    const watchdog = setTimeout(() => {
        report({...result, error: `no result after ${4 * TIMEOUT} ms`})
            .then(() => process.exit(1));
    }, 4 * TIMEOUT);
    try {
        browser = await launch();
        page = browser.page;
        const calls = trackCalls(page);
        const errors = [];
        page.on('pageerror', error => errors.push(String(error)));
        await page.goto(baseUrl, {timeout: TIMEOUT});
        await login(page, database, user, password);
        await openMenu(page, labels);
        const title = labels[labels.length - 1];
        await poll(async () => (await collect(page)).tabs.some(
                tab => tab.includes(title)), `the tab ${title}`);
        if (DOMAIN_TAB) {
            // A tab of the action's domains, e.g. the overdue ones; the
            // first tab may list nothing
            await poll(async () => (await collect(page)).domainTabs.some(
                    tab => tab.startsWith(DOMAIN_TAB)),
                `the domain tabs with ${DOMAIN_TAB}`);
            await page.locator('.tab-domain a[role=tab]:visible',
                {hasText: DOMAIN_TAB}).first().click();
            await poll(async () => {
                const {activeDomain} = await collect(page);
                return activeDomain && activeDomain.startsWith(DOMAIN_TAB);
            }, `the domain tab ${DOMAIN_TAB}`);
            // The list of the tab is read after the click
            await calls.idle();
            await page.locator(`${LIST} > tbody > tr`).first().waitFor(
                {timeout: TIMEOUT});
        } else if (CALENDAR) {
            await page.locator('#tabcontent > .tab-pane.active .fc-event')
                .first().waitFor({timeout: TIMEOUT});
        } else {
            await page.locator(`${LIST} > tbody > tr`).first().waitFor(
                {timeout: TIMEOUT});
        }
        // Let the pending requests end for a stable screenshot.
        await calls.idle();
        Object.assign(result, await collect(page));
        await page.screenshot({path: screenshot, fullPage: true});
        result.ok = true;
        if (errors.length) {
            result.page_errors = errors;
        }
    } catch (error) {
        result.error = String(error && error.message || error);
        if (page) {
            try {
                Object.assign(result, await collect(page));
                await page.screenshot(
                    {path: screenshot, fullPage: true, timeout: TIMEOUT});
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
