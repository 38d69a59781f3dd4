import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

/** lib's ground floor: what every feature may use, and which uses none of them. */
const GROUND_FLOOR = [
  "./lib/db",
  "./lib/kv",
  "./lib/http",
  "./lib/clock.ts",
  "./lib/env.ts",
  "./lib/errors.ts",
  "./lib/validation.ts",
  "./lib/secret.ts",
];
const FEATURES = [
  "./lib/leads",
  "./lib/forms",
  "./lib/webhooks",
  "./lib/outbox",
  "./lib/rotor",
  "./lib/auth",
  "./lib/api",
  "./lib/company",
  "./lib/alerts",
  "./lib/photos",
];

const config = [
  ...nextVitals,
  ...nextTs,
  {
    ignores: [
      ".next/**",
      ".data/**",
      ".vercel/**",
      "node_modules/**",
      "next-env.d.ts",
      "lib/db/migrations/**",
    ],
  },
  {
    // The house's layers: app -> components -> lib's features (and lib/api, their transport)
    // -> lib's ground floor. An import may only go down, and never round in a circle (a dynamic
    // import() counts: it only hides one).
    files: ["**/*.{ts,tsx,mjs}"],
    // Only the project's own files are followed; packages are not parsed.
    settings: { "import/ignore": ["node_modules"] },
    rules: {
      "import/no-cycle": ["error", { ignoreExternal: true }],
      "import/no-restricted-paths": [
        "error",
        {
          zones: [
            { target: ["./lib", "./components"], from: "./app", message: "app/ is the top floor" },
            { target: "./lib", from: "./components", message: "lib/ does not render components" },
            {
              target: ["./lib/!(api|startup.ts)/**", "./lib/*.ts"],
              from: "./lib/api",
              message: "lib/api is the transport: the domain does not speak HTTP",
            },
            {
              target: GROUND_FLOOR,
              from: FEATURES,
              message: "the ground floor (db, kv, clock, env, errors, http) imports no feature",
            },
          ],
        },
      ],
    },
  },
];

export default config;
