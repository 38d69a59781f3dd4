/** @type {import('next').NextConfig} */
const nextConfig = {
  // PGlite loads its WASM and data files from its own package folder at run time.
  serverExternalPackages: ["@electric-sql/pglite", "pg"],
  poweredByHeader: false,
  // Next.js would answer a path ending in "/" with a plain-text 308 before any route runs; the API
  // must answer JSON with its version header, so the API serves such paths itself and proxy.ts
  // redirects the pages.
  skipTrailingSlashRedirect: true,
};

export default nextConfig;
