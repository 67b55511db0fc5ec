// The types of dist/sampo.browser.js, which the page imports at run time
// (served beside it): the bundle is src/browser.ts, built.
export * from "../../src/browser.ts";
