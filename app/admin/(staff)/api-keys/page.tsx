import { ApiKeys } from "@/components/admin/api-keys";
import { listCompanyKeys } from "@/lib/auth/api-keys";
import { adminPage } from "@/lib/auth/admin-page";
import { env } from "@/lib/env";

export default adminPage({ adminOnly: true }, async (user) => {
  const keys = await listCompanyKeys(user.companyId);
  return (
    <>
      <h1>API keys</h1>
      <p>
        Software that reads or writes your leads through the{" "}
        <a href="/open-api/openapi.json">Rotor-compatible API</a> sends one of these in its{" "}
        <code>x-api-key</code> header.
      </p>
      <ApiKeys defaultLimit={env().API_DAILY_LIMIT} keys={keys} />
    </>
  );
});
