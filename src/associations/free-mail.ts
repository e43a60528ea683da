// Free-mail domains: an address at one of them says nothing about the person's company, so
// automatic association by domain never matches them. Override with
// createCrm({ autoAssociateByDomain: { freeMailDomains } }).

/**
 * The free-mail domains crmkit ships (lowercase, normalised).
 *
 * @example
 * import { FREE_MAIL_DOMAINS } from 'crmkit';
 * const crm = await createCrm({ autoAssociateByDomain: { freeMailDomains: [...FREE_MAIL_DOMAINS, 'example.org'] } });
 */
export const FREE_MAIL_DOMAINS: readonly string[] = Object.freeze([
  'gmail.com',
  'googlemail.com',
  'outlook.com',
  'hotmail.com',
  'hotmail.co.uk',
  'live.com',
  'msn.com',
  'yahoo.com',
  'yahoo.co.uk',
  'ymail.com',
  'aol.com',
  'icloud.com',
  'me.com',
  'mac.com',
  'proton.me',
  'protonmail.com',
  'gmx.com',
  'gmx.de',
  'gmx.net',
  'web.de',
  'mail.com',
  'zoho.com',
  'yandex.com',
  'yandex.ru',
  'mail.ru',
  'qq.com',
  '163.com',
  'fastmail.com',
  'hey.com',
  'tutanota.com',
]);
