// The one rule for tenant names, shared by the SQL adapters: a tenant name is stored as text and
// compared byte for byte by the database, so it must be text every database keeps exactly.
import { CrmError } from 'crmkit';

/** The longest tenant name the adapters accept. */
export const TENANT_MAX_LENGTH = 200;

/** Control characters (C0, DEL, C1): NUL cannot be stored by PostgreSQL, and none belongs in a name. */
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
/** A high surrogate not followed by a low one, or a low one not preceded by a high one. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * The tenant name to use, or a VALIDATION_ERROR (issue INVALID_ARGUMENT, property 'tenant')
 * naming what is wrong. Lone surrogates are refused: PostgreSQL would store them as U+FFFD, so
 * 'x\ud800' and 'x\udfff' would name one tenant.
 *
 * @example
 * checkTenant(options.tenant ?? 'default', 'sqliteStorage'); // 'default'
 */
export function checkTenant(tenant: unknown, subject: string): string {
  const problem =
    typeof tenant !== 'string'
      ? `tenant must be a string, got ${tenant === null ? 'null' : typeof tenant}`
      : tenant.length === 0 || tenant.length > TENANT_MAX_LENGTH
        ? `tenant must have 1 to ${TENANT_MAX_LENGTH} characters, got ${tenant.length}`
        : LONE_SURROGATE.test(tenant)
          ? 'tenant must be well-formed Unicode (it holds a lone surrogate)'
          : CONTROL.test(tenant)
            ? 'tenant must not contain control characters (NUL, line breaks, ...)'
            : undefined;
  if (problem === undefined) return tenant as string;
  throw new CrmError('VALIDATION_ERROR', `${subject}: ${problem}`, {
    issues: [{ code: 'INVALID_ARGUMENT', property: 'tenant', message: problem }],
  });
}
