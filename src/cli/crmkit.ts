#!/usr/bin/env node
// The `crmkit` executable (package.json "bin"): only the process around runCli, whose logic lives
// in src/hubspot/serve.ts where tests reach it. It imports 'crmkit/hubspot' as users do (the
// rule cli-uses-public-entries in .dependency-cruiser.cjs), when run, so that a missing optional
// peer (hono) is a message with the fix rather than a stack trace.

/** Whether an import failed because a package is not installed (and which, when Node says). */
function missingPackage(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  if (code !== 'ERR_MODULE_NOT_FOUND' && code !== 'MODULE_NOT_FOUND') return undefined;
  const match = /Cannot find (?:package|module) '([^']+)'/.exec(String((error as Error).message));
  return match?.[1] ?? 'a package';
}

async function main(): Promise<number> {
  let runCli: (argv: readonly string[]) => Promise<number>;
  try {
    ({ runCli } = await import('crmkit/hubspot'));
  } catch (error) {
    const missing = missingPackage(error);
    if (missing === undefined) throw error;
    process.stderr.write(`crmkit: cannot load ${missing}. crmkit serve needs hono:\n  npm install --save-dev hono\n`);
    return 1;
  }
  return runCli(process.argv.slice(2));
}

main().then(
  // Exit at once with the code: after a clean shutdown nothing is left to wait for, and after
  // a second Ctrl-C the user asked not to wait.
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`crmkit: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
