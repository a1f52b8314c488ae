// Service worker: precaches the app shell, the decoder and its wasm so that the app opens and scans
// with no network. It never touches the API: /api/* and /.well-known/* always go to the network, so a
// live verification answer can never come from a cache (the offline check is the app's own, from
// IndexedDB, and says so on screen).
//
// VERSION is a digest of the files below (tests/e2e/test_pwa_shell.py computes it and names the new
// value when a file changes): a new VERSION installs a new cache, and activation deletes the old one.

const VERSION = '6ff4a364ce2f';
const PREFIX = 'jz-shell-';
const CACHE = PREFIX + VERSION;

// Paths relative to the worker's scope (the app's base: "/" or a deployment prefix); js/ by area (README.md).
const SHELL = [
  'index.html',
  'app.js',
  'styles.css',
  'enterprise.css',
  'workflow.css',
  'onboarding.css',
  'sitecheck.css',
  'manifest.webmanifest',
  'scan-worker.js',
  'js/core/auth.js',
  'js/core/cbor.js',
  'js/core/dom.js',
  'js/core/i18n.js',
  'js/core/jws.js',
  'js/core/provinces.js',
  'js/core/store.js',
  'js/core/trust.js',
  'js/verify/camera.js',
  'js/verify/decoder.js',
  'js/verify/history.js',
  'js/verify/offline.js',
  'js/verify/photo.js',
  'js/verify/result.js',
  'js/verify/scanner.js',
  'js/verify/token.js',
  'js/verify/verdicts.js',
  'js/verify/verify.js',
  'js/lookup/lookup.js',
  'js/account/account.js',
  'js/account/strings.js',
  'js/enterprise/badges.js',
  'js/enterprise/bulk.js',
  'js/enterprise/person.js',
  'js/enterprise/roster.js',
  'js/enterprise/strings.js',
  'js/enterprise/warnings.js',
  'js/workflow/applications.js',
  'js/workflow/apply.js',
  'js/workflow/confirm.js',
  'js/workflow/detail-parts.js',
  'js/workflow/detail.js',
  'js/workflow/live.js',
  'js/workflow/mine.js',
  'js/workflow/pages.js',
  'js/workflow/prefill.js',
  'js/workflow/review.js',
  'js/workflow/strings.js',
  'js/onboarding/holder.js',
  'js/onboarding/images.js',
  'js/onboarding/review.js',
  'js/onboarding/strings.js',
  'js/notices/notices.js',
  'js/notices/strings.js',
  'js/sitecheck/add.js',
  'js/sitecheck/checks.js',
  'js/sitecheck/form.js',
  'js/sitecheck/people.js',
  'js/sitecheck/record.js',
  'js/sitecheck/recordcheck.js',
  'js/sitecheck/recordview.js',
  'js/sitecheck/roles.js',
  'js/sitecheck/sitecheck.js',
  'js/sitecheck/strings.js',
  'js/sitecheck/sync.js',
  'vendor/zxing-wasm/es/reader/index.js',
  'vendor/zxing-wasm/es/share.js',
  'vendor/zxing-wasm/reader/zxing_reader.wasm',
  'icons/favicon-32.png',
  'icons/apple-touch-icon.png',
  'icons/icon-192.png',
  'icons/icon-512.png',
  'icons/maskable-192.png',
  'icons/maskable-512.png',
];
// Navigations that are the app itself: "/", "/v" and "/V" (the certificate URLs {base}/v#… and {base}/V#…),
// and "/i" (an inspection record's link {base}/i#…, the QR code on the record's PDF).
const APP_PAGES = new Set(['', 'v', 'V', 'i', 'index.html']);

const scopePath = () => new URL(self.registration.scope).pathname;

self.addEventListener('install', (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(CACHE);
    // cache: 'no-cache' revalidates every file with the server: a new version never precaches yesterday's
    // files, and what the page has just loaded (the same ETag) comes back as a 304, not a second download.
    // The page registers this worker only after its first screen (a link's verdict) is painted.
    await cache.addAll(SHELL.map((p) => new Request(p, { cache: 'no-cache' })));
    await self.skipWaiting();
  })());
});

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    const names = await caches.keys();
    await Promise.all(names.filter((n) => n.startsWith(PREFIX) && n !== CACHE).map((n) => caches.delete(n)));
    await self.clients.claim();
  })());
});

async function fromShell(request, key) {
  const cache = await caches.open(CACHE);
  const hit = await cache.match(key || request, { ignoreSearch: true });
  if (hit) return hit;
  return fetch(request);
}

self.addEventListener('fetch', (event) => {
  const req = event.request;
  if (req.method !== 'GET') return;                 // POST /api/v1/verify and the like: network only
  const url = new URL(req.url);
  if (url.origin !== self.location.origin) return;
  const base = scopePath();
  if (!url.pathname.startsWith(base)) return;
  const path = url.pathname.slice(base.length);
  if (path.startsWith('api/') || path.startsWith('.well-known/')) return;   // live data: never cached here
  if (req.mode === 'navigate') {
    if (APP_PAGES.has(path)) event.respondWith(fromShell(req, new URL('index.html', self.registration.scope).href));
    return;
  }
  if (SHELL.includes(path)) event.respondWith(fromShell(req));
});
