// IndexedDB, the app's memory on the device: the trust data for offline checks (JWKS, status list,
// catalogue) under "kv", and the scan history under "history". A tiny promise wrapper, no library.

const DB_NAME = 'jianzheng';
const DB_VERSION = 1;
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
