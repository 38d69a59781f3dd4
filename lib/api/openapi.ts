import { z } from "zod";
import {
  leadInputSchema,
  leadResponseSchema,
  listQuerySchema,
  listResponseSchema,
  upsertResponseSchema,
} from "@/lib/leads/schema";
import { SCOPES } from "@/lib/auth/scopes";
import { API_VERSION } from "./respond";

const errorSchema = z.object({
  status: z.literal("error"),
  message: z.string(),
  error_code: z.string().optional(),
  errors: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
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

const schema = (s: z.ZodType, io: "input" | "output" = "output") =>
  z.toJSONSchema(s, { io, target: "draft-2020-12", unrepresentable: "any" });

const json = (s: z.ZodType) => ({ "application/json": { schema: schema(s) } });
const errorResponse = (description: string) => ({ description, content: json(errorSchema) });

const commonErrors = {
  "400": errorResponse("Validation failed, or an unsupported rotor-api-version"),
  "401": errorResponse("Missing or invalid x-api-key"),
  "403": errorResponse("The key lacks the required scope"),
  "429": errorResponse("The key's daily request limit is spent; see Retry-After"),
  "500": errorResponse("Internal server error"),
};

function queryParameters() {
  const { properties = {} } = schema(listQuerySchema, "input") as {
    properties?: Record<string, Record<string, unknown>>;
  };
  return Object.entries(properties).map(([name, s]) => ({ name, in: "query", required: false, schema: s }));
}

let cached: ReturnType<typeof buildDocument> | undefined;

/** The OpenAPI 3.1 document, generated from the same zod schemas the handlers validate with. */
export function openApiDocument() {
  cached ??= buildDocument();
  return cached;
}

function buildDocument() {
  const versionHeader = {
    name: "rotor-api-version",
    in: "header",
    required: false,
    schema: { type: "string", const: API_VERSION },
  };
  return {
    openapi: "3.1.0",
    info: {
      title: "Lead intake portal: Rotor-compatible leads API",
      version: API_VERSION,
      description: "Serves the same API as Rotor's Open API 1.1.0. Authenticate with the x-api-key header.",
    },
    servers: [{ url: "/open-api" }],
    security: [{ apiKey: [] }],
    components: {
      securitySchemes: { apiKey: { type: "apiKey", in: "header", name: "x-api-key" } },
    },
    paths: {
      "/leads": {
        post: {
          summary: "Create or update a lead (matched by id, then phone, then email; tags merged)",
          description:
            "A key without leads:read gets back only id, message and status, and the fields it sent: never what was stored.",
          "x-required-scope": "leads:write",
          parameters: [versionHeader],
          requestBody: {
            required: true,
            content: { "application/json": { schema: schema(leadInputSchema, "input") } },
          },
          responses: {
            "200": { description: "Lead updated", content: json(upsertResponseSchema) },
            "201": { description: "Lead created", content: json(upsertResponseSchema) },
            "404": errorResponse("No lead with this id"),
            "413": errorResponse("Body over 64 KiB"),
            ...commonErrors,
          },
        },
        get: {
          summary: "List leads, newest first",
          "x-required-scope": "leads:read",
          parameters: [versionHeader, ...queryParameters()],
          responses: {
            "200": { description: "A page of leads", content: json(listResponseSchema) },
            ...commonErrors,
          },
        },
      },
      "/leads/{id}": {
        get: {
          summary: "One lead",
          "x-required-scope": "leads:read",
          parameters: [versionHeader, { name: "id", in: "path", required: true, schema: { type: "string" } }],
          responses: {
            "200": { description: "The lead", content: json(leadResponseSchema) },
            "404": errorResponse("Not found"),
            ...commonErrors,
          },
        },
      },
      "/auth/test": {
        get: {
          summary: "Check an API key",
          parameters: [versionHeader],
          responses: {
            "200": { description: "The key is valid", content: json(authTestSchema) },
            ...commonErrors,
          },
        },
      },
    },
  };
}
