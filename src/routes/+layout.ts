// The learner face lives in the browser: its data is in IndexedDB and must work offline.
export const ssr = false;
export const prerender = false;
