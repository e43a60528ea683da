// Printing: one line per phase (crmkit's and the floor's best round, their ratio, the target,
// PASS/MISS, and crmkit's every round so the noise shows) and the heap line. Targets are
// reported, never enforced.
import type { Phase, RunResult } from './workload.js';

/** Minimum operations per second per phase, from the issues (with validation, dedup and history on). */
export const TARGETS: Record<Phase, number> = {
  'createMany contacts': 400_000,
  'createMany companies': 400_000,
  'duplicate create': 250_000,
  get: 500_000,
  'getBy email': 500_000,
  'associate contacts↔companies': 500_000,
  'associate deals': 500_000,
  'list contact→companies': 450_000,
  'list deal→contacts by label': 450_000,
  setPrimary: 250_000,
  'archive companies': 20_000,
};

/** crmkit's heap after load may be at most this many times the floor's. */
export const HEAP_TARGET_RATIO = 3;

const UNITS: Record<Phase, string> = {
  'createMany contacts': 'rec/s',
  'createMany companies': 'rec/s',
  'duplicate create': 'ops/s',
  get: 'ops/s',
  'getBy email': 'ops/s',
  'associate contacts↔companies': 'edges/s',
  'associate deals': 'edges/s',
  'list contact→companies': 'lists/s',
  'list deal→contacts by label': 'lists/s',
  setPrimary: 'calls/s',
  'archive companies': 'companies/s',
};

const int = (n: number): string => Math.round(n).toLocaleString('en-US');
const thousands = (n: number): string => `${Math.round(n / 1000)}k`;
const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
const rate = (result: RunResult, phase: Phase): number => result.ops[phase] / (result.ms[phase] / 1000);

/** The round with the shortest time for the phase. */
function best(results: readonly RunResult[], phase: Phase): RunResult {
  return results.reduce((fastest, result) => (result.ms[phase] < fastest.ms[phase] ? result : fastest));
}

/** Prints the figures (each side's best round) and answers whether every target was met. */
export function printReport(crmkit: readonly RunResult[], floor: readonly RunResult[]): boolean {
  let allPass = true;
  const rows: string[][] = [['phase', 'ops', 'crmkit', 'floor', 'ratio', 'target', '', 'crmkit per round']];
  for (const phase of Object.keys(TARGETS) as Phase[]) {
    const ours = best(crmkit, phase);
    const theirs = best(floor, phase);
    const pass = rate(ours, phase) >= TARGETS[phase];
    allPass &&= pass;
    rows.push([
      phase,
      int(ours.ops[phase]),
      `${int(rate(ours, phase))} ${UNITS[phase]}`,
      `${int(rate(theirs, phase))} ${UNITS[phase]}`,
      `${(ours.ms[phase] / theirs.ms[phase]).toFixed(1)}×`,
      `≥ ${int(TARGETS[phase])}`,
      pass ? 'PASS' : 'MISS',
      crmkit.map((result) => thousands(rate(result, phase))).join(' '),
    ]);
  }
  const ourHeap = Math.min(...crmkit.map((result) => result.heapBytes));
  const floorHeap = Math.min(...floor.map((result) => result.heapBytes));
  const heapPass = ourHeap <= HEAP_TARGET_RATIO * floorHeap;
  allPass &&= heapPass;
  rows.push([
    'heap after load',
    '',
    mb(ourHeap),
    mb(floorHeap),
    `${(ourHeap / floorHeap).toFixed(1)}×`,
    `≤ ${HEAP_TARGET_RATIO}× floor`,
    heapPass ? 'PASS' : 'MISS',
    crmkit.map((result) => mb(result.heapBytes).replace(' MB', '')).join(' '),
  ]);
  printTable(rows);
  console.log('ratio = crmkit time / floor time (heap: crmkit heap / floor heap), best round of each;');
  console.log('floor = the same work on plain Maps: records with random ids (crmkit\'s generator), a copy per record, no validation, no property history;');
  console.log('        associations as adjacency Maps both ways with labels arrays, the primary-company rule and reassignment,');
  console.log('        calculated counts, and association history pushed to per-record arrays');
  return allPass;
}

/** crmkit on SQLite may take at most this many times the hand-written statements' time (issue 4). */
export const SQL_TARGET_RATIO = 2;

/**
 * The second table of --storage sqlite: crmkit's best round beside the SQL floor's (hand-written
 * better-sqlite3 statements, bench/sqlfloor.ts), their ratio and the ≤ 2× target. Answers
 * whether every phase met it.
 */
export function printSqlFloorReport(crmkit: readonly RunResult[], sqlFloor: readonly RunResult[]): boolean {
  let allPass = true;
  const rows: string[][] = [['phase', 'ops', 'crmkit', 'SQL floor', 'ratio', 'target', '', 'SQL floor per round']];
  for (const phase of Object.keys(TARGETS) as Phase[]) {
    const ours = best(crmkit, phase);
    const theirs = best(sqlFloor, phase);
    const ratio = ours.ms[phase] / theirs.ms[phase];
    const pass = ratio <= SQL_TARGET_RATIO;
    allPass &&= pass;
    rows.push([
      phase,
      int(ours.ops[phase]),
      `${int(rate(ours, phase))} ${UNITS[phase]}`,
      `${int(rate(theirs, phase))} ${UNITS[phase]}`,
      `${ratio.toFixed(1)}×`,
      `≤ ${SQL_TARGET_RATIO}×`,
      pass ? 'PASS' : 'MISS',
      sqlFloor.map((result) => thousands(rate(result, phase))).join(' '),
    ]);
  }
  console.log('');
  console.log('crmkit on sqlite against hand-written better-sqlite3 statements (issue 4: target ≤ 2×)');
  printTable(rows);
  console.log('ratio = crmkit time / SQL floor time, best round of each; SQL floor = bench/sqlfloor.ts on its own temp file (WAL,');
  console.log('        synchronous NORMAL, foreign keys on): a transaction per batch or call, key + row + one property-history row per');
  console.log('        record, get by primary key + JSON.parse, getBy = key table joined to the row + JSON.parse; edge rows both ways');
  console.log('        with JSON labels, the primary rule and archive reassignment in plain SQL; no association history, no calculated');
  console.log('        counts, no validation');
  return allPass;
}

function printTable(rows: string[][]): void {
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  const numeric = [false, true, true, true, true, false, false, false];
  for (const row of rows) {
    console.log(row.map((cell, column) => (numeric[column] ? cell.padStart(widths[column]!) : cell.padEnd(widths[column]!))).join('  ').trimEnd());
  }
}
