// Word lists for seeded data: small, so crmkit/testing stays light, and varied enough that a
// seeded CRM reads like a real one. Option values (industries, lifecycle stages, stages) are
// never listed here: seeds read them from the CRM's schema, so they are valid by construction.

export const FIRST_NAMES = [
  'Ana', 'Bo', 'Carla', 'Dmitri', 'Elena', 'Femi', 'Grace', 'Hiro', 'Ines', 'Jonas',
  'Kemal', 'Lena', 'Mateo', 'Nadia', 'Omar', 'Priya', 'Quinn', 'Rosa', 'Sven', 'Tariq',
  'Uma', 'Victor', 'Wen', 'Ximena', 'Yusuf', 'Zoe', 'Aiko', 'Bruno', 'Chloe', 'Diego',
  'Emeka', 'Freya', 'Gustavo', 'Hana', 'Ivan', 'Julia', 'Kofi', 'Lucia', 'Marek', 'Noor',
] as const;

export const LAST_NAMES = [
  'Silva', 'Okafor', 'Nakamura', 'Novak', 'Schmidt', 'Garcia', 'Haddad', 'Kowalski', 'Lindqvist', 'Moreau',
  'Patel', 'Rossi', 'Santos', 'Tanaka', 'Yilmaz', 'Andersen', 'Baker', 'Costa', 'Dubois', 'Eriksen',
  'Fischer', 'Gomez', 'Horvat', 'Ivanova', 'Jensen', 'Kim', 'Larsen', 'Mendes', 'Nguyen', 'Oliveira',
  'Park', 'Quispe', 'Reyes', 'Sato', 'Torres', 'Ueda', 'Varga', 'Weber', 'Xu', 'Zhang',
] as const;

export const COMPANY_WORDS = [
  'Orange', 'Lemon', 'Granite', 'Harbor', 'Juniper', 'Kestrel', 'Lumen', 'Maple', 'Nimbus', 'Oak',
  'Pioneer', 'Quartz', 'Redwood', 'Summit', 'Tidal', 'Umber', 'Vertex', 'Willow', 'Zephyr', 'Beacon',
  'Cobalt', 'Delta', 'Ember', 'Falcon', 'Glacier', 'Helix', 'Iris', 'Jasper', 'Kinetic', 'Lantern',
] as const;

export const COMPANY_SUFFIXES = [
  'Labs', 'Roasters', 'Systems', 'Logistics', 'Health', 'Analytics', 'Foods', 'Studio', 'Works', 'Partners',
  'Energy', 'Robotics', 'Media', 'Capital', 'Supply', 'Software', 'Design', 'Clinic', 'Motors', 'Outdoors',
] as const;

export const TLDS = ['com', 'com', 'com', 'io', 'co', 'net', 'de', 'pt', 'fr', 'co.uk'] as const;

/** Free-mail domains: never a company's, as HubSpot's free-mail list has them. */
export const FREE_MAIL = ['gmail.com', 'outlook.com', 'yahoo.com', 'hotmail.com', 'proton.me', 'icloud.com'] as const;

export const PLACES = [
  ['Lisbon', 'Portugal'], ['Porto', 'Portugal'], ['Berlin', 'Germany'], ['Munich', 'Germany'], ['Paris', 'France'],
  ['Lyon', 'France'], ['London', 'United Kingdom'], ['Manchester', 'United Kingdom'], ['Madrid', 'Spain'], ['Barcelona', 'Spain'],
  ['Boston', 'United States'], ['Austin', 'United States'], ['Seattle', 'United States'], ['Toronto', 'Canada'], ['Lagos', 'Nigeria'],
  ['Nairobi', 'Kenya'], ['Tokyo', 'Japan'], ['Osaka', 'Japan'], ['Sydney', 'Australia'], ['São Paulo', 'Brazil'],
] as const;

export const JOB_TITLES = [
  'CEO', 'CTO', 'CFO', 'Head of Sales', 'Account Executive', 'Sales Manager', 'Marketing Manager', 'Product Manager',
  'Software Engineer', 'Operations Lead', 'Procurement Manager', 'Office Manager', 'Customer Success Manager',
  'Data Analyst', 'Designer', 'VP Engineering', 'Founder', 'Buyer', 'IT Director', 'Finance Manager',
] as const;

export const DEAL_TOPICS = [
  'Annual plan', 'Pilot', 'Expansion', 'Renewal', 'Onboarding package', 'Enterprise licence', 'Support upgrade',
  'Hardware order', 'Consulting', 'Training', 'Integration', 'Multi-year deal',
] as const;

export const PRODUCT_KINDS = ['Plan', 'Starter kit', 'Licence', 'Support package', 'Add-on', 'Workshop', 'Subscription', 'Bundle'] as const;

export const TICKET_SUBJECTS = [
  'Cannot log in', 'Invoice has the wrong address', 'Export is slow', 'Feature request: dark mode', 'Sync failed overnight',
  'Password reset email missing', 'Charged twice', 'How do I add a user?', 'Report shows no data', 'API returns 500',
] as const;

export const ACTIVITY_TOPICS = [
  'pricing', 'the renewal', 'onboarding', 'a product demo', 'the contract', 'next quarter', 'the integration',
  'the pilot results', 'support hours', 'a discount',
] as const;
