// This file is part of the business hall modules.  The COPYRIGHT file at the
// top level of this repository contains the full copyright notices and
// license terms.
//
// Log into sao as one user and open every menu entry the user can see;
// for each list that opens, the form of its first record, each page of
// that form's notebooks and the record's logs.
//
//   CHROMIUM=/usr/bin/chromium node tests/browser/sweep.mjs \
//       BASE_URL DATABASE LOGIN PASSWORD HOME_SCREENSHOT
//
// The menu entries come from ir.ui.menu, read through sao's own session as
// the user (the same search that fills sao's menu tree, so a new module's
// menus are picked up); each one is then opened through the menu tree on
// the screen by its labels.
//
// An empty list is shown through its other domain tabs (e.g. 全部) until
// one lists a record; a wizard's first step is looked at and left with
// Escape (its end state); nothing is saved.
//
// Prints one JSON line on stdout:
//   {"ok": true, "login": ..., "seconds": ..., "menus": [{"path": [...],
//    "action": ..., "view": ..., "records": n, "domain": ..., "form": bool,
//    "pages": [...], "logs": bool, "note": ..., "ms": n}, ...],
//    "entries": [{"path": [...], "action": ...}, ...],
//    "problems": [{"where": ..., "kind": ..., "message": ...,
//    "screenshot": ...}, ...], "texts": [{"text": ..., "where": ...}, ...]}
// "menus" are the entries with an action, as swept; "entries" all the
// entries the user sees.  A "where" is the menu path, then "{domain}",
// "(form)", "[notebook page]" and "(logs)" (the form's "View Logs...").
// "problems" are page errors, console errors, server errors, error
// dialogs, screens that stay busy and entries that do not open; "texts"
// are all the distinct visible texts with the first place each was seen
// (the test sorts out the ones left in English).  "ok" is false only when
// the sweep itself could not run (e.g. the login failed).
//
// HALL_BROWSER_TIMEOUT (ms, 30000) bounds each wait of the browser;
// HALL_SWEEP_BUSY (ms, 20000) is how long an entry, a form or a page may
// keep the client busy ("processing" shown or requests running) before it
// counts as hanging.  With HALL_SWEEP_SHOTS=PREFIX, a screenshot of the
// screen is saved as PREFIX-N.png for each of the first problems (20).
// On SIGTERM the script reports what it has swept so far.  To look at some
// screens: HALL_SWEEP_ONLY=TEXT sweeps the entries whose path contains
// TEXT, HALL_SWEEP_DEBUG=1 logs each wait on stderr.
import path from 'node:path';

import {
    LIST, MENU_ROWS, TIMEOUT, launch, login, openMenu, poll, report, run,
    sleep, trackCalls,
} from './sao.mjs';

const BUSY = Number(process.env.HALL_SWEEP_BUSY) || 20000;
// Only the entries whose path (labels joined by " / ") contains this
const ONLY = process.env.HALL_SWEEP_ONLY || '';
const DEBUG = !!process.env.HALL_SWEEP_DEBUG;
const SHOTS = process.env.HALL_SWEEP_SHOTS || '';
// Quiet time after the last request before a screen counts as displayed
const QUIET = 200;
// How many pixels a form may be wider than its tab (sao's own margins)
const CUT_OFF = 4;
// index.html asks for these optional customisation files of sao; the
// server has none
const OPTIONAL = /\/custom\.(css|js)$/;
// Bounds for a form with many notebooks (nested ones are found as their
// page opens)
const MAX_PAGES = 40;
const ACTIVE = '#tabcontent > .tab-pane.active';

// What the screen shows now: the number of tabs, the busy indicator, the
// dialogs shown and the current tab's view.
function screenState(page) {
    return page.evaluate(() => {
        const visible = el => !!el && !!(el.offsetWidth || el.offsetHeight
            || el.getClientRects().length);
        const dialogs = [...document.querySelectorAll('.modal')]
            .filter(visible).map(modal => ({
                className: modal.className,
                text: (modal.innerText || '').trim().slice(0, 1000),
            }));
        let view = null;
        const tab = window.Sao && Sao.Tab.tabs.get_current();
        if (tab) {
            const screen = tab.screen;
            if (screen && screen.current_view) {
                const current = screen.current_view;
                view = {
                    tab: tab.id,
                    type: current.view_type,
                    records: screen.group ? screen.group.length : 0,
                    editable: !!current.editable,
                    record: screen.current_record
                        ? screen.current_record.id : null,
                    // Whether a double-click opens something: a form among
                    // the action's views or the tree_open keyword
                    opens: screen.views.some(v => v.view_type === 'form')
                        || screen.view_to_load.includes('form')
                        || (current.attributes || {}).keyword_open == 1,
                };
            } else {
                view = {tab: tab.id, type: tab.wizard ? 'wizard' : 'board'};
            }
        }
        return {
            tabs: document.querySelectorAll('#tablist > li').length,
            processing: visible(document.getElementById('processing')),
            dialogs,
            view,
        };
    });
}

// The distinct texts shown under the roots: text nodes of visible elements
// and the chosen option of visible selects (not the values of inputs).
function visibleTexts(page, roots) {
    return page.evaluate(roots => {
        const visible = el => !!(el.offsetWidth || el.offsetHeight
            || el.getClientRects().length)
            && getComputedStyle(el).visibility !== 'hidden';
        const texts = new Set();
        const elements = roots.flatMap(
            selector => [...document.querySelectorAll(selector)]);
        for (const root of elements.filter(visible)) {
            const walker = document.createTreeWalker(
                root, NodeFilter.SHOW_TEXT);
            for (let node = walker.nextNode(); node;
                node = walker.nextNode()) {
                const parent = node.parentElement;
                // Not the cells of Char and Text columns: data that users
                // type in, not labels (codes, names, numbers)
                if (!parent || parent.closest('script, style, noscript, '
                        + 'select, textarea, .column-char, .column-text')
                    || !visible(parent)) {
                    continue;
                }
                const text = node.nodeValue.replace(/\s+/g, ' ').trim();
                if (text) {
                    texts.add(text);
                }
            }
            for (const select of root.querySelectorAll('select')) {
                if (visible(select) && select.selectedIndex >= 0) {
                    const text = select.options[select.selectedIndex].text
                        .trim();
                    if (text) {
                        texts.add(text);
                    }
                }
            }
        }
        return [...texts];
    }, roots);
}

// The menu entries the user can see, in the order of sao's tree, as
// {path: [labels], labels: [{label, nth}], action}, read as the user.
function menuEntries(page) {
    return page.evaluate(() => new Promise((resolve, reject) => {
        Sao.rpc({
            'method': 'model.ir.ui.menu.search_read',
            'params': [[], 0, null, null, ['name', 'parent', 'action'], {}],
        }, Sao.Session.current_session).then(menus => {
            const children = new Map();
            for (const menu of menus) {
                const parent = menu.parent || null;
                if (!children.has(parent)) {
                    children.set(parent, []);
                }
                children.get(parent).push(menu);
            }
            const entries = [];
            const walk = (parent, path, labels) => {
                const seen = {};
                for (const menu of children.get(parent) || []) {
                    const nth = seen[menu.name] || 0;
                    seen[menu.name] = nth + 1;
                    const entry = {
                        id: menu.id,
                        path: [...path, menu.name],
                        labels: [...labels, {label: menu.name, nth}],
                        action: menu.action
                            ? menu.action.split(',')[0] : null,
                    };
                    entries.push(entry);
                    walk(menu.id, entry.path, entry.labels);
                }
            };
            walk(null, [], []);
            resolve(entries);
        }, error => reject(new Error(
            `reading the menu: ${JSON.stringify(error)}`)));
    }));
}

class Sweep {
    constructor(page, {baseUrl, database, user, password, screenshot}) {
        this.page = page;
        this.baseUrl = baseUrl;
        this.database = database;
        this.user = user;
        this.password = password;
        this.screenshot = screenshot;
        this.where = 'login';
        this.problems = [];
        this.texts = new Map();
        this.calls = trackCalls(page);
        this.shots = 0;
        page.on('pageerror', error => this.problem('page error',
            String(error && error.stack || error).split('\n')
                .slice(0, 3).join(' | ')));
        page.on('console', message => {
            // A resource that fails is reported below with its address
            if (message.type() === 'error' && !message.text().startsWith(
                    'Failed to load resource:')) {
                this.problem('console error', message.text());
            }
        });
        page.on('requestfailed', request => {
            if (request.url().startsWith('http')
                && !OPTIONAL.test(request.url())) {
                this.problem('request failed',
                    `${request.url()}: ${request.failure()?.errorText}`);
            }
        });
        page.on('response', response => this.checkResponse(response));
        // A menu entry that opens another window (an URL action)
        page.context().on('page', other => {
            if (other !== page) {
                other.close().catch(() => {});
            }
        });
    }

    // An error answered by the server, even one that sao only shows as
    // "#错误" in a cell
    async checkResponse(response) {
        const request = response.request();
        if (OPTIONAL.test(response.url())) {
            return;
        }
        let method = null;
        if (request.method() === 'POST') {
            try {
                method = request.postDataJSON().method;
            } catch {
                // not a JSON-RPC call
            }
        }
        // The server does not list its databases: sao asks for the name
        if (method === 'common.db.list') {
            return;
        }
        if (response.status() >= 400) {
            this.problem('HTTP error', `${response.status()} `
                + `${method || response.url()}`);
            return;
        }
        if (!method) {
            return;
        }
        let data;
        try {
            data = await response.json();
        } catch {
            return;
        }
        const error = data && data.error;
        // The login asks for the password through this exception
        if (error && error[0] !== 'LoginException') {
            const detail = Array.isArray(error[1]) ? error[1].join(' ')
                : String(error[1] || '');
            this.problem('server error',
                `${method}: ${error[0]} ${detail}`.trim().slice(0, 500));
        }
    }

    problem(kind, message) {
        const last = this.problems[this.problems.length - 1];
        if (last && last.where === this.where && last.kind === kind
            && last.message === message) {
            return;
        }
        this.problems.push({where: this.where, kind, message});
    }

    // A screenshot of the last problem
    async shot() {
        const last = this.problems[this.problems.length - 1];
        if (!SHOTS || this.shots >= 20 || !last || last.screenshot) {
            return;
        }
        this.shots += 1;
        const file = `${SHOTS}-${this.shots}.png`;
        try {
            await this.page.screenshot({path: file, timeout: TIMEOUT});
            last.screenshot = path.basename(file);
        } catch {
            // the page is gone
        }
    }

    async record(roots) {
        for (const text of await visibleTexts(this.page, roots)) {
            if (!this.texts.has(text)) {
                this.texts.set(text, this.where);
            }
        }
        if (roots.includes('#tabs')) {
            await this.checkWidth();
        }
    }

    // A form wider than its tab at 1366 px: its right part (fields,
    // buttons, columns of its lists) is cut off behind a scroll bar
    async checkWidth() {
        const wide = await this.page.evaluate(([active, margin]) => {
            const box = document.querySelector(active + ' .content-box');
            if (!box || !box.clientWidth) {
                return null;
            }
            return box.scrollWidth > box.clientWidth + margin
                ? [box.clientWidth, box.scrollWidth] : null;
        }, [ACTIVE, CUT_OFF]);
        if (wide) {
            this.problem('cut off', `the form is ${wide[1]} px wide in a `
                + `tab of ${wide[0]} px`);
            await this.shot();
        }
    }

    // Wait until nothing is running and until ready(state) holds; an
    // error dialog ends the wait.  Returns the state or null (with a
    // problem recorded) when the client stays busy.
    async settle(what, ready = () => true, report = true, timeout = BUSY) {
        const start = Date.now();
        const end = start + timeout;
        if (DEBUG) {
            process.stderr.write(`  ${what}...\n`);
        }
        let quietSince = null;
        let state;
        for (;;) {
            state = await screenState(this.page);
            const errorDialog = state.dialogs.find(dialog =>
                /error-dialog|warning-dialog|user-warning-dialog/.test(
                    dialog.className));
            if (errorDialog && report) {
                this.problem('dialog', errorDialog.text);
                await this.shot();
                await this.closeDialogs();
                return null;
            }
            const idle = !this.calls.pending && !state.processing;
            if (idle && ready(state)) {
                quietSince = quietSince || Date.now();
                if (Date.now() - quietSince >= QUIET) {
                    if (DEBUG) {
                        process.stderr.write(
                            `  ${what}: ${Date.now() - start} ms\n`);
                    }
                    return state;
                }
            } else {
                quietSince = null;
            }
            if (Date.now() > end) {
                if (!report) {
                    return null;
                }
                const busy = [];
                if (state.processing) {
                    busy.push('"processing" shown');
                }
                if (this.calls.pending) {
                    busy.push(`${this.calls.pending} requests running`);
                }
                if (!busy.length) {
                    busy.push('did not show');
                }
                this.problem('hangs',
                    `${what}: ${busy.join(', ')} after ${BUSY} ms`);
                await this.shot();
                return null;
            }
            await sleep(100);
        }
    }

    // Close the dialogs left open with Escape (the end state of a wizard,
    // the cancel of a question), or else with the end button of a wizard.
    // A wizard ignores the keys while it still processes its state: try
    // again.
    async closeDialogs() {
        for (let i = 0; i < 8; i++) {
            const {dialogs} = await screenState(this.page);
            if (!dialogs.length) {
                return true;
            }
            const dialog = this.page.locator('.modal:visible').last();
            // The dialogs listen to the keys pressed inside them
            const inside = dialog.locator(
                '.modal-footer button:visible, .modal-header button:visible')
                .first();
            if (i < 5) {
                await inside.press('Escape', {timeout: TIMEOUT})
                    .catch(() => {});
            } else {
                await dialog.locator('.modal-footer button.btn-link:visible')
                    .first().click({timeout: TIMEOUT}).catch(() => {});
            }
            await this.settle('closing the dialog', state =>
                state.dialogs.length < dialogs.length, false, 3000);
        }
        const {dialogs} = await screenState(this.page);
        if (dialogs.length) {
            this.problem('dialog stays open', dialogs.map(
                dialog => dialog.text.slice(0, 200)).join(' | '));
            return false;
        }
        return true;
    }

    // Start again from a new login when the screen is stuck
    async recover() {
        this.problem('sweep', 'the screen is stuck: logging in again');
        await this.page.evaluate(() => {
            localStorage.clear();
            sessionStorage.clear();
        }).catch(() => {});
        await this.page.goto(this.baseUrl, {timeout: TIMEOUT});
        await login(this.page, this.database, this.user, this.password);
        await this.settle('the home page after the new login',
            state => !state.tabs || state.view);
        await this.closeDialogs();
        await this.closeTabs(0);
    }

    // Close the tabs down to count; answer "No" if sao asks to save.
    async closeTabs(count) {
        for (let i = 0; i < 10; i++) {
            const state = await screenState(this.page);
            if (state.tabs <= count) {
                return true;
            }
            await this.page.locator('#tablist > li.active button.close')
                .click({timeout: TIMEOUT}).catch(() => {});
            const after = await poll(async () => {
                const after = await screenState(this.page);
                return (after.tabs < state.tabs || after.dialogs.length)
                    && after;
            }, 'the tab to close').catch(() => null);
            if (after && after.dialogs.length) {
                const question = after.dialogs.find(dialog =>
                    /confirmation-dialog/.test(dialog.className));
                if (question) {
                    this.problem('asks to save an untouched record',
                        question.text);
                    await this.page.locator(
                        '.modal:visible .modal-footer button.btn-default')
                        .last().click({timeout: TIMEOUT}).catch(() => {});
                } else {
                    await this.closeDialogs();
                }
            }
            await this.settle('closing the tab');
        }
        this.problem('tab stays open', 'could not close the tabs');
        return false;
    }

    async openPages(entry) {
        const pages = [];
        const done = new Set();
        const where = this.where;
        while (done.size < MAX_PAGES) {
            const links = await this.page.evaluate(active => {
                const visible = el => !!(el.offsetWidth || el.offsetHeight
                    || el.getClientRects().length);
                return [...document.querySelectorAll(active
                    + ' .form-notebook > ul.nav-tabs > li > a[role=tab]')]
                    .filter(visible).map(link => ({
                        href: link.getAttribute('href'),
                        text: link.textContent.trim(),
                    }));
            }, ACTIVE);
            const next = links.find(link => !done.has(link.href));
            if (!next) {
                break;
            }
            done.add(next.href);
            this.where = `${where} / [${next.text}]`;
            await this.page.locator(`${ACTIVE} a[role=tab]`
                + `[href="${next.href}"]`).click({timeout: TIMEOUT})
                .catch(error => this.problem('page', String(error.message)));
            if (await this.settle(`the page ${next.text}`)) {
                pages.push(next.text);
                await this.record(['#tabs', '.modal']);
            }
        }
        this.where = where;
        return pages;
    }

    // Open the tabs of the action's domains in turn until one lists a
    // record: its state, or null
    async otherDomain(result) {
        const where = this.where;
        const names = await this.page.evaluate(active => {
            const visible = el => !!(el.offsetWidth || el.offsetHeight
                || el.getClientRects().length);
            return [...document.querySelectorAll(
                active + ' .tab-domain li:not(.active) > a[role=tab]')]
                .filter(visible).map(link => link.textContent.trim());
        }, ACTIVE);
        for (const name of names) {
            this.where = `${where} / {${name}}`;
            await this.page.locator(`${ACTIVE} .tab-domain a[role=tab]`
                + ':visible').filter({hasText: name}).first()
                .click({timeout: TIMEOUT});
            const state = await this.settle(`the domain ${name}`,
                state => state.view && state.view.type === 'tree');
            if (!state) {
                break;
            }
            await this.record(['#tabs', '.modal']);
            if (state.view.records) {
                result.domain = name;
                result.records = state.view.records;
                this.where = where;
                return state;
            }
        }
        this.where = where;
        return null;
    }

    // Double-click the first row of the list and wait for the form; an
    // editable list edits its rows in place: switch it to the form.
    async openFirstRecord(before) {
        const row = this.page.locator(`${LIST} > tbody > tr`).first();
        // A plain cell: a click on a link opens the linked record and one
        // on a button runs it
        const cells = row.locator('> td[headers]:visible');
        const count = await cells.count();
        let target = null;
        let linked = null;
        for (let i = 0; i < count; i++) {
            const cell = cells.nth(i);
            const kind = await cell.evaluate(td => (
                td.querySelector('button, input, select') ? 'button'
                    : td.querySelector('a') ? 'link' : 'plain'));
            if (kind === 'plain') {
                target = cell;
                break;
            } else if (kind === 'link' && !linked) {
                linked = cell;
            }
        }
        if (before.view.editable) {
            // Select the row, then switch to the form
            if (!target) {
                return null;
            }
            await target.click({timeout: TIMEOUT});
            const selected = await this.settle('selecting the first row',
                state => state.view && state.view.record !== null);
            if (!selected || !selected.view.opens) {
                return null;
            }
            await this.page.locator(`${ACTIVE} button#switch_`)
                .click({timeout: TIMEOUT});
            return await this.settle('the form of the first record',
                state => state.view && state.view.type === 'form');
        }
        if (target) {
            await target.dblclick({timeout: TIMEOUT});
        } else if (linked) {
            // Beside the link, which sits on the left of its cell
            const box = await linked.boundingBox();
            await linked.dblclick({
                timeout: TIMEOUT,
                position: {x: box.width - 3, y: box.height / 2},
            });
        } else {
            return null;
        }
        if (!before.view.opens) {
            // A list without a form: the double-click does nothing
            return await this.settle('the double-click on the first row');
        }
        // The form, or another tab (the tree_open keyword), or the
        // question which of the keyword's actions to run
        return await this.settle('the form of the first record',
            state => state.view && (state.tabs > before.tabs
                || state.view.type === 'form' || state.dialogs.length));
    }

    async openEntry(entry) {
        const result = {
            path: entry.path, action: entry.action, view: null,
            records: null, form: false, pages: [], ms: 0,
        };
        const start = Date.now();
        const where = entry.path.join(' / ');
        this.where = where;
        const before = await screenState(this.page);
        try {
            await this.openScreens(entry, before, result);
        } catch (error) {
            this.problem('sweep', String(error && error.message || error)
                .split('\n')[0]);
        }
        this.where = where;
        if (!(await this.closeDialogs()
                && await this.closeTabs(before.tabs))) {
            await this.recover();
        }
        result.ms = Date.now() - start;
        return result;
    }

    async openScreens(entry, before, result) {
        const where = this.where;
        try {
            await openMenu(this.page, entry.labels);
        } catch (error) {
            this.problem('menu', String(error.message).split('\n')[0]);
            return;
        }
        let opened = await this.settle('the menu entry',
            state => state.tabs > before.tabs || state.dialogs.length
                || !['ir.action.act_window', 'ir.action.wizard'].includes(
                    entry.action));
        if (!opened) {
            return;
        }
        await this.record(['#tabs', '.modal']);
        if (opened.dialogs.length) {
            // A wizard's first step
            result.view = 'dialog';
            return;
        }
        if (!opened.view) {
            return;
        }
        result.view = opened.view.type;
        result.records = opened.view.records ?? null;
        let form = opened.view.type === 'form' ? opened : null;
        if (opened.view.type === 'tree' && !opened.view.records) {
            // The first tab of the action's domains may list nothing
            const listed = await this.otherDomain(result);
            if (listed) {
                opened = listed;
            }
        }
        if (opened.view.type === 'tree' && opened.view.records) {
            this.where = `${where} / (form)`;
            form = await this.openFirstRecord(opened);
            if (form) {
                await this.record(['#tabs', '.modal']);
                if (form.dialogs.length) {
                    result.note = 'the first row asks for an action';
                    form = null;
                } else if (form.view.type !== 'form') {
                    result.note = opened.view.opens
                        ? 'the first row opens no form' : 'no form view';
                    form = null;
                } else {
                    result.form = true;
                }
            }
        }
        if (form) {
            result.pages = await this.openPages(entry);
            this.where = `${where} / (form) / (logs)`;
            result.logs = await this.openLogs();
        }
    }

    // The record's logs (the tab menu's "View Logs..."): who created and
    // changed it when, its XML ID and its log entries
    async openLogs() {
        const link = this.page.locator(`${ACTIVE} a#logs`);
        if (!await link.count()) {
            return false;
        }
        const before = await screenState(this.page);
        // The entry of the tab's menu, without unfolding the menu
        await link.first().evaluate(a => a.click());
        const shown = await this.settle('the logs',
            state => state.dialogs.length > before.dialogs.length);
        if (!shown) {
            return false;
        }
        await this.record(['.modal']);
        await this.closeDialogs();
        return true;
    }
}

async function main() {
    const [baseUrl, database, user, password, screenshot] =
        process.argv.slice(2);
    if (!screenshot) {
        throw new Error('usage: sweep.mjs BASE_URL DATABASE LOGIN PASSWORD '
            + 'HOME_SCREENSHOT');
    }
    const start = Date.now();
    const result = {ok: false, login: user, screenshot, menus: []};
    let browser;
    let sweep;
    const finish = () => {
        if (sweep) {
            result.problems = sweep.problems;
            result.texts = [...sweep.texts].map(
                ([text, where]) => ({text, where}));
        }
        result.seconds = (Date.now() - start) / 1000;
    };
    process.on('SIGTERM', async () => {
        result.error = `stopped after ${(Date.now() - start) / 1000} s`
            + (sweep ? ` at ${sweep.where}` : '');
        finish();
        await report(result);
        if (browser) {
            await Promise.race([browser.close(), sleep(5000)]);
        }
        process.exit(1);
    });
    try {
        browser = await launch();
        const page = browser.page;
        sweep = new Sweep(page,
            {baseUrl, database, user, password, screenshot});
        await page.goto(baseUrl, {timeout: TIMEOUT});
        await login(page, database, user, password);
        sweep.where = 'home';
        await sweep.settle('the home page',
            state => !state.tabs || state.view);
        // A wizard the first login opens (the module configuration): its
        // end shows the menu
        await sweep.record(['body']);
        // The landing page: the board of the user's posts, or the menu
        await page.screenshot({path: screenshot, timeout: TIMEOUT});
        if (!(await sweep.closeDialogs() && await sweep.closeTabs(0))) {
            await sweep.recover();
        }
        await page.locator(MENU_ROWS).first().waitFor({timeout: TIMEOUT});
        await sweep.settle('the menu');
        await sweep.record(['body']);
        result.loginSeconds = (Date.now() - start) / 1000;
        const entries = await menuEntries(page);
        for (const entry of entries) {
            if (entry.action && entry.path.join(' / ').includes(ONLY)) {
                process.stderr.write(`${user}: ${entry.path.join(' / ')}\n`);
                result.menus.push(await sweep.openEntry(entry));
            }
        }
        // The labels of the menu are checked by the test from these
        result.entries = entries.map(
            entry => ({path: entry.path, action: entry.action}));
        result.ok = true;
    } catch (error) {
        result.error = String(error && error.message || error);
    } finally {
        finish();
        if (browser) {
            await browser.close();
        }
    }
    await report(result);
    return result.ok ? 0 : 1;
}

run(main);
