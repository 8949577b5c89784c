/** The steps of the service's request chain, in the order src/app.ts registers them. */
export const CHAIN = [
  'request log',
  'problem details',
  'load shedding',
  'security headers, CORS, rate limits',
  'request checks',
  'API keys',
  'roles',
  'validation of params and query',
] as const;
