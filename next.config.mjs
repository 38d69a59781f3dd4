/** @type {import('next').NextConfig} */
const nextConfig = {
  compiler: {
    // Vercel sets VERCEL=1 when it builds. Its disks are read-only and its instances short-lived, so
    // the embedded database cannot serve there (lib/env.ts refuses to start without DATABASE_URL):
    // a build for Vercel compiles PGlite's import out (lib/db/client.ts), and no function carries it.
    defineServer: { "process.env.EMBEDDED_DATABASE": process.env.VERCEL ? "left-out" : "included" },
  },
  // PGlite loads its WASM and data files from its own package folder at run time.
  serverExternalPackages: ["@electric-sql/pglite", "pg"],
  poweredByHeader: false,
  // Next.js would answer a path ending in "/" with a plain-text 308 before any route runs; the API
  // must answer JSON with its version header, so the API serves such paths itself and proxy.ts
  // redirects the pages.
  skipTrailingSlashRedirect: true,
  experimental: {
    // next start would otherwise load every route before it answers its first request (a cold
    // start's whole cost); each route now loads on its own first request, as on Vercel.
    preloadEntriesOnStart: false,
  },
};

export default nextConfig;
