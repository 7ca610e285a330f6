// This file is part of the business hall modules.  The COPYRIGHT file at the
// top level of this repository contains the full copyright notices and
// license terms.
//
// Log into the sao web client with Chromium on a phone-sized screen and
// open the form of the first record of a model found by a domain.
//
//   CHROMIUM=/usr/bin/chromium node tests/browser/phone.mjs \
//       BASE_URL DATABASE LOGIN PASSWORD SCREENSHOT MODEL DOMAIN_JSON
//
// Prints one JSON line on stdout:
//   {"ok": true, "id": ..., "viewport": {...}, "scrollWidth": ...,
//    "labels": [...], "rows": N, "buttons": [...], "screenshot": PATH}
// or {"ok": false, "error": "...", ...} with exit status 1.
import {TIMEOUT, launch, login, poll, report, run, trackCalls}
    from './sao.mjs';

const VIEWPORT = {width: 390, height: 844};
const FORM = '#tabcontent > .tab-pane.active .form';

async function main() {
    const [baseUrl, database, user, password, screenshot, model, domain] =
        process.argv.slice(2);
    const result = {ok: false, screenshot, viewport: VIEWPORT};
    let browser;
    let page;
    const watchdog = setTimeout(() => {
        report({...result, error: `no result after ${4 * TIMEOUT} ms`})
            .then(() => process.exit(1));
    }, 4 * TIMEOUT);
    try {
        browser = await launch(2, VIEWPORT);
        page = browser.page;
        const calls = trackCalls(page);
        const errors = [];
        page.on('pageerror', error => errors.push(String(error)));
        await page.goto(baseUrl, {timeout: TIMEOUT});
        await login(page, database, user, password);
        // The record as the user finds it, then its form by the client's URL
        result.id = await page.evaluate(async ([model, domain]) => {
            const session = Sao.Session.current_session;
            const ids = await Sao.rpc({
                method: `model.${model}.search`,
                params: [JSON.parse(domain), 0, 1, null, session.context],
            }, session);
            return ids[0] || null;
        }, [model, domain]);
        if (!result.id) {
            throw new Error(`no ${model} found by ${domain}`);
        }
        await page.evaluate(([database, model, id]) => {
            window.location.hash = `${database}/model/${model}/${id}`;
        }, [database, model, result.id]);
        await page.locator(FORM).first().waitFor({timeout: TIMEOUT});
        await calls.idle();
        await poll(async () => await page.locator(
                `${FORM} table.tree > tbody > tr`).count() > 0,
            'the lines of the form');
        await calls.idle();
        Object.assign(result, await page.evaluate(form => {
            const visible = el => !!(el.offsetWidth || el.offsetHeight
                || el.getClientRects().length);
            const text = el => (el.innerText || el.textContent || '').trim();
            const root = document.querySelector(form);
            return {
                scrollWidth: document.documentElement.scrollWidth,
                formWidth: root.getBoundingClientRect().width,
                labels: [...root.querySelectorAll('label')].filter(visible)
                    .map(text).filter(t => t),
                rows: [...root.querySelectorAll('table.tree > tbody > tr')]
                    .filter(visible).length,
                buttons: [...root.querySelectorAll('button')]
                    .filter(visible).map(text).filter(t => t),
            };
        }, FORM));
        await page.screenshot({path: screenshot, fullPage: true});
        result.ok = true;
        if (errors.length) {
            result.page_errors = errors;
        }
    } catch (error) {
        result.error = String(error && error.message || error);
        if (page) {
            try {
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
