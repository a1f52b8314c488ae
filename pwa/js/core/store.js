// IndexedDB, the app's memory on the device: the trust data for offline checks (JWKS, status list,
// catalogue) under "kv", the scan history under "history", and the inspector's site checks (in progress,
// waiting to sync, synced) under "inspections" (version 2). A tiny promise wrapper, no library.
// An upgrade only adds what is missing: the history and the cached trust data of version 1 stay.

const DB_NAME = 'jianzheng';
const DB_VERSION = 2;
let dbPromise = null;

function open() {
  if (!dbPromise) {
    dbPromise = new Promise((resolve, reject) => {
      const req = indexedDB.open(DB_NAME, DB_VERSION);
      req.onupgradeneeded = () => {
        const db = req.result;
        if (!db.objectStoreNames.contains('kv')) db.createObjectStore('kv');
        if (!db.objectStoreNames.contains('history')) {
          db.createObjectStore('history', { keyPath: 'id', autoIncrement: true }).createIndex('t', 't');
        }
        if (!db.objectStoreNames.contains('inspections')) {   // version 2: site checks, by their client_id
          db.createObjectStore('inspections', { keyPath: 'client_id' }).createIndex('t', 't');
        }
      };
      req.onsuccess = () => {
        // Another tab opening a newer version asks us to let go; reopen lazily next time.
        req.result.onversionchange = () => { req.result.close(); dbPromise = null; };
        resolve(req.result);
      };
      req.onerror = () => { dbPromise = null; reject(req.error); };
      req.onblocked = () => reject(new Error('IndexedDB upgrade blocked by another tab'));
    });
  }
  return dbPromise;
}

async function run(storeName, mode, fn) {
  const db = await open();
  return new Promise((resolve, reject) => {
    const tx = db.transaction(storeName, mode);
    const req = fn(tx.objectStore(storeName));
    // Resolve on transaction complete, not request success: a write is durable only then.
    tx.oncomplete = () => resolve(req ? req.result : undefined);
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error || new Error('transaction aborted'));
  });
}

export const kvGet = (key) => run('kv', 'readonly', (s) => s.get(key));
export const kvSet = (key, value) => run('kv', 'readwrite', (s) => s.put(value, key));

export const historyAdd = (entry) => run('history', 'readwrite', (s) => s.add(entry));
export const historyClear = () => run('history', 'readwrite', (s) => s.clear());

/** Every entry, newest first. */
export async function historyAll() {
  const rows = await run('history', 'readonly', (s) => s.index('t').getAll());
  return rows.reverse();
}

/** Site checks (js/sitecheck/): one record per check, keyed by its client_id; `t`, when it was started. */
export const inspectionPut = (record) => run('inspections', 'readwrite', (s) => s.put(record));
export const inspectionGet = (clientId) => run('inspections', 'readonly', (s) => s.get(clientId));
export const inspectionDelete = (clientId) => run('inspections', 'readwrite', (s) => s.delete(clientId));

/** Every site check on this device, most recently started first. */
export async function inspectionsAll() {
  const rows = await run('inspections', 'readonly', (s) => s.index('t').getAll());
  return rows.reverse();
}
