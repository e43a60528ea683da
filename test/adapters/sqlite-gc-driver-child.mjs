// Child process of sqlite-node24.test.ts: better-sqlite3 alone, as an application uses it (a
// statement per query, dropped after use), connections opened and closed one after another with
// a moment of idleness after each, where Node's own collections free what was dropped. Plain
// JavaScript, nothing but the driver loaded: on Node 24.19 this aborts every time. Prints "survived".
import Database from 'better-sqlite3';

for (let n = 0; n < 50; n++) {
  const db = new Database(':memory:');
  for (let i = 0; i < 200; i++) db.prepare(`SELECT ${i} AS x`).get();
  db.pragma('user_version');
  db.close();
  let junk = [];
  for (let i = 0; i < 20_000; i++) junk.push({ i, text: 'x'.repeat(20) });
  junk = [];
  await new Promise((resolve) => setTimeout(resolve, 5));
}
console.log('survived');
