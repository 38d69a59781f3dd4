import { CompanySettings } from "@/components/admin/company-settings";
import { PipelineEditor } from "@/components/admin/pipeline-editor";
import { adminPage } from "@/lib/auth/admin-page";
import { companyProfile } from "@/lib/company/profile";
import { formatPhone } from "@/lib/leads/phone";
import { pipeline } from "@/lib/leads/pipeline";

/** The business's profile, which forms, alerts and auto-replies use, and its pipeline. */
export default adminPage({ adminOnly: true }, async (user) => {
  const [profile, stages] = await Promise.all([companyProfile(user.companyId), pipeline(user.companyId)]);
  return (
    <>
      <h1>Settings</h1>
      <p className="muted">
        Your business as visitors and staff see it: alerts and auto-replies are signed with its name, and say
        when you are open.
      </p>
      <CompanySettings
        zones={Intl.supportedValuesOf("timeZone")}
        profile={{
          name: profile.name,
          phone: profile.phone ? formatPhone(profile.phone) : "",
          replyTo: profile.replyTo ?? "",
          logo: profile.logo,
          color: profile.color,
          timeZone: profile.timeZone,
          timeZoneChosen: profile.timeZoneChosen,
          businessHours: profile.businessHours,
          replyWithin: profile.replyWithin,
        }}
      />
      <section className="card" style={{ marginTop: "1.5rem" }}>
        <PipelineEditor stages={stages} />
      </section>
    </>
  );
});
