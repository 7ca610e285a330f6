// This file is part of the business hall modules.  The COPYRIGHT file at the
// top level of this repository contains the full copyright notices and
// license terms.
//
// What the browser scripts share: starting Chromium through playwright-core,
// logging into sao and walking its menu.  Every wait is bounded by
// HALL_BROWSER_TIMEOUT milliseconds (30000).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const { chromium } = await import(new URL(
    '../../web/node_modules/playwright-core/index.mjs', import.meta.url));

export const TIMEOUT = Number(process.env.HALL_BROWSER_TIMEOUT) || 30000;
export const CHROMIUM_ARGS = [
    '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update',
    '--disable-sync', '--no-proxy-server',
];
export const MENU_ROWS = '#menu table.tree > tbody > tr';
export const LIST = '#tabcontent > .tab-pane.active table.tree';

// Print result as one JSON line; resolves once written (a large result on a
// pipe is written asynchronously: exit only then)
export function report(result) {
    return new Promise(resolve => process.stdout.write(
        JSON.stringify(result) + '\n', resolve));
}

// Run the main function of a script: exit with the status it returns, or
// report what it raised
export function run(main) {
    main().then(status => process.exit(status), async error => {
        await report({
            ok: false, error: String(error && error.message || error)});
        process.exit(1);
    });
}

export function findChromium() {
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

// A headless Chromium in a new profile, in Chinese: {context, page, close}
// On a loaded machine a Chromium may not start in time: it is started
// again once, in another profile
export async function launch(attempts = 2, viewport = null) {
    for (let attempt = 1; ; attempt++) {
        const profile = fs.mkdtempSync(
            path.join(os.tmpdir(), 'hall-chromium-'));
        let context;
        try {
            context = await chromium.launchPersistentContext(profile, {
                executablePath: findChromium(),
                headless: true,
                args: CHROMIUM_ARGS,
                // the counter screens, or a phone's
                viewport: viewport || {width: 1366, height: 768},
                isMobile: Boolean(viewport),
                hasTouch: Boolean(viewport),
                locale: 'zh-CN',
                timeout: 2 * TIMEOUT,
            });
        } catch (error) {
            removeProfile(profile);
            if (attempt >= attempts) {
                throw error;
            }
            continue;
        }
        context.setDefaultTimeout(TIMEOUT);
        const page = context.pages()[0] || await context.newPage();
        const close = async () => {
            await context.close().catch(() => {});
            removeProfile(profile);
        };
        return {context, page, close};
    }
}

// A Chromium that just stopped may still write in its profile
function removeProfile(profile) {
    fs.rmSync(profile, {
        recursive: true, force: true, maxRetries: 10, retryDelay: 200});
}

export function sleep(ms) {
    return new Promise(resolve => setTimeout(resolve, ms));
}

// Call fn until it returns a truthy value or the timeout expires.
export async function poll(fn, what, timeout = TIMEOUT) {
    const end = Date.now() + timeout;
    for (;;) {
        const value = await fn();
        if (value) {
            return value;
        }
        if (Date.now() > end) {
            throw new Error(`timeout after ${timeout} ms: ${what}`);
        }
        await sleep(200);
    }
}

// Count the calls the page makes to the server (POST, not the long polling
// of the bus).  idle() waits until none has run for quiet ms and sao's
// "processing" is hidden.
export function trackCalls(page) {
    let pending = 0;
    const counted = request => request.method() === 'POST'
        && request.url().startsWith('http')
        && !/\/bus(\/|$)/.test(new URL(request.url()).pathname);
    page.on('request', request => {
        if (counted(request)) {
            pending += 1;
        }
    });
    const done = request => {
        if (counted(request)) {
            pending -= 1;
        }
    };
    page.on('requestfinished', done);
    page.on('requestfailed', done);
    return {
        get pending() {
            return pending;
        },
        async idle(quiet = 500, timeout = TIMEOUT) {
            let since = null;
            await poll(async () => {
                if (pending || await processing(page)) {
                    since = null;
                    return false;
                }
                since = since || Date.now();
                return Date.now() - since >= quiet;
            }, 'the calls to the server to end', timeout);
        },
    };
}

// Whether sao shows its busy indicator ("processing")
export function processing(page) {
    return page.evaluate(() => {
        const el = document.getElementById('processing');
        return !!el && !!(el.offsetWidth || el.offsetHeight
            || el.getClientRects().length);
    });
}

// The menu rows as {label, depth}; depth is 1 for the top entries (sao
// indents the expander by depth - 1 em).
export function menuRows(page) {
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

// Open the menu entry at labels, expanding each parent.  An entry of labels
// is a label or {label, nth}: the nth (0-based) of the siblings so named.
export async function openMenu(page, labels) {
    await page.locator(MENU_ROWS).first().waitFor({timeout: TIMEOUT});
    const names = labels.map(entry =>
        typeof entry === 'string' ? entry : entry.label);
    let parent = -1;
    for (const [level, entry] of labels.entries()) {
        const label = names[level];
        const nth = typeof entry === 'string' ? 0 : entry.nth || 0;
        const depth = level + 1;
        const index = await poll(async () => {
            const rows = await menuRows(page);
            let seen = 0;
            for (let i = parent + 1; i < rows.length; i++) {
                if (parent >= 0 && rows[i].depth < depth) {
                    break;  // out of the parent's children
                }
                if (rows[i].depth === depth && rows[i].label === label) {
                    if (seen++ === nth) {
                        return i + 1;  // 1-based so that it is truthy
                    }
                }
            }
            return 0;
        }, `menu entry ${names.slice(0, depth).join(' / ')}`) - 1;
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
            // A click opens the entry (a double-click would open it three
            // times: two clicks and the double-click)
            await row.locator('.column-char').click({timeout: TIMEOUT});
        }
        parent = index;
    }
}

export async function login(page, database, user, password) {
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
    // The menu replaces the dialogs, or the password is asked again; the
    // first logins of admin open the module configuration wizard instead.
    await poll(async () => {
        if (await page.locator(MENU_ROWS).count()
            || await page.locator('#tablist > li').count()) {
            return true;
        }
        if (await entry.evaluateAll(els => els.some(el => !el.value))) {
            throw new Error(`login of ${user} refused`);
        }
        return false;
    }, 'the main menu after login');
}

// The visible texts of the page and of its menu, tabs and list.
export async function collect(page) {
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
        // A calendar of the day or week: how far it is scrolled and the
        // texts of its events
        const grid = document.querySelector(
            '#tabcontent > .tab-pane.active .fc-time-grid-container');
        const calendar = grid ? {
            scrollTop: grid.scrollTop,
            events: [...grid.querySelectorAll('.fc-event')].map(text),
        } : null;
        return {
            texts, menu, tabs, headers, rows, domainTabs, activeDomain,
            calendar};
    }, {menuRows: MENU_ROWS, list: LIST});
}
