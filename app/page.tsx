import Link from "next/link";

export default function Home() {
  return (
    <main style={{ maxWidth: 720, margin: "3rem auto", padding: "0 1.25rem", lineHeight: 1.55 }}>
      <h1>Lead intake portal</h1>
      <p>
        This portal keeps your leads, deduplicated by phone and then email, and serves them through an API
        that any Rotor client can use by pointing its base URL at <code>/open-api</code>.
      </p>
      <p>
        Staff: <Link href="/admin">sign in to the admin</Link> to see and manage your leads, forms and API
        keys.
      </p>
      <h2>Use the API</h2>
      <ol>
        <li>
          Create a key in the admin under <Link href="/admin/api-keys">API keys</Link>, or while the app is
          stopped: <code>npm run apikey -- create --name website --scopes leads:read,leads:write</code>
        </li>
        <li>
          Check it: <code>curl -H &quot;x-api-key: $KEY&quot; http://127.0.0.1:3000/open-api/auth/test</code>
        </li>
        <li>
          Read the <a href="/open-api/openapi.json">OpenAPI document</a> for every field and error.
        </li>
      </ol>
    </main>
  );
}
