import { z } from "zod";
import {
  leadInputSchema,
  leadResponseSchema,
  leadSchema,
  listQuerySchema,
  listResponseSchema,
  upsertResponseSchema,
  writeOnlyUpsertResponseSchema,
} from "@/lib/leads/schema";
import { SCOPES } from "@/lib/auth/scopes";
import { API_VERSION } from "./respond";

const fieldErrorSchema = z.object({ field: z.string(), message: z.string() });

const errorSchema = z.object({
  status: z.literal("error"),
  message: z.string(),
  error_code: z
    .string()
    .optional()
    .meta({ description: "AUTHENTICATION_REQUIRED, INVALID_API_KEY, RATE_LIMIT_EXCEEDED..." }),
  errors: z.array(fieldErrorSchema).optional().meta({ description: "One entry per bad field, as sent" }),
});

const authTestSchema = z.object({
  status: z.literal("success"),
  message: z.string(),
  authenticated: z.literal(true),
  company_id: z.string(),
  user_id: z.null(),
  auth_method: z.literal("api_key"),
  rotor_api_version: z.literal(API_VERSION),
  scopes: z.array(z.enum(SCOPES)),
  timestamp: z.string(),
});

// A key without leads:read gets the second shape. Neither can pass for the other: the first
// requires every lead field, and the second allows no field beyond what a request may send.
const upsertAnswerSchema = z.xor([upsertResponseSchema, writeOnlyUpsertResponseSchema]);

type JsonSchema = Record<string, unknown>;

/** Each named schema, once, under components.schemas; the others refer to it by name. */
function componentSchemas(): Record<string, JsonSchema> {
  const options = {
    target: "draft-2020-12",
    unrepresentable: "any",
    uri: (id: string) => `#/components/schemas/${id}`,
  } as const;
  const requests = z.registry<{ id: string }>().add(leadInputSchema, { id: "LeadInput" });
  const responses = z
    .registry<{ id: string }>()
    .add(leadSchema, { id: "Lead" })
    .add(upsertResponseSchema, { id: "UpsertedLead" })
    .add(writeOnlyUpsertResponseSchema, { id: "WriteOnlyUpsert" })
    .add(upsertAnswerSchema, { id: "UpsertAnswer" })
    .add(listResponseSchema, { id: "LeadList" })
    .add(leadResponseSchema, { id: "LeadEnvelope" })
    .add(authTestSchema, { id: "AuthTest" })
    .add(fieldErrorSchema, { id: "FieldError" })
    .add(errorSchema, { id: "Error" });
  const all = {
    ...z.toJSONSchema(requests, { ...options, io: "input" }).schemas,
    ...z.toJSONSchema(responses, { ...options, io: "output" }).schemas,
  };
  // The document's own dialect applies; a `$id` per component would make it a separate resource.
  for (const schema of Object.values(all)) {
    delete schema.$schema;
    delete schema.$id;
  }
  return all;
}

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const json = (name: string) => ({ "application/json": { schema: ref(name) } });

/**
 * The headers of an answer. Rate-limit headers come with every answer given once the key is known
 * and counted: "always" after that point, "maybe" where the answer can also come before it.
 */
function headers(options: { rateLimit?: "always" | "maybe"; retryAfter?: boolean; cache?: boolean } = {}) {
  const integer = (description: string, required: boolean) => ({
    description,
    required,
    schema: { type: "integer" },
  });
  const counted = options.rateLimit === "always";
  return {
    "rotor-api-version": {
      description: "The API version that answered",
      required: true,
      schema: { type: "string", const: API_VERSION },
    },
    ...(options.rateLimit && {
      "X-RateLimit-Limit": integer("The key's daily request limit", counted),
      "X-RateLimit-Remaining": integer("Requests left today (UTC)", counted),
      "X-RateLimit-Reset": integer(
        "When the count starts again: epoch seconds of the next UTC midnight",
        counted,
      ),
    }),
    ...(options.retryAfter && { "Retry-After": integer("Seconds to wait before trying again", true) }),
    ...(options.cache && {
      "x-cache": {
        description: "Whether the list came from the cache",
        required: true,
        schema: { type: "string", enum: ["HIT", "MISS"] },
      },
    }),
  };
}

const errorResponse = (description: string, headerOptions: Parameters<typeof headers>[0]) => ({
  description,
  headers: headers(headerOptions),
  content: json("Error"),
});

/** The error answers, named once; each operation lists the ones it can give. */
const errorResponses = {
  BadRequest: errorResponse(
    "Validation failed (one entry per bad field), or an unsupported rotor-api-version (refused before the key is read)",
    { rateLimit: "maybe" },
  ),
  Unauthorized: errorResponse("Missing, unknown or revoked x-api-key", {}),
  Forbidden: errorResponse("The key lacks the required scope", { rateLimit: "always" }),
  NotFound: errorResponse("No lead with this id in the key's company", { rateLimit: "always" }),
  PayloadTooLarge: errorResponse("Body over 64 KiB", { rateLimit: "always" }),
  TooManyRequests: errorResponse("The key's daily request limit is spent", {
    rateLimit: "always",
    retryAfter: true,
  }),
  InternalError: errorResponse("Internal server error", { rateLimit: "maybe" }),
  Unavailable: errorResponse(
    "The database, or in upstream mode Rotor, is not answering (SERVICE_UNAVAILABLE, UPSTREAM_UNAVAILABLE); the request may be sent again",
    { rateLimit: "maybe", retryAfter: true },
  ),
};

type ErrorName = keyof typeof errorResponses;

function errorsFor(statuses: Partial<Record<string, ErrorName>>) {
  return Object.fromEntries(
    Object.entries(statuses).map(([status, name]) => [status, { $ref: `#/components/responses/${name}` }]),
  );
}

const everyOperationErrors = {
  "400": "BadRequest",
  "401": "Unauthorized",
  "429": "TooManyRequests",
  "500": "InternalError",
  "503": "Unavailable",
} as const;

/** The list query as the server reads it: `limit` and `page` integers, `archived` a boolean. */
function queryParameters() {
  const { properties = {} } = z.toJSONSchema(listQuerySchema, {
    io: "output",
    target: "draft-2020-12",
    unrepresentable: "any",
  }) as { properties?: Record<string, JsonSchema> };
  return Object.entries(properties).map(([name, { description, ...schema }]) => ({
    name,
    in: "query",
    required: false,
    description,
    schema,
  }));
}

let cached: ReturnType<typeof buildDocument> | undefined;

/** The OpenAPI 3.1 document, generated from the same zod schemas the handlers validate with. */
export function openApiDocument() {
  cached ??= buildDocument();
  return cached;
}

function buildDocument() {
  const versionHeader = { $ref: "#/components/parameters/RotorApiVersion" };
  const success = (description: string, schema: string, headerOptions: Parameters<typeof headers>[0]) => ({
    description,
    headers: headers({ rateLimit: "always", ...headerOptions }),
    content: json(schema),
  });
  return {
    openapi: "3.1.0",
    info: {
      title: "Lead intake portal: Rotor-compatible leads API",
      version: API_VERSION,
      description: "Serves the same API as Rotor's Open API 1.1.0. Authenticate with the x-api-key header.",
      license: { name: "MIT", identifier: "MIT" },
    },
    servers: [{ url: "/open-api" }],
    security: [{ apiKey: [] }],
    paths: {
      "/leads": {
        post: {
          operationId: "createOrUpdateLead",
          summary: "Create or update a lead (matched by id, then phone, then email; tags merged)",
          description:
            "A key without leads:read gets back only id, message and status, and the fields it sent: never what was stored.",
          "x-required-scope": "leads:write",
          parameters: [versionHeader],
          requestBody: { required: true, content: json("LeadInput") },
          responses: {
            "200": success("Lead updated", "UpsertAnswer", {}),
            "201": success("Lead created", "UpsertAnswer", {}),
            ...errorsFor({
              ...everyOperationErrors,
              "403": "Forbidden",
              "404": "NotFound",
              "413": "PayloadTooLarge",
            }),
          },
        },
        get: {
          operationId: "listLeads",
          summary: "List leads, newest first",
          "x-required-scope": "leads:read",
          parameters: [versionHeader, ...queryParameters()],
          responses: {
            "200": success("A page of leads", "LeadList", { cache: true }),
            ...errorsFor({ ...everyOperationErrors, "403": "Forbidden" }),
          },
        },
      },
      "/leads/{id}": {
        get: {
          operationId: "getLead",
          summary: "One lead",
          "x-required-scope": "leads:read",
          parameters: [versionHeader, { name: "id", in: "path", required: true, schema: { type: "string" } }],
          responses: {
            "200": success("The lead", "LeadEnvelope", {}),
            ...errorsFor({ ...everyOperationErrors, "403": "Forbidden", "404": "NotFound" }),
          },
        },
      },
      "/auth/test": {
        get: {
          operationId: "testAuthentication",
          summary: "Check an API key (any valid key, whatever its scopes)",
          parameters: [versionHeader],
          responses: {
            "200": success("The key is valid", "AuthTest", {}),
            ...errorsFor(everyOperationErrors),
          },
        },
      },
    },
    components: {
      securitySchemes: { apiKey: { type: "apiKey", in: "header", name: "x-api-key" } },
      parameters: {
        RotorApiVersion: {
          name: "rotor-api-version",
          in: "header",
          required: false,
          description: "May be omitted; any other value than 1.1.0 is refused",
          schema: { type: "string", const: API_VERSION },
        },
      },
      responses: errorResponses,
      schemas: componentSchemas(),
    },
  };
}
