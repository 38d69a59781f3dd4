/** Strict-Transport-Security for production responses: HTTPS only, for two years, subdomains too. */
export const HSTS = "max-age=63072000; includeSubDomains";
