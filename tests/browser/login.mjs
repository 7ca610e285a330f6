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
//    "headers": [...], "rows": [[...], ...], "screenshot": PATH}
// or {"ok": false, "error": "...", ...} with exit status 1.
// Every wait is bounded by HALL_BROWSER_TIMEOUT milliseconds (30000) and
// the whole run by four times that.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const { chromium } = await import(new URL(
    '../../web/node_modules/playwright-core/index.mjs', import.meta.url));

const TIMEOUT = Number(process.env.HALL_BROWSER_TIMEOUT) || 30000;
const CHROMIUM_ARGS = [
    '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update',
    '--disable-sync', '--no-proxy-server',
];
const MENU_ROWS = '#menu table.tree > tbody > tr';
const LIST = '#tabcontent > .tab-pane.active table.tree';

function report(result) {
    process.stdout.write(JSON.stringify(result) + '\n');
}

function findChromium() {
    if (process.env.CHROMIUM) {
        return process.env.CHROMIUM;
    }
    for (const dir of (process.env.PATH || '').split(path.delimiter)) {
        const candidate = path.join(dir || '.', 'chromium');
        try {
            fs.accessSync(candidate, fs.constants.X_OK);
            return candidate;
        } catch {
            // not in this directory
        }
    }
    throw new Error('chromium is not on the PATH; set CHROMIUM');
}

// Call fn until it returns a truthy value or the timeout expires.
async function poll(fn, what, timeout = TIMEOUT) {
    const end = Date.now() + timeout;
    for (;;) {
        const value = await fn();
        if (value) {
            return value;
        }
        if (Date.now() > end) {
            throw new Error(`timeout after ${timeout} ms: ${what}`);
        }
        await new Promise(resolve => setTimeout(resolve, 200));
    }
}

// The menu rows as {label, depth}; depth is 1 for the top entries (sao
// indents the expander by depth - 1 em).
function menuRows(page) {
    return page.locator(MENU_ROWS).evaluateAll(rows => rows.map(row => {
        const label = row.querySelector('.column-char');
        const expander = row.querySelector('.expander > img');
        const margin = expander ? parseFloat(expander.style.marginLeft) : 0;
        return {
            label: label ? label.textContent.trim() : '',
            depth: 1 + (Number.isNaN(margin) ? 0 : margin),
        };
    }));
}

// Open the menu entry at labels, expanding each parent.
async function openMenu(page, labels) {
    await page.locator(MENU_ROWS).first().waitFor({timeout: TIMEOUT});
    let parent = -1;
    for (const [level, label] of labels.entries()) {
        const depth = level + 1;
        const index = await poll(async () => {
            const rows = await menuRows(page);
            for (let i = parent + 1; i < rows.length; i++) {
                if (parent >= 0 && rows[i].depth < depth) {
                    break;  // out of the parent's children
                }
                if (rows[i].depth === depth && rows[i].label === label) {
                    return i + 1;  // 1-based so that it is truthy
                }
            }
            return 0;
        }, `menu entry ${labels.slice(0, depth).join(' / ')}`) - 1;
        const row = page.locator(MENU_ROWS).nth(index);
        if (depth < labels.length) {
            const rows = await menuRows(page);
            const expanded = rows[index + 1] && rows[index + 1].depth > depth;
            if (!expanded) {
                await row.locator('.expander').click({timeout: TIMEOUT});
                await poll(async () => {
                    const rows = await menuRows(page);
                    return rows[index + 1] && rows[index + 1].depth > depth;
                }, `children of the menu entry ${label}`);
            }
        } else {
            await row.locator('.column-char').dblclick({timeout: TIMEOUT});
        }
        parent = index;
    }
}

async function login(page, database, user, password) {
    const databaseField = page.locator('#database:visible');
    await databaseField.waitFor({timeout: TIMEOUT});
    const field = await databaseField.evaluate(el => ({
        tag: el.tagName.toLowerCase(), readonly: el.readOnly,
        value: el.value,
        options: el.options ? [...el.options].map(o => o.value) : [],
    }));
    if (field.tag === 'select') {
        if (!field.options.includes(database)) {
            throw new Error(`database ${database} is not listed: `
                + field.options.join(', '));
        }
        await databaseField.selectOption(database, {timeout: TIMEOUT});
    } else if (field.readonly) {
        if (field.value !== database) {
            throw new Error(`the server offers the database ${field.value}`
                + `, not ${database}`);
        }
    } else {
        await databaseField.fill(database, {timeout: TIMEOUT});
    }
    const dialog = page.locator('.login-dialog');
    await dialog.locator('#login').fill(user, {timeout: TIMEOUT});
    await dialog.locator('button[type=submit]').click({timeout: TIMEOUT});
    // The server asks for the password in a second dialog.
    const entry = page.locator('#ask-dialog-entry[type=password]:visible');
    await entry.waitFor({timeout: TIMEOUT});
    await entry.fill(password, {timeout: TIMEOUT});
    await entry.press('Enter', {timeout: TIMEOUT});
    // The menu replaces the dialogs, or the password is asked again.
    await poll(async () => {
        if (await page.locator(MENU_ROWS).count()) {
            return true;
        }
        if (await entry.evaluateAll(els => els.some(el => !el.value))) {
            throw new Error(`login of ${user} refused`);
        }
        return false;
    }, 'the main menu after login');
}

// The visible texts of the page and of its menu, tabs and list.
async function collect(page) {
    return await page.evaluate(({menuRows, list}) => {
        const visible = el => !!(el.offsetWidth || el.offsetHeight
            || el.getClientRects().length);
        const text = el => (el.innerText || el.textContent || '').trim();
        const texts = [...new Set(document.body.innerText.split('\n')
                .map(line => line.trim()).filter(line => line))];
        const menu = [...document.querySelectorAll(
                menuRows + ' .column-char')].filter(visible).map(text);
        const tabs = [...document.querySelectorAll(
                '#tablist a[role=tab]')].filter(visible).map(link => {
                    const name = link.querySelector(':scope > span[title]');
                    return name ? name.title : text(link);
                });
        const table = document.querySelector(list);
        const headers = table ? [...table.querySelectorAll(
                ':scope > thead th .header')].filter(visible).map(text)
                .filter(t => t) : [];
        const rows = table ? [...table.querySelectorAll(
                ':scope > tbody > tr')].filter(visible).map(
                tr => [...tr.querySelectorAll(':scope > td')]
                    .filter(visible).map(text)) : [];
        const domainTabs = [...document.querySelectorAll(
                '.tab-domain a[role=tab]')].filter(visible).map(text);
        const activeDomain = [...document.querySelectorAll(
                '.tab-domain li.active > a[role=tab]')].filter(visible)
            .map(text)[0] || null;
        return {texts, menu, tabs, headers, rows, domainTabs, activeDomain};
    }, {menuRows: MENU_ROWS, list: LIST});
}

// The label of a domain tab of the list to open, if any
const DOMAIN_TAB = process.env.HALL_BROWSER_TAB || '';

async function main() {
    const [baseUrl, database, user, password, screenshot, ...menu] =
        process.argv.slice(2);
    if (!screenshot) {
        throw new Error('usage: login.mjs BASE_URL DATABASE LOGIN PASSWORD '
            + 'SCREENSHOT [MENU_ENTRY...]');
    }
    const labels = menu.length ? menu : ['营业厅', '营业厅'];
    const result = {ok: false, screenshot};
    const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'hall-chromium-'));
    let context;
    let page;
    const watchdog = setTimeout(() => {
        report({...result, error: `no result after ${4 * TIMEOUT} ms`});
        process.exit(1);
    }, 4 * TIMEOUT);
    try {
        context = await chromium.launchPersistentContext(profile, {
            executablePath: findChromium(),
            headless: true,
            args: CHROMIUM_ARGS,
            viewport: {width: 1280, height: 800},
            locale: 'zh-CN',
            timeout: TIMEOUT,
        });
        context.setDefaultTimeout(TIMEOUT);
        page = context.pages()[0] || await context.newPage();
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
            await page.waitForLoadState('networkidle', {timeout: TIMEOUT})
                .catch(() => {});
            await page.locator(`${LIST} > tbody > tr`).first().waitFor(
                {timeout: TIMEOUT});
        } else {
            await page.locator(`${LIST} > tbody > tr`).first().waitFor(
                {timeout: TIMEOUT});
        }
        // Let the pending requests end for a stable screenshot.
        await page.waitForLoadState('networkidle', {timeout: TIMEOUT})
            .catch(() => {});
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
        if (context) {
            await context.close().catch(() => {});
        }
        fs.rmSync(profile, {recursive: true, force: true});
        clearTimeout(watchdog);
    }
    report(result);
    return result.ok ? 0 : 1;
}

main().then(status => process.exit(status), error => {
    report({ok: false, error: String(error && error.message || error)});
    process.exit(1);
});
